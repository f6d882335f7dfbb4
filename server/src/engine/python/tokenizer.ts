import { startsStatementAt } from './statementStart';
import { scanString, stringPrefixFlags } from './stringScanner';
import { PyToken, type PyStringInfo, type PyTokenKind } from './tokens';

export { PyToken } from './tokens';
export type { PyStringField, PyStringInfo, PyTokenKind } from './tokens';

const TAB = 9, LF = 10, FF = 12, CR = 13, SPACE = 32, BANG = 33, DQUOTE = 34, HASH = 35, PERCENT = 37;
const AMPERSAND = 38, SQUOTE = 39, LPAREN = 40, RPAREN = 41, STAR = 42, PLUS = 43, COMMA = 44;
const MINUS = 45, DOT = 46, SLASH = 47, ZERO = 48, COLON = 58, SEMICOLON = 59, LT = 60, EQUALS = 61;
const GT = 62, AT = 64, LBRACKET = 91, BACKSLASH = 92, RBRACKET = 93, CARET = 94, LBRACE = 123;
const PIPE = 124, RBRACE = 125, TILDE = 126;

/** Bit 1: may start an identifier; bit 2: may continue one (ASCII only; the rest goes through Unicode properties). */
const ASCII_IDENTIFIER = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  ASCII_IDENTIFIER[c] = (letter ? 1 : 0) | (letter || (c >= 48 && c <= 57) ? 2 : 0);
}

/**
 * Token text for one-character tokens, shared rather than sliced: most tokens are `(`, `.`,
 * `,`, `=` or a line break, and not allocating them keeps garbage collection off the profile.
 */
const ONE_CHARACTER_TEXT: string[] = [];
for (let c = 0; c < 128; c++) ONE_CHARACTER_TEXT.push(String.fromCharCode(c));

const UNICODE_ID_START = /\p{XID_Start}/uy;
const UNICODE_ID_CONTINUE_RUN = /\p{XID_Continue}+/uy;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isDigitOrUnderscore(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 95;
}

function isAlphanumericOrUnderscore(c: number): boolean {
  return c >= 0 && c < 128 && (ASCII_IDENTIFIER[c] & 2) !== 0;
}

/** Characters Python rejects but that pasted code often carries (no-break spaces, zero-width spaces, BOMs); treated as blanks. */
function isUnicodeBlank(c: number): boolean {
  return c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Tokenizes a whole Python file. Never throws; text Python would reject becomes ERRORTOKENs or unterminated strings. */
export function tokenizePython(text: string): PyToken[] {
  return new Tokenizer(text, 0, text.length, false).run();
}

/**
 * Tokenizes `text[start, end)` in place, so token offsets still index `text`. With
 * `insideBrackets` the range behaves like the inside of parentheses (line breaks are NL,
 * no INDENT/DEDENT/NEWLINE): that is how f-string replacement fields are tokenized.
 * `fStringNesting` says how deep inside f-strings the range already is, so the limit on
 * nesting holds across re-tokenizations and deep nesting is scanned a bounded number of times.
 */
export function tokenizeRange(text: string, start: number, end: number, insideBrackets: boolean, fStringNesting = 0): PyToken[] {
  const from = Math.max(0, Math.min(start, text.length));
  return new Tokenizer(text, from, Math.max(from, Math.min(end, text.length)), insideBrackets, fStringNesting).run();
}

class Tokenizer {
  private readonly tokens: PyToken[] = [];
  private readonly indents: number[] = [0];
  private pos: number;
  /** Open brackets; a counter rather than a stack so 100,000 `(` cost nothing. */
  private depth = 0;
  /** Whether the current logical line has produced a token that makes it a statement. */
  private lineHasCode = false;

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
    private readonly insideBrackets: boolean,
    private readonly fStringNesting = 0,
  ) {
    this.pos = start;
  }

  run(): PyToken[] {
    const { text, end } = this;
    if (this.pos === 0 && text.charCodeAt(0) === 0xfeff) this.pos = 1;
    let atLineStart = !this.insideBrackets;
    while (this.pos < end) {
      if (atLineStart) {
        atLineStart = false;
        this.startLine();
        continue;
      }
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB || c === FF) {
        this.pos++;
      } else if (c === LF || c === CR) {
        this.newline(c);
        atLineStart = !this.insideBrackets;
      } else if (c === HASH) {
        this.comment();
      } else if (c === BACKSLASH) {
        this.backslash();
      } else if (c >= 0x80 && isUnicodeBlank(c)) {
        this.pos++;
      } else {
        this.lineHasCode = true;
        if (c === SQUOTE || c === DQUOTE) this.string(this.pos, this.pos, '');
        else if (c < 128 ? (ASCII_IDENTIFIER[c] & 1) !== 0 : this.unicodeIdentifierStartsAt(this.pos)) this.name();
        else if (isDigit(c) || (c === DOT && isDigit(this.code(this.pos + 1)))) this.number();
        else this.operator(c);
      }
    }
    this.finish();
    return this.tokens;
  }

  /** The character code at `at`, or -1 outside the range being tokenized. */
  private code(at: number): number {
    return at < this.end ? this.text.charCodeAt(at) : -1;
  }

  private push(kind: PyTokenKind, start: number, end: number, string?: PyStringInfo): void {
    let value: string;
    if (start === end) value = '';
    else if (end - start === 1 && this.text.charCodeAt(start) < 128) value = ONE_CHARACTER_TEXT[this.text.charCodeAt(start)];
    else value = this.text.slice(start, end);
    this.tokens.push(new PyToken(kind, start, end, value, string));
  }

  private newlineLength(at: number): number {
    return this.code(at) === CR && this.code(at + 1) === LF ? 2 : 1;
  }

  /** Measures indentation, passes over blank and comment-only lines, emits INDENT/DEDENT. */
  private startLine(): void {
    const { text, end } = this;
    for (;;) {
      const lineStart = this.pos;
      let p = lineStart;
      let column = 0;
      for (; p < end; p++) {
        const c = text.charCodeAt(p);
        if (c === SPACE) column++;
        else if (c === TAB) column += 8 - (column % 8);
        else if (c === FF) column = 0;
        else break;
      }
      if (p >= end) {
        this.pos = p;
        return;
      }
      const c = text.charCodeAt(p);
      if (c === LF || c === CR) {
        const length = this.newlineLength(p);
        this.push('NL', p, p + length);
        this.pos = p + length;
        continue;
      }
      if (c === HASH) {
        this.pos = p;
        this.comment();
        if (this.pos < end) {
          const length = this.newlineLength(this.pos);
          this.push('NL', this.pos, this.pos + length);
          this.pos += length;
        }
        continue;
      }
      this.pos = p;
      if (this.depth > 0) {
        if (!startsStatementAt(this.text, p, this.end)) return;
        this.depth = 0;
        this.push('NEWLINE', lineStart, lineStart);
        this.lineHasCode = false;
      }
      this.indent(lineStart, p, column);
      return;
    }
  }

  private indent(lineStart: number, at: number, column: number): void {
    const { indents } = this;
    if (column > indents[indents.length - 1]) {
      indents.push(column);
      this.push('INDENT', lineStart, at);
      return;
    }
    while (indents.length > 1 && column < indents[indents.length - 1]) {
      indents.pop();
      this.push('DEDENT', at, at);
    }
    // A dedent to a column no outer block uses: Python raises IndentationError. Treating the
    // line as a block of its own keeps INDENT/DEDENT balanced and the parser going.
    if (column > indents[indents.length - 1]) {
      indents.push(column);
      this.push('INDENT', at, at);
    }
  }

  private newline(c: number): void {
    const length = c === CR && this.code(this.pos + 1) === LF ? 2 : 1;
    if (this.depth === 0 && !this.insideBrackets && this.lineHasCode) {
      this.push('NEWLINE', this.pos, this.pos + length);
      this.lineHasCode = false;
    } else {
      this.push('NL', this.pos, this.pos + length);
    }
    this.pos += length;
  }

  private comment(): void {
    const { text, end } = this;
    let p = this.pos;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === LF || c === CR) break;
      p++;
    }
    this.push('COMMENT', this.pos, p);
    this.pos = p;
  }

  /** A backslash before a line break joins the lines; anywhere else it is an error. */
  private backslash(): void {
    const next = this.code(this.pos + 1);
    if (next === LF || next === CR) {
      this.pos += 1 + this.newlineLength(this.pos + 1);
      return;
    }
    if (next === -1) {
      this.pos++;
      return;
    }
    this.lineHasCode = true;
    this.push('ERRORTOKEN', this.pos, this.pos + 1);
    this.pos++;
  }

  private unicodeIdentifierStartsAt(at: number): boolean {
    UNICODE_ID_START.lastIndex = at;
    return UNICODE_ID_START.test(this.text);
  }

  private identifierEnd(from: number): number {
    const { text, end } = this;
    let p = from;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c < 128) {
        if ((ASCII_IDENTIFIER[c] & 2) === 0) break;
        p++;
        continue;
      }
      UNICODE_ID_CONTINUE_RUN.lastIndex = p;
      const run = UNICODE_ID_CONTINUE_RUN.exec(text);
      if (!run) break;
      p = Math.min(end, p + run[0].length);
    }
    // A non-ASCII start character is itself a continue character, so this always advances.
    return Math.max(p, from + 1);
  }

  private name(): void {
    const start = this.pos;
    const end = this.identifierEnd(start);
    const next = this.code(end);
    if ((next === SQUOTE || next === DQUOTE) && end - start <= 2) {
      const prefix = this.text.slice(start, end);
      const flags = stringPrefixFlags(prefix);
      if (flags) {
        this.string(start, end, prefix, flags);
        return;
      }
    }
    this.push('NAME', start, end);
    this.pos = end;
  }

  private string(start: number, quoteAt: number, prefix: string, flags = stringPrefixFlags('')!): void {
    const formatted = flags.formatted || flags.template;
    const scanned = scanString(this.text, quoteAt, this.end, formatted, flags.raw, this.fStringNesting);
    const info: PyStringInfo = {
      prefix,
      ...flags,
      quote: this.text.charCodeAt(quoteAt) === DQUOTE ? '"' : "'",
      triple: scanned.triple,
      bodyStart: scanned.bodyStart,
      bodyEnd: scanned.bodyEnd,
      terminated: scanned.terminated,
      fields: scanned.fields,
    };
    this.push('STRING', start, scanned.end, info);
    this.pos = scanned.end;
  }

  private number(): void {
    let p = this.pos;
    const prefix = this.code(p + 1) | 0x20;
    if (this.code(p) === ZERO && (prefix === 0x78 || prefix === 0x6f || prefix === 0x62)) {
      // 0x…, 0o…, 0b…: take every letter and digit; a bad digit is not worth a second token.
      p += 2;
      while (isAlphanumericOrUnderscore(this.code(p))) p++;
      this.push('NUMBER', this.pos, p);
      this.pos = p;
      return;
    }
    while (isDigitOrUnderscore(this.code(p))) p++;
    if (this.code(p) === DOT) {
      p++;
      while (isDigitOrUnderscore(this.code(p))) p++;
    }
    if ((this.code(p) | 0x20) === 0x65) {
      // An exponent only when digits follow: `1else` (valid, if odd) is 1 then `else`.
      const sign = this.code(p + 1);
      const digitsAt = isDigit(sign) ? p + 1 : (sign === PLUS || sign === MINUS) && isDigit(this.code(p + 2)) ? p + 2 : -1;
      if (digitsAt > 0) {
        p = digitsAt;
        while (isDigitOrUnderscore(this.code(p))) p++;
      }
    }
    const suffix = this.code(p) | 0x20;
    if (suffix === 0x6a || suffix === 0x6c) p++; // 1j (imaginary), 10L (Python 2 long)
    this.push('NUMBER', this.pos, p);
    this.pos = p;
  }

  private operator(c: number): void {
    const at = this.pos;
    const next = this.code(at + 1);
    const afterNext = this.code(at + 2);
    let length = 1;
    switch (c) {
      case LPAREN:
      case LBRACKET:
      case LBRACE:
        this.depth++;
        break;
      case RPAREN:
      case RBRACKET:
      case RBRACE:
        if (this.depth > 0) this.depth--;
        break;
      case COMMA:
      case SEMICOLON:
      case TILDE:
        break;
      case COLON:
        length = next === EQUALS ? 2 : 1;
        break;
      case DOT:
        length = next === DOT && afterNext === DOT ? 3 : 1;
        break;
      case MINUS:
        length = next === GT || next === EQUALS ? 2 : 1;
        break;
      case PLUS:
      case PERCENT:
      case AMPERSAND:
      case PIPE:
      case CARET:
      case AT:
      case EQUALS:
        length = next === EQUALS ? 2 : 1;
        break;
      case STAR:
      case SLASH:
        length = next === c ? (afterNext === EQUALS ? 3 : 2) : next === EQUALS ? 2 : 1;
        break;
      case LT:
        length = next === LT ? (afterNext === EQUALS ? 3 : 2) : next === EQUALS || next === GT ? 2 : 1;
        break;
      case GT:
        length = next === GT ? (afterNext === EQUALS ? 3 : 2) : next === EQUALS ? 2 : 1;
        break;
      case BANG:
        length = next === EQUALS ? 2 : 0;
        break;
      default:
        length = 0;
    }
    if (length === 0) {
      // `$`, `?`, a backtick, NUL, a lone `!` or a character outside any identifier.
      const width = c >= 0xd800 && c <= 0xdbff && this.code(at + 1) >= 0xdc00 && this.code(at + 1) <= 0xdfff ? 2 : 1;
      this.push('ERRORTOKEN', at, at + width);
      this.pos = at + width;
      return;
    }
    this.push('OP', at, at + length);
    this.pos = at + length;
  }

  private finish(): void {
    const { end } = this;
    if (!this.insideBrackets) {
      if (this.lineHasCode) this.push('NEWLINE', end, end);
      while (this.indents.length > 1) {
        this.indents.pop();
        this.push('DEDENT', end, end);
      }
    }
    this.push('ENDMARKER', end, end);
  }
}
