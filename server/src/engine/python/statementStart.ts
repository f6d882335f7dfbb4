/**
 * Keywords that can only start a statement, never continue an expression. A line inside an
 * unclosed bracket that starts with one of them is almost surely code after a bracket the
 * user has not closed yet, so the scanners end the bracket there instead of joining the rest
 * of the file into one logical line.
 */
const STATEMENT_ONLY_KEYWORDS = new Set([
  'def', 'class', 'return', 'import', 'raise', 'try', 'except', 'finally', 'while', 'with',
  'pass', 'break', 'continue', 'global', 'nonlocal', 'del', 'assert', 'elif',
]);

const FROM_IMPORT_LINE = /from[ \t]+\.*[\w.]*[ \t]+import\b/y;

function isWordCharacter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Whether the code at `at` (a line's first non-blank character) can only be the start of a statement. */
export function startsStatementAt(text: string, at: number, limit: number): boolean {
  const c = at < limit ? text.charCodeAt(at) : -1;
  if (c === 64 /* @ */) {
    // A decorator: `@name`. Matrix multiplication at a line start has a space after the `@`.
    const next = at + 1 < limit ? text.charCodeAt(at + 1) : -1;
    return (next >= 97 && next <= 122) || (next >= 65 && next <= 90) || next === 95;
  }
  if (c < 97 || c > 122) return false;
  let p = at;
  while (p < limit && isWordCharacter(text.charCodeAt(p))) p++;
  const word = text.slice(at, p);
  if (STATEMENT_ONLY_KEYWORDS.has(word)) return true;
  if (word === 'async') {
    while (p < limit && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    return text.startsWith('def', p) && !(p + 3 < limit && isWordCharacter(text.charCodeAt(p + 3)));
  }
  if (word === 'from') {
    FROM_IMPORT_LINE.lastIndex = at;
    return FROM_IMPORT_LINE.test(text);
  }
  return false;
}

/** The same check for the line that starts at `lineStart`, after its indentation. */
export function lineStartsStatement(text: string, lineStart: number, limit: number): boolean {
  let p = lineStart;
  while (p < limit) {
    const c = text.charCodeAt(p);
    if (c !== 32 && c !== 9 && c !== 12) break;
    p++;
  }
  return startsStatementAt(text, p, limit);
}
