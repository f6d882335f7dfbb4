import { escapeRegExp } from '../text/escapeRegExp';
import { KeywordIndex } from '../text/keywordIndex';

/** Which of a keyword list's keywords a file holds: bit `id` of the set is keyword `id` of the list. */
export type KeywordBits = Uint32Array;

/**
 * Which prefilter keywords each file holds, for every content condition of an assessment at
 * once: one case-insensitive Aho-Corasick pass per file, remembered as a bit set. Before this,
 * each condition ran its own case-insensitive regex over every file it selects — some thirty
 * passes over the whole workspace (measured: ~0.4 s of a 3.3 s corpus scan). A scan that reads
 * every file anyway can find the bits then (`bitsOf`) and hand them over, so the assessment
 * reads only the files that can match.
 */
export class KeywordPresence {
  private readonly idOf = new Map<string, number>();
  /** The keywords as indexed, in bit order (see indexedKeywords). */
  readonly keywords: readonly string[];
  private readonly index: KeywordIndex;
  private readonly words: number;
  private readonly found: Map<string, KeywordBits>;
  private readonly lookups = new WeakMap<readonly string[], readonly number[] | RegExp>();

  /**
   * Keywords outside ASCII cannot be indexed; conditions using them fall back to their own
   * search. `known`: bits already found for some files, over this same keyword list.
   */
  constructor(keywords: Iterable<string>, known?: ReadonlyMap<string, KeywordBits>) {
    this.keywords = indexedKeywords(keywords);
    for (const keyword of this.keywords) this.idOf.set(keyword, this.idOf.size);
    this.index = new KeywordIndex([...this.idOf.keys()]);
    this.words = Math.ceil(this.idOf.size / 32);
    this.found = new Map(known);
  }

  /** The keywords the text holds, ignoring case. */
  bitsOf(text: string): KeywordBits {
    const bits = new Uint32Array(this.words);
    this.index.markPresent(text, bits);
    return bits;
  }

  /**
   * Whether the file contains one of the keywords, ignoring case. `text` is asked for only when
   * the file's bits are not known yet, or for keywords the index lacks (searched with a regex).
   */
  containsAny(path: string, keywords: readonly string[], text: () => string | undefined): boolean {
    const ids = this.idsOf(keywords);
    if (ids instanceof RegExp) {
      const content = text();
      return content !== undefined && ids.test(content);
    }
    let present = this.found.get(path);
    if (!present) {
      const content = text();
      if (content === undefined) return false;
      present = this.bitsOf(content);
      this.found.set(path, present);
    }
    for (const id of ids) if (present[id >>> 5] & (1 << (id & 31))) return true;
    return false;
  }

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

/**
 * The keywords as the index holds them, in bit order: lower case, ASCII only, each once. A pass
 * made elsewhere (the secret scanner's) can find these and hand over the same bits.
 */
export function indexedKeywords(keywords: Iterable<string>): string[] {
  const indexed = new Set<string>();
  for (const keyword of keywords) {
    const folded = keyword.toLowerCase();
    if (folded.length && isAscii(folded)) indexed.add(folded);
  }
  return [...indexed];
}

/** One case-insensitive search for any of the keywords (no lower-cased copy of the text). */
function keywordPattern(keywords: readonly string[]): RegExp {
  return new RegExp(keywords.map(escapeRegExp).join('|'), 'i');
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}
