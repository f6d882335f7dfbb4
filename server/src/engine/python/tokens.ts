/**
 * Token shapes produced by `tokenizePython`. The kinds mean what they mean in Python's own
 * `tokenize` module, so anyone who knows that module can read a token stream here.
 */
export type PyTokenKind =
  | 'NAME'
  | 'NUMBER'
  | 'STRING'
  | 'OP'
  /** End of a logical line (a statement may continue over several physical lines). */
  | 'NEWLINE'
  /** A line break that does not end a statement: blank lines, comment lines, inside brackets. */
  | 'NL'
  | 'INDENT'
  | 'DEDENT'
  | 'COMMENT'
  | 'ENDMARKER'
  /** A character Python would reject (`$`, `?`, a lone `!`, a NUL byte, a stray backslash). */
  | 'ERRORTOKEN';

/**
 * One `{…}` replacement field of an f-string (or t-string). Input analysis needs the
 * expression span to know which values are interpolated into the text.
 */
export interface PyStringField {
  /** Offset of the opening `{`. */
  start: number;
  /** Offset after the closing `}`; where scanning stopped when the field is unterminated. */
  end: number;
  /** The interpolated expression's source span (before any `=`, `!r` or `:spec`). */
  expressionStart: number;
  expressionEnd: number;
  /** `r`, `s` or `a` for `{x!r}`. */
  conversion?: string;
  /** `{x=}` prints the expression text as well as its value. */
  selfDocumenting: boolean;
  /** The format spec after `:`, without the colon. */
  formatSpecStart?: number;
  formatSpecEnd?: number;
  /** Fields nested inside the format spec, e.g. `{width}` in `{x:{width}}`. */
  formatFields: PyStringField[];
  terminated: boolean;
}

export interface PyStringInfo {
  /** The prefix exactly as written (`f`, `Rb`, `` for none). */
  prefix: string;
  raw: boolean;
  bytes: boolean;
  unicode: boolean;
  formatted: boolean;
  /** Python 3.14 t-strings: formatted like f-strings but produce a template object. */
  template: boolean;
  quote: '"' | "'";
  triple: boolean;
  /** Span between the quotes. */
  bodyStart: number;
  bodyEnd: number;
  /** False when the closing quote is missing (the string runs to the line end, or the file end when triple-quoted). */
  terminated: boolean;
  /** Replacement fields, in source order; empty unless `formatted` or `template`. */
  fields: PyStringField[];
}

/** A class rather than object literals so every token has the same shape (faster property access). */
export class PyToken {
  constructor(
    readonly kind: PyTokenKind,
    /** UTF-16 offset of the first character (an LSP position once mapped through a line index). */
    readonly start: number,
    /** UTF-16 offset after the last character. */
    readonly end: number,
    /** The token's source text (empty for DEDENT and ENDMARKER). */
    readonly value: string,
    /** Set on STRING tokens only. */
    readonly string: PyStringInfo | undefined = undefined,
  ) {}
}
