import type { PyExpr, PyFormattedValue, PyStr, PyStrPart } from '../../python/ast';
import { decodeStringBody } from '../../python/decodeString';

/**
 * Python string literals as text and holes: the literal text of an f-string between its
 * `{…}` fields, the fields of a `%` format (`%s`, `%(name)s`) and of a `.format()` template
 * (`{}`, `{0}`, `{name}`). Both the flow analysis (to know what a string looks like) and the
 * SQL fix (to rewrite it) read strings through here.
 */

export type StrPiece = { text: string } | { expr: PyExpr; field: PyFormattedValue };

/** Where a literal part's body starts and ends (after the prefix and opening quotes, before the closing ones). */
export function partBody(part: PyStrPart): { start: number; end: number } {
  const quoteLength = part.triple ? 3 : 1;
  const start = Math.min(part.start + part.prefix.length + quoteLength, part.end);
  const end = part.terminated ? Math.max(start, part.end - quoteLength) : part.end;
  return { start, end };
}

/** The literal text and `{…}` fields of a string, in order; undefined for t-strings. */
export function strPieces(str: PyStr, text: string): StrPiece[] | undefined {
  const pieces: StrPiece[] = [];
  const pushText = (value: string) => {
    if (!value) return;
    const last = pieces[pieces.length - 1];
    if (last && 'text' in last) last.text += value;
    else pieces.push({ text: value });
  };
  let field = 0;
  for (const part of str.parts) {
    if (part.template) return undefined;
    const body = partBody(part);
    if (!part.formatted) {
      pushText(part.value ?? decodeStringBody(text, body.start, body.end, part.raw, part.bytes));
      continue;
    }
    let at = body.start;
    while (field < str.interpolations.length && str.interpolations[field].start < body.end) {
      const interpolation = str.interpolations[field++];
      if (interpolation.start < at) continue;
      pushText(unbrace(decodeStringBody(text, at, interpolation.start, part.raw, part.bytes)));
      pieces.push({ expr: interpolation.expression, field: interpolation });
      at = interpolation.end;
    }
    pushText(unbrace(decodeStringBody(text, at, body.end, part.raw, part.bytes)));
  }
  return pieces;
}

function unbrace(value: string): string {
  return value.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
}

export type FormatPiece = { text: string } | { key: string | number; spec: string };

/**
 * The pieces of a `%` format string: literal text (with `%%` as `%`) and fields, each with
 * its key (the position among the unnamed fields, or the name of `%(name)s`) and its
 * conversion (`s`, `d`, `r`, `.2f` …). Undefined when the format is not one Python accepts.
 */
export function percentPieces(format: string): FormatPiece[] | undefined {
  const pieces: FormatPiece[] = [];
  let text = '';
  let position = 0;
  const pattern = /%(?:\(([^)]*)\))?([-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%])/g;
  let last = 0;
  for (let match = pattern.exec(format); match; match = pattern.exec(format)) {
    text += format.slice(last, match.index);
    last = pattern.lastIndex;
    if (match[2] === '%' && match[1] === undefined) {
      text += '%';
      continue;
    }
    if (text) pieces.push({ text });
    text = '';
    pieces.push({ key: match[1] ?? position++, spec: match[2] });
  }
  const rest = format.slice(last);
  if (rest.includes('%')) return undefined;
  text += rest;
  if (text) pieces.push({ text });
  return pieces;
}

/**
 * The pieces of a `str.format` template: literal text (`{{` as `{`) and fields, each with its
 * key (automatic or explicit position, or a name) and what follows the key (`!r`, `:>10`,
 * `.attr`, `[0]`). Undefined when the template is malformed.
 */
export function bracePieces(format: string): FormatPiece[] | undefined {
  const pieces: FormatPiece[] = [];
  let text = '';
  let automatic = 0;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === '{' && format[i + 1] === '{') {
      text += '{';
      i++;
    } else if (ch === '}' && format[i + 1] === '}') {
      text += '}';
      i++;
    } else if (ch === '{') {
      const close = format.indexOf('}', i);
      if (close === -1) return undefined;
      const inside = format.slice(i + 1, close);
      if (inside.includes('{')) return undefined;
      const match = /^([A-Za-z_]\w*|\d+)?(.*)$/s.exec(inside)!;
      if (text) pieces.push({ text });
      text = '';
      pieces.push({ key: match[1] === undefined ? automatic++ : /^\d+$/.test(match[1]) ? Number(match[1]) : match[1], spec: match[2] });
      i = close;
    } else if (ch === '}') {
      return undefined;
    } else {
      text += ch;
    }
  }
  if (text) pieces.push({ text });
  return pieces;
}
