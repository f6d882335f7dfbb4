/**
 * The language-independent half of the SQL parameterisation fixes (../fixes/sqlParameterize.ts
 * for JavaScript, ../python/fixes/pySqlParameterize.ts for Python): given the SQL as written,
 * cut into literal text and interpolated expressions, decide which expressions become
 * placeholders, and merge new values into existing positional ones. Reading the query from
 * the syntax tree and writing the new code stay with each language.
 */

/** The SQL as written: literal text, and expressions with whether they carry request input. */
export type SqlPiece<Expr> = { text: string } | { expr: Expr; tainted: boolean };

/** The rewritten query: text, an expression kept as it is, or a placeholder for `values[index]`. */
export type SqlToken<Expr> = { kind: 'text'; text: string } | { kind: 'keep'; expr: Expr } | { kind: 'param'; index: number };

export interface SqlValue<Expr> {
  /** The value: one expression, or (from a '…' string) text and expressions. */
  parts: (string | Expr)[];
  /** Existing placeholders before this one (for merging into existing values). */
  existingBefore: number;
  /** It was inside '…' in the SQL (so it was text there too). */
  quoted: boolean;
}

export interface SqlPlan<Expr> {
  tokens: SqlToken<Expr>[];
  values: SqlValue<Expr>[];
  /** `?` or `%s` placeholders already in the SQL, in the style asked for. */
  existingPlaceholders: number;
  /** The highest `$n` already in the SQL. */
  highestNumbered: number;
}

export interface PlanOptions {
  /** The driver's placeholder style: only its existing placeholders are counted. */
  style: '$n' | '?' | '%s' | ':name';
  /** Every expression becomes a value, not only request input (a tagged template). */
  allValues?: boolean;
  /** `LIMIT ?` is allowed (MySQL's prepared statements reject it). */
  limitAllowed: boolean;
}

/**
 * Walks the SQL text with its quoting state and decides, for each interpolation, whether it
 * becomes a placeholder (request input in a value position or inside a '…' string), stays
 * as it is (constants), or makes the fix impossible (input where SQL expects a name).
 */
export function planParameters<Expr>(pieces: readonly SqlPiece<Expr>[], options: PlanOptions): SqlPlan<Expr> | undefined {
  const { style } = options;
  const tokens: SqlToken<Expr>[] = [];
  const values: SqlValue<Expr>[] = [];
  let state: 'code' | 'double' | 'backtick' | 'line' | 'block' = 'code';
  let region: { parts: (string | Expr)[]; tainted: boolean } | undefined;
  let existing = 0;
  let highestNumbered = 0;
  let codeTail = '';
  const pushText = (text: string) => {
    if (!text) return;
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'text') last.text += text;
    else tokens.push({ kind: 'text', text });
    codeTail = (codeTail + text).slice(-120);
  };
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index];
    if ('text' in piece) {
      const text = piece.text;
      let buffer = '';
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        const next = text[i + 1];
        if (region) {
          if (ch === "'" && next === "'") {
            region.parts.push("''");
            i++;
          } else if (ch === "'") {
            const closed = region;
            region = undefined;
            if (closed.tainted) {
              values.push({ parts: closed.parts, existingBefore: existing, quoted: true });
              tokens.push({ kind: 'param', index: values.length - 1 });
              codeTail += ' ? ';
            } else {
              buffer += "'";
              pushText(buffer);
              buffer = '';
              for (const part of closed.parts) {
                if (typeof part === 'string') pushText(part);
                else tokens.push({ kind: 'keep', expr: part });
              }
              buffer = "'";
            }
          } else {
            region.parts.push(ch);
          }
          continue;
        }
        switch (state) {
          case 'code':
            if (ch === "'") {
              pushText(buffer);
              buffer = '';
              region = { parts: [], tainted: false };
              continue;
            }
            if (ch === '"') state = 'double';
            else if (ch === '`') state = 'backtick';
            else if (ch === '-' && next === '-') state = 'line';
            else if (ch === '/' && next === '*') state = 'block';
            else if (style === '?' && ch === '?') existing++;
            else if (style === '%s' && ch === '%' && next === 's') existing++;
            // `%(name)s` placeholders cannot be mixed with positional ones.
            else if (style === '%s' && ch === '%' && next === '(') return undefined;
            else if (ch === '$' && /\d/.test(next ?? '')) highestNumbered = Math.max(highestNumbered, Number(/^\d+/.exec(text.slice(i + 1))![0]));
            break;
          case 'double':
            if (ch === '"') state = 'code';
            break;
          case 'backtick':
            if (ch === '`') state = 'code';
            break;
          case 'line':
            if (ch === '\n') state = 'code';
            break;
          case 'block':
            if (ch === '*' && next === '/') {
              buffer += '*/';
              i++;
              state = 'code';
              continue;
            }
            break;
        }
        buffer += ch;
      }
      pushText(buffer);
      continue;
    }
    const parameterise = piece.tainted || !!options.allValues;
    if (region) {
      region.parts.push(piece.expr);
      region.tainted ||= parameterise;
      continue;
    }
    if (state !== 'code') {
      if (parameterise) return undefined;
      tokens.push({ kind: 'keep', expr: piece.expr });
      continue;
    }
    if (!parameterise) {
      tokens.push({ kind: 'keep', expr: piece.expr });
      codeTail += 'x';
      continue;
    }
    // Two interpolations glued together (`${a}${b}`, `x + y`, `{a}{b}`) form one value: not a sure rewrite.
    if (touchesExpression(pieces, index, -1) || touchesExpression(pieces, index, 1)) return undefined;
    const following = pieces[index + 1];
    const nextText = following && 'text' in following ? following.text : '';
    if (!valuePosition(codeTail, nextText, options.limitAllowed)) return undefined;
    values.push({ parts: [piece.expr], existingBefore: existing, quoted: false });
    tokens.push({ kind: 'param', index: values.length - 1 });
    codeTail += ' ? ';
  }
  if (region || state === 'double' || state === 'backtick' || state === 'block') return undefined;
  return { tokens, values, existingPlaceholders: existing, highestNumbered };
}

function touchesExpression<Expr>(pieces: readonly SqlPiece<Expr>[], index: number, direction: 1 | -1): boolean {
  const neighbour = pieces[index + direction];
  if (!neighbour) return false;
  if ('expr' in neighbour) return true;
  return neighbour.text === '' && !!pieces[index + 2 * direction] && 'expr' in pieces[index + 2 * direction];
}

const KEYWORDS = /\b(select|from|where|values|set|order\s+by|group\s+by|limit|offset|having|on|returning|into|update|join|and|or|when|then|else)\b/g;

/** Whether an interpolation stands where SQL expects a value (`= x`, `LIKE x`, `VALUES (x, y)`, `LIMIT x`). */
function valuePosition(before: string, after: string, limitAllowed: boolean): boolean {
  if (before.length > 0 && /[\w."`\]$]$/.test(before)) return false;
  if (/^[\w.([$]/.test(after)) return false;
  const lower = before.replace(/\s+$/, '').toLowerCase();
  if (/(=|<|>|<=|>=|<>|!=)$/.test(lower)) return true;
  if (/\b(i?like)$/.test(lower)) return true;
  if (/\b(limit|offset)$/.test(lower)) return limitAllowed;
  if (/\bbetween$/.test(lower) || /\bbetween\s+\S+\s+and$/.test(lower)) return true;
  if (/[(,]$/.test(lower)) {
    if (/\bin\s*\($/.test(lower)) return false;
    const keywords = lower.match(KEYWORDS);
    return keywords?.[keywords.length - 1] === 'values';
  }
  return false;
}

/** Merges the new values' code into the existing positional values' code, in placeholder order. */
export function mergeValues<Expr>(plan: SqlPlan<Expr>, existing: readonly string[], fresh: readonly string[]): string[] | undefined {
  if (existing.length !== plan.existingPlaceholders) return undefined;
  const merged: string[] = [];
  let next = 0;
  plan.values.forEach((value, index) => {
    while (next < value.existingBefore) merged.push(existing[next++]);
    merged.push(fresh[index]);
  });
  while (next < existing.length) merged.push(existing[next++]);
  return merged;
}
