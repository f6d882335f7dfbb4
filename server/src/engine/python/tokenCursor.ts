import type { PyErrorExpr, PyParseError } from './ast';
import type { PyToken, PyTokenKind } from './tokens';

/**
 * How deep brackets, unary operators, lambdas and blocks may nest before the parser stops
 * descending and records the rest as an error. Python itself gives up at 200 parentheses;
 * recursion stays far from JavaScript's stack limit even when the caller is already deep.
 */
export const MAX_NESTING = 100;

/** Byte soup could otherwise produce one error per character. */
const MAX_ERRORS = 500;

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

/** Position and small helpers over the parser's token array (comments and NL already removed). */
export class TokenCursor {
  protected tokens: PyToken[];
  protected pos = 0;
  /** Current nesting, counted against MAX_NESTING. */
  protected depth = 0;
  /** End of the last consumed token that is not NEWLINE/INDENT/DEDENT: where a finished node ends. */
  protected lastEnd = 0;
  readonly errors: PyParseError[] = [];

  constructor(
    protected readonly text: string,
    tokens: PyToken[],
  ) {
    this.tokens = tokens;
  }

  /** The current token; the last token is always ENDMARKER and the cursor never passes it. */
  protected get tok(): PyToken {
    return this.tokens[this.pos];
  }

  /** A method, not `this.tok.kind`, so TypeScript does not carry a narrowed kind across `advance()`. */
  protected at(kind: PyTokenKind): boolean {
    return this.tokens[this.pos].kind === kind;
  }

  protected peek(offset = 1): PyToken {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  protected advance(): PyToken {
    const token = this.tokens[this.pos];
    if (this.pos < this.tokens.length - 1) this.pos++;
    const kind = token.kind;
    if (kind !== 'NEWLINE' && kind !== 'INDENT' && kind !== 'DEDENT' && kind !== 'ENDMARKER') this.lastEnd = token.end;
    return token;
  }

  protected atOp(value: string): boolean {
    const token = this.tokens[this.pos];
    return token.kind === 'OP' && token.value === value;
  }

  protected eatOp(value: string): boolean {
    if (!this.atOp(value)) return false;
    this.advance();
    return true;
  }

  protected atName(value: string): boolean {
    const token = this.tokens[this.pos];
    return token.kind === 'NAME' && token.value === value;
  }

  protected eatName(value: string): boolean {
    if (!this.atName(value)) return false;
    this.advance();
    return true;
  }

  /** At a token no expression or statement can continue past. */
  protected atLineEnd(): boolean {
    const kind = this.tokens[this.pos].kind;
    return kind === 'NEWLINE' || kind === 'ENDMARKER' || kind === 'INDENT' || kind === 'DEDENT';
  }

  protected atCloser(): boolean {
    const token = this.tokens[this.pos];
    return token.kind === 'OP' && CLOSERS.has(token.value);
  }

  /**
   * Consumes the closing bracket of a bracket opened at `openStart`. Any closer counts, as in
   * the tokenizer's bracket counting, so a mistyped `(a]` still ends the group.
   */
  protected expectCloser(expected: string, openStart: number): void {
    if (this.atCloser()) {
      if (this.tok.value !== expected) this.error(`expected '${expected}'`, this.tok.start, this.tok.end);
      this.advance();
      return;
    }
    this.error(`'${OPENING[expected]}' was never closed`, openStart, openStart + 1);
  }

  protected error(message: string, start: number, end = start): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ start, end: Math.max(start, end), message });
  }

  protected errorExpr(message: string, start: number, end = start): PyErrorExpr {
    this.error(message, start, end);
    return { type: 'ErrorExpr', parent: undefined, start, end: Math.max(start, end), message };
  }

  /**
   * Skips tokens up to (not including) the first one `stop` accepts at bracket depth 0, an
   * unmatched closing bracket, or the end of the logical line. Always leaves the cursor on a
   * token the caller can act on.
   */
  protected skipBalanced(stop: (token: PyToken) => boolean): void {
    let balance = 0;
    while (!this.atLineEnd()) {
      const token = this.tok;
      if (token.kind === 'OP') {
        if (OPENERS.has(token.value)) balance++;
        else if (CLOSERS.has(token.value)) {
          if (balance === 0) return;
          balance--;
        } else if (balance === 0 && stop(token)) return;
      } else if (balance === 0 && stop(token)) {
        return;
      }
      this.advance();
    }
  }

  protected skipToLineEnd(): void {
    while (!this.atLineEnd()) this.advance();
  }

  /** Enters one nesting level; false when MAX_NESTING is reached (the caller must not recurse). */
  protected enter(): boolean {
    if (this.depth >= MAX_NESTING) return false;
    this.depth++;
    return true;
  }

  protected leave(): void {
    this.depth--;
  }

  /** What a too-deep expression becomes: the rest of its bracket level, as one ErrorExpr. */
  protected tooDeep(): PyErrorExpr {
    const start = this.tok.start;
    this.skipBalanced(() => false);
    return this.errorExpr('nesting too deep to analyse', start, Math.max(start, this.lastEnd));
  }
}

const OPENING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
