/**
 * Aho-Corasick automaton over ASCII, case-insensitive: one pass over a file finds every
 * occurrence of every rule keyword, so rule regexes only run where a keyword is.
 */
export class KeywordIndex {
  /** Dense transition table: state * 128 + folded char → next state. */
  private readonly transitions: Int32Array;
  /** For each state, the keyword ids that end there (including via failure links). */
  private readonly outputs: (readonly number[] | undefined)[];

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

    // Breadth-first, so a state's failure target is complete before the state is.
    const queue: number[] = [];
    for (let code = 0; code < 128; code++) {
      const next = children[0].get(code);
      transitions[code] = next ?? 0;
      if (next !== undefined) queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      const merged = ownOutputs[state].concat(outputs[failure[state]] ?? []);
      outputs[state] = merged.length ? merged : undefined;
      for (let code = 0; code < 128; code++) {
        const next = children[state].get(code);
        if (next === undefined) {
          transitions[state * 128 + code] = transitions[failure[state] * 128 + code];
        } else {
          failure[next] = transitions[failure[state] * 128 + code];
          transitions[state * 128 + code] = next;
          queue.push(next);
        }
      }
    }
    // Upper-case letters behave like lower-case ones.
    for (let state = 0; state < stateCount; state++) {
      for (let code = 65; code <= 90; code++) transitions[state * 128 + code] = transitions[state * 128 + code + 32];
    }
    this.transitions = transitions;
    this.outputs = outputs;
  }

  /** Sets bit `id` of `bits` for every keyword the text holds (no callback per hit: common words hit often). */
  markPresent(text: string, bits: Uint32Array): void {
    const transitions = this.transitions;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      state = code < 128 ? transitions[(state << 7) | code] : 0;
      const found = outputs[state];
      if (found !== undefined) for (let k = 0; k < found.length; k++) bits[found[k] >>> 5] |= 1 << (found[k] & 31);
    }
  }

  /** Calls onHit(keywordId, endOffset) for every keyword occurrence in text[from, to). */
  scan(text: string, onHit: (keywordId: number, end: number) => void, from = 0, to = text.length): void {
    const transitions = this.transitions;
    const outputs = this.outputs;
    let state = 0;
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      state = code < 128 ? transitions[(state << 7) | code] : 0;
      const found = outputs[state];
      if (found !== undefined) for (let k = 0; k < found.length; k++) onHit(found[k], i + 1);
    }
  }
}
