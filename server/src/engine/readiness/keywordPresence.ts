import { KeywordIndex } from '../text/keywordIndex';

/**
 * Which prefilter keywords each file holds, for every content condition of an assessment at
 * once: one case-insensitive Aho-Corasick pass per file, remembered as a bit set. Before this,
 * each condition ran its own case-insensitive regex over every file it selects — some thirty
 * passes over the whole workspace (measured: ~0.4 s of a 3.3 s corpus scan).
 */
export class KeywordPresence {
  private readonly idOf = new Map<string, number>();
  private readonly index: KeywordIndex;
  private readonly words: number;
  private readonly found = new Map<string, Uint32Array>();

  /** Keywords outside ASCII cannot be indexed; conditions using them fall back to their own search. */
  constructor(keywords: Iterable<string>) {
    for (const keyword of keywords) {
      const folded = keyword.toLowerCase();
      if (folded.length && isAscii(folded) && !this.idOf.has(folded)) this.idOf.set(folded, this.idOf.size);
    }
    this.index = new KeywordIndex([...this.idOf.keys()]);
    this.words = Math.ceil(this.idOf.size / 32);
  }

  /**
   * Whether the file's text (the same text every call for a path) contains one of the keywords,
   * ignoring case. Keywords the index lacks are searched for with a regex instead.
   */
  containsAny(path: string, text: string, keywords: readonly string[]): boolean {
    const ids = this.idsOf(keywords);
    if (ids instanceof RegExp) return ids.test(text);
    let present = this.found.get(path);
    if (!present) {
      const bits = new Uint32Array(this.words);
      this.index.scan(text, (id) => {
        bits[id >>> 5] |= 1 << (id & 31);
      });
      present = bits;
      this.found.set(path, present);
    }
    for (const id of ids) if (present[id >>> 5] & (1 << (id & 31))) return true;
    return false;
  }

  private readonly lookups = new WeakMap<readonly string[], readonly number[] | RegExp>();
  private idsOf(keywords: readonly string[]): readonly number[] | RegExp {
    let ids = this.lookups.get(keywords);
    if (!ids) {
      const known = keywords.map((keyword) => this.idOf.get(keyword.toLowerCase()));
      ids = known.every((id) => id !== undefined) ? (known as number[]) : keywordPattern(keywords);
      this.lookups.set(keywords, ids);
    }
    return ids;
  }
}

/** One case-insensitive search for any of the keywords (no lower-cased copy of the text). */
function keywordPattern(keywords: readonly string[]): RegExp {
  return new RegExp(keywords.map((keyword) => keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}
