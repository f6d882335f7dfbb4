/**
 * Literal strings at least one of which every match of a regular expression contains, read off
 * the pattern's source — so a cheap search for them can rule a file out before the pattern runs.
 * `\bprocess\.(?:on|once)\(\s*['"]SIGTERM` needs "process." (or "SIGTERM"); `\b(?:pg_dump|mysqldump)\b`
 * needs "pg_dump" or "mysqldump". Conservative: whatever it does not understand (classes,
 * back-references, lookarounds, optional parts) requires nothing, and when some alternative
 * requires nothing at all the answer is undefined: no prefilter. Literals are meant to be
 * searched case-insensitively, which is a superset of what a case-sensitive pattern finds.
 */

/** Shorter literals are too common to rule anything out. */
const MIN_LITERAL_LENGTH = 3;

/** One way to be sure of a match: it contains one of these strings. */
type Requirement = string[];

export function requiredLiterals(source: string): string[] | undefined {
  try {
    const parser = new PatternReader(source);
    const requirement = parser.alternation();
    if (!parser.atEnd()) return undefined;
    return requirement && requirement.length ? [...new Set(requirement)] : undefined;
  } catch {
    return undefined;
  }
}

/** Escapes whose meaning is a set of characters, not the character itself. */
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'p', 'P', 'u', 'x', 'c', 'k', 't', 'n', 'r', 'f', 'v', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

class PatternReader {
  private index = 0;

  constructor(private readonly source: string) {}

  atEnd(): boolean {
    return this.index >= this.source.length;
  }

  /** Alternatives up to the end or the closing parenthesis; undefined when one of them requires nothing. */
  alternation(): Requirement | undefined {
    const all: string[] = [];
    let unconstrained = false;
    for (;;) {
      const requirement = this.sequence();
      if (requirement) all.push(...requirement);
      else unconstrained = true;
      if (this.source[this.index] !== '|') break;
      this.index++;
    }
    return unconstrained ? undefined : all;
  }

  /** One alternative: its best requirement among its literal runs and required groups. */
  private sequence(): Requirement | undefined {
    const candidates: Requirement[] = [];
    let run = '';
    const endRun = () => {
      if (run.length >= MIN_LITERAL_LENGTH) candidates.push([run]);
      run = '';
    };
    while (this.index < this.source.length) {
      const char = this.source[this.index];
      if (char === '|' || char === ')') break;
      if (char === '(') {
        endRun();
        const group = this.group();
        if (this.optionalQuantifier()) continue;
        if (group) candidates.push(group);
        continue;
      }
      if (char === '[') {
        endRun();
        this.skipClass();
        this.quantifier();
        continue;
      }
      if (char === '.' || char === '^' || char === '$') {
        endRun();
        this.index++;
        this.quantifier();
        continue;
      }
      if ('*+?{'.includes(char)) throw new Error('quantifier without an atom');
      let literal: string | undefined;
      if (char === '\\') {
        const escaped = this.source[this.index + 1];
        if (escaped === undefined) throw new Error('trailing backslash');
        this.index += 2;
        if (CLASS_ESCAPES.has(escaped)) {
          endRun();
          this.quantifier();
          continue;
        }
        literal = escaped;
      } else {
        literal = char;
        this.index++;
      }
      const quantifier = this.quantifier();
      if (quantifier === 'optional') {
        endRun();
      } else if (quantifier === 'repeated') {
        run += literal;
        endRun();
      } else {
        run += literal;
      }
    }
    endRun();
    return best(candidates);
  }

  /** A group's requirement (the index is at its opening parenthesis); lookarounds require nothing. */
  private group(): Requirement | undefined {
    this.index++;
    let lookaround = false;
    if (this.source[this.index] === '?') {
      const kind = this.source.slice(this.index, this.index + 3);
      if (kind.startsWith('?:')) this.index += 2;
      else if (kind.startsWith('?=') || kind.startsWith('?!') || kind === '?<=' || kind === '?<!') {
        lookaround = true;
        this.index += kind.startsWith('?<') ? 3 : 2;
      } else if (kind.startsWith('?<')) {
        const close = this.source.indexOf('>', this.index);
        if (close === -1) throw new Error('unterminated group name');
        this.index = close + 1;
      } else {
        throw new Error(`unsupported group (${kind}`);
      }
    }
    const inner = this.alternation();
    if (this.source[this.index] !== ')') throw new Error('unterminated group');
    this.index++;
    return lookaround ? undefined : inner;
  }

  private skipClass(): void {
    this.index++;
    if (this.source[this.index] === '^') this.index++;
    if (this.source[this.index] === ']') this.index++;
    while (this.index < this.source.length && this.source[this.index] !== ']') this.index += this.source[this.index] === '\\' ? 2 : 1;
    if (this.index >= this.source.length) throw new Error('unterminated class');
    this.index++;
  }

  /** Reads a quantifier after an atom: 'optional' when the atom may be absent, 'repeated' when present at least once. */
  private quantifier(): 'optional' | 'repeated' | undefined {
    const char = this.source[this.index];
    let kind: 'optional' | 'repeated' | undefined;
    if (char === '?' || char === '*') {
      kind = 'optional';
      this.index++;
    } else if (char === '+') {
      kind = 'repeated';
      this.index++;
    } else if (char === '{') {
      const match = /^\{(\d+)(,\d*)?\}/.exec(this.source.slice(this.index));
      if (!match) return undefined; // a literal brace
      kind = Number(match[1]) === 0 ? 'optional' : match[2] === undefined && match[1] === '1' ? undefined : 'repeated';
      this.index += match[0].length;
    }
    if (kind && this.source[this.index] === '?') this.index++; // lazy
    return kind;
  }

  /** After a group: whether a quantifier makes it optional (consumed either way). */
  private optionalQuantifier(): boolean {
    return this.quantifier() === 'optional';
  }
}

/** The requirement that rules out the most: the one whose shortest literal is longest. */
function best(candidates: readonly Requirement[]): Requirement | undefined {
  let chosen: Requirement | undefined;
  let chosenScore = 0;
  for (const candidate of candidates) {
    const score = Math.min(...candidate.map((literal) => literal.length));
    if (score >= MIN_LITERAL_LENGTH && score > chosenScore) {
      chosen = candidate;
      chosenScore = score;
    }
  }
  return chosen;
}
