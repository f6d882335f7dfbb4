import { lineStartsStatement } from './statementStart';
import type { PyStringField } from './tokens';

/** What a string prefix (`rb`, `f`, `U`…) says about the literal that follows. */
export interface StringPrefixFlags {
  raw: boolean;
  bytes: boolean;
  unicode: boolean;
  formatted: boolean;
  template: boolean;
}

export interface ScannedString {
  end: number;
  triple: boolean;
  bodyStart: number;
  bodyEnd: number;
  terminated: boolean;
  fields: PyStringField[];
}

/**
 * f-strings can nest inside their own replacement fields (`f"{f'{x}'}"`). Beyond this depth
 * nested strings are scanned as plain strings, so hostile input cannot recurse without bound.
 */
const MAX_FSTRING_NESTING = 12;

const LF = 10, CR = 13, BANG = 33, DQUOTE = 34, SQUOTE = 39;
const LPAREN = 40, RPAREN = 41, COLON = 58, LT = 60, EQUALS = 61, GT = 62;
const LBRACKET = 91, BACKSLASH = 92, RBRACKET = 93, LBRACE = 123, RBRACE = 125, UPPER_N = 78;

/** Shared by the many strings without replacement fields; frozen so nobody can add to it. */
const NO_FIELDS = Object.freeze([]) as unknown as PyStringField[];

const NO_PREFIX: StringPrefixFlags = { raw: false, bytes: false, unicode: false, formatted: false, template: false };

/**
 * The flags of a string prefix, or undefined when the letters are not a string prefix (then
 * they are just a name followed by a quote). Accepts Python 2's `ur` as well.
 */
export function stringPrefixFlags(prefix: string): StringPrefixFlags | undefined {
  if (prefix.length === 0) return NO_PREFIX;
  if (prefix.length > 2) return undefined;
  const flags = { ...NO_PREFIX };
  let kinds = 0;
  for (const letter of prefix.toLowerCase()) {
    switch (letter) {
      case 'r':
        if (flags.raw) return undefined;
        flags.raw = true;
        break;
      case 'b':
        flags.bytes = true;
        kinds++;
        break;
      case 'u':
        flags.unicode = true;
        kinds++;
        break;
      case 'f':
        flags.formatted = true;
        kinds++;
        break;
      case 't':
        flags.template = true;
        kinds++;
        break;
      default:
        return undefined;
    }
  }
  return kinds > 1 ? undefined : flags;
}

function isAsciiIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function isQuote(c: number): boolean {
  return c === DQUOTE || c === SQUOTE;
}

function isTripleQuoteAt(text: string, at: number, quote: number, limit: number): boolean {
  return at + 2 < limit && text.charCodeAt(at) === quote && text.charCodeAt(at + 1) === quote && text.charCodeAt(at + 2) === quote;
}

/**
 * Scans a string literal whose opening quote is at `quoteAt`, stopping at `limit`.
 * A single-quoted string that meets a line break is unterminated and ends there; a
 * triple-quoted one runs to `limit`. For f-strings it records every replacement field.
 */
export function scanString(
  text: string,
  quoteAt: number,
  limit: number,
  formatted: boolean,
  raw: boolean,
  nesting = 0,
): ScannedString {
  const quote = text.charCodeAt(quoteAt);
  const triple = isTripleQuoteAt(text, quoteAt, quote, limit);
  const bodyStart = quoteAt + (triple ? 3 : 1);
  const scanFields = formatted && nesting < MAX_FSTRING_NESTING;
  const fields: PyStringField[] = scanFields ? [] : NO_FIELDS;
  let p = bodyStart;
  while (p < limit) {
    const c = text.charCodeAt(p);
    if (c === BACKSLASH) {
      const next = p + 1 < limit ? text.charCodeAt(p + 1) : -1;
      // In f-strings `\{` still opens a field, and `\N{DASH}` names a character, not a field.
      if (scanFields && (next === LBRACE || next === RBRACE)) {
        p++;
        continue;
      }
      if (scanFields && !raw && next === UPPER_N && text.charCodeAt(p + 2) === LBRACE) {
        p = skipNamedEscape(text, p + 3, limit);
        continue;
      }
      p += next === CR && text.charCodeAt(p + 2) === LF ? 3 : 2;
      continue;
    }
    if (c === quote) {
      if (!triple) return { end: p + 1, triple, bodyStart, bodyEnd: p, terminated: true, fields };
      if (isTripleQuoteAt(text, p, quote, limit)) return { end: p + 3, triple, bodyStart, bodyEnd: p, terminated: true, fields };
    } else if ((c === LF || c === CR) && !triple) {
      return { end: p, triple, bodyStart, bodyEnd: p, terminated: false, fields };
    } else if (scanFields && c === LBRACE) {
      if (p + 1 < limit && text.charCodeAt(p + 1) === LBRACE) {
        p += 2;
        continue;
      }
      const field = scanField(text, p, limit, quote, triple, raw, nesting);
      fields.push(field);
      p = field.end;
      continue;
    }
    p++;
  }
  return { end: limit, triple, bodyStart, bodyEnd: limit, terminated: false, fields };
}

/** Skips `\N{NAME}`'s name; stops at a line break so a typo cannot swallow the file. */
function skipNamedEscape(text: string, p: number, limit: number): number {
  while (p < limit) {
    const c = text.charCodeAt(p);
    if (c === RBRACE) return p + 1;
    if (c === LF || c === CR || isQuote(c)) return p;
    p++;
  }
  return p;
}

/**
 * Scans one replacement field starting at its `{`. Follows Python 3.12 (PEP 701): the
 * expression may contain strings using the same quote as the enclosing f-string, and
 * nested f-strings. Code valid for older Pythons scans the same way.
 */
function scanField(
  text: string,
  open: number,
  limit: number,
  quote: number,
  triple: boolean,
  raw: boolean,
  nesting: number,
): PyStringField {
  const field: PyStringField = {
    start: open,
    end: open + 1,
    expressionStart: open + 1,
    expressionEnd: -1,
    selfDocumenting: false,
    formatFields: [],
    terminated: false,
  };
  // 'expression' until `!`, `:`, `=` or `}` at bracket depth 0; then 'after' (conversion,
  // whitespace); then 'spec' (format spec text, which may hold nested fields).
  let phase: 'expression' | 'after' | 'spec' = 'expression';
  let depth = 0;
  let p = open + 1;
  const finish = (at: number, terminated: boolean): PyStringField => {
    if (field.expressionEnd < 0) field.expressionEnd = at;
    if (phase === 'spec') field.formatSpecEnd = at;
    field.end = terminated ? at + 1 : at;
    field.terminated = terminated;
    return field;
  };
  while (p < limit) {
    const c = text.charCodeAt(p);
    if ((c === LF || c === CR) && !triple) {
      // Python 3.12 lets a bracketed expression in a field span lines even in a one-line
      // f-string. A bracket left open while typing must not swallow the file, though: stop at
      // a closed bracket level, or at a line that can only start a statement.
      const nextLine = p + (c === CR && text.charCodeAt(p + 1) === LF ? 2 : 1);
      if (phase !== 'expression' || depth === 0 || lineStartsStatement(text, nextLine, limit)) return finish(p, false);
      p = nextLine;
      continue;
    }
    if (phase === 'spec') {
      if (c === quote && (!triple || isTripleQuoteAt(text, p, quote, limit))) return finish(p, false);
      if (c === RBRACE) return finish(p, true);
      if (c === LBRACE && nesting + 1 < MAX_FSTRING_NESTING) {
        const nested = scanField(text, p, limit, quote, triple, raw, nesting + 1);
        field.formatFields.push(nested);
        p = nested.end;
        continue;
      }
      p += c === BACKSLASH ? 2 : 1;
      continue;
    }
    if (isQuote(c)) {
      if (phase === 'after') return finish(p, false);
      p = scanString(text, p, limit, false, false, nesting + 1).end;
      continue;
    }
    if (isAsciiIdentifierChar(c)) {
      // A name directly followed by a quote may be a prefixed string: f'…' nested in a field.
      const wordStart = p;
      while (p < limit && isAsciiIdentifierChar(text.charCodeAt(p))) p++;
      if (phase === 'after' && field.conversion === undefined && text.charCodeAt(wordStart - 1) === BANG) {
        field.conversion = text.slice(wordStart, p);
        continue;
      }
      if (p < limit && isQuote(text.charCodeAt(p)) && p - wordStart <= 2) {
        const flags = stringPrefixFlags(text.slice(wordStart, p));
        if (flags) p = scanString(text, p, limit, flags.formatted || flags.template, flags.raw, nesting + 1).end;
      }
      continue;
    }
    if (phase === 'after') {
      if (c === COLON) {
        phase = 'spec';
        field.formatSpecStart = p + 1;
      } else if (c === RBRACE) {
        return finish(p, true);
      }
      p++;
      continue;
    }
    // phase === 'expression'
    if (c === LPAREN || c === LBRACKET || c === LBRACE) {
      depth++;
    } else if (c === RPAREN || c === RBRACKET) {
      if (depth > 0) depth--;
    } else if (c === RBRACE) {
      if (depth === 0) return finish(p, true);
      depth--;
    } else if (depth === 0) {
      const next = p + 1 < limit ? text.charCodeAt(p + 1) : -1;
      if (c === BANG && next !== EQUALS) {
        field.expressionEnd = p;
        phase = 'after';
      } else if (c === COLON) {
        field.expressionEnd = p;
        phase = 'spec';
        field.formatSpecStart = p + 1;
      } else if (c === EQUALS && next !== EQUALS && !isComparisonLead(text.charCodeAt(p - 1))) {
        field.expressionEnd = p;
        field.selfDocumenting = true;
        phase = 'after';
      }
    }
    p += c === BACKSLASH ? 2 : 1;
  }
  return finish(Math.min(p, limit), false);
}

/** `=` after these characters is part of `==`, `!=`, `<=` or `>=`, not a `{x=}` marker. */
function isComparisonLead(c: number): boolean {
  return c === EQUALS || c === BANG || c === LT || c === GT;
}
