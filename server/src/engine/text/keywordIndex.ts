/**
 * Aho-Corasick automaton over ASCII, case-insensitive: one pass over a file finds every
 * occurrence of every rule keyword, so rule regexes only run where a keyword is.
 */
export class KeywordIndex {
  /** Dense transition table: state * 128 + folded char → next state. */
  private readonly transitions: Int32Array;
  /** For each state, the keyword ids that end there (including via failure links). */
  private readonly outputs: (readonly number[] | undefined)[];
  /** 1 where a state has outputs: the scan loop reads this typed array, faster than `outputs`. */
  private readonly hasOutput: Uint8Array;

  constructor(readonly keywords: readonly string[]) {
    const children: Map<number, number>[] = [new Map()];
    const ownOutputs: number[][] = [[]];
    keywords.forEach((keyword, id) => {
      let state = 0;
      for (const char of keyword.toLowerCase()) {
        const code = char.charCodeAt(0);
        if (code >= 128) throw new Error(`Keyword "${keyword}" must be ASCII`);
        let next = children[state].get(code);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          ownOutputs.push([]);
          children[state].set(code, next);
        }
        state = next;
      }
      ownOutputs[state].push(id);
    });

    const stateCount = children.length;
    const transitions = new Int32Array(stateCount * 128);
    const failure = new Int32Array(stateCount);
    const outputs: (number[] | undefined)[] = new Array(stateCount);
    outputs[0] = ownOutputs[0].length ? ownOutputs[0] : undefined;

    // Breadth-first, so a state's failure target (shallower) has its whole row before the state
    // copies it: each row starts as its failure state's row, then the state's own children
    // override it (whole-row copies: building per character took ~25 ms of every start).
    const queue: number[] = [];
    for (const [code, next] of children[0]) {
      transitions[code] = next;
      queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      const fallback = failure[state];
      const merged = ownOutputs[state].concat(outputs[fallback] ?? []);
      outputs[state] = merged.length ? merged : undefined;
      transitions.copyWithin(state * 128, fallback * 128, fallback * 128 + 128);
      for (const [code, next] of children[state]) {
        failure[next] = transitions[fallback * 128 + code];
        transitions[state * 128 + code] = next;
        queue.push(next);
      }
    }
    // Upper-case letters behave like lower-case ones.
    for (let state = 0; state < stateCount; state++) transitions.copyWithin(state * 128 + 65, state * 128 + 97, state * 128 + 123);
    this.transitions = transitions;
    this.outputs = outputs;
    this.hasOutput = Uint8Array.from(outputs, (found) => (found ? 1 : 0));
  }

  /**
   * One pass for two kinds of users: keywords below `reported` go to onHit as `scan` does; for
   * the others, bit `id - reported` of `marks` is set, as `markPresent` does.
   */
  scanAndMark(text: string, reported: number, onHit: (keywordId: number, end: number) => void, marks: Uint32Array): void {
    this.walk(text, 0, text.length, reported, onHit, marks);
  }

  /** Sets bit `id` of `bits` for every keyword the text holds (no callback per hit: common words hit often). */
  markPresent(text: string, bits: Uint32Array): void {
    this.walk(text, 0, text.length, 0, ignoreHit, bits);
  }

  /** Calls onHit(keywordId, endOffset) for every keyword occurrence in text[from, to). */
  scan(text: string, onHit: (keywordId: number, end: number) => void, from = 0, to = text.length): void {
    this.walk(text, from, to, this.keywords.length, onHit, NO_MARKS);
  }

  private walk(text: string, from: number, to: number, reported: number, onHit: (keywordId: number, end: number) => void, marks: Uint32Array): void {
    const { transitions, outputs, hasOutput } = this;
    let state = 0;
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      state = code < 128 ? transitions[(state << 7) | code] : 0;
      if (hasOutput[state] === 0) continue;
      const found = outputs[state]!;
      for (let k = 0; k < found.length; k++) {
        const id = found[k];
        if (id < reported) {
          onHit(id, i + 1);
        } else {
          const bit = id - reported;
          marks[bit >>> 5] |= 1 << (bit & 31);
        }
      }
    }
  }
}

const NO_MARKS = new Uint32Array(0);
function ignoreHit(): void {}
