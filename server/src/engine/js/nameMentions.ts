/**
 * Where a few names occur in a file's text, so that a walk looking for uses of those names
 * can skip every subtree whose text holds none of them (most of a large file's handler
 * bodies never mention the router they are registered on).
 *
 * A plain substring search: every identifier with one of the names is found (and some
 * other text too, which only costs a needless descent). An identifier written with a
 * unicode escape (`\u0072outer`) does not show its name in the text; files with `\u` are
 * therefore treated as mentioning every name everywhere.
 */
export class NameMentions {
  private constructor(private readonly offsets: readonly number[] | 'everywhere') {}

  /** Mentions in the whole text, or in [from, to) of it (offsets stay those of the whole text). */
  static in(text: string, names: Iterable<string>, from = 0, to = text.length): NameMentions {
    const region = from === 0 && to === text.length ? text : text.slice(from, to);
    if (region.includes('\\u')) return new NameMentions('everywhere');
    const offsets: number[] = [];
    for (const name of names) {
      if (!name) continue;
      for (let at = region.indexOf(name); at !== -1; at = region.indexOf(name, at + 1)) offsets.push(from + at);
    }
    return new NameMentions(offsets.sort((a, b) => a - b));
  }

  get none(): boolean {
    return this.offsets !== 'everywhere' && this.offsets.length === 0;
  }

  /** Whether a mention starts within [start, end). */
  within(start: number, end: number): boolean {
    const offsets = this.offsets;
    if (offsets === 'everywhere') return true;
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (offsets[middle] < start) low = middle + 1;
      else high = middle;
    }
    return low < offsets.length && offsets[low] < end;
  }
}
