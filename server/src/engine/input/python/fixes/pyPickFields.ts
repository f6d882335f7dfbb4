import type { PyExpr, PyNode } from '../../../python/ast';
import { dottedName, enclosingFunction, walkPython } from '../../../python/walk';
import type { FixHint } from '../../../types';
import type { PySinkHit } from '../pyValues';

/**
 * Mass assignment: replace `**request.json` (or `**data`) at the write with keyword
 * arguments for the fields the handler itself reads: `name=data["name"], email=data["email"]`.
 * Offered only when every field is read with a subscript (so it must be there: a `.get()`
 * read would pass `None` where the original left the field out, which can change a column
 * default) and the unpacked object is a plain name or attribute.
 */

const PYTHON_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

export function pyPickFieldsFix(hit: PySinkHit, text: string): FixHint | undefined {
  if (hit.taint.via) return undefined;
  const [expression] = hit.wholeExpressions ?? [];
  const keyword = expression?.parent;
  if (!expression || keyword?.type !== 'Keyword' || keyword.arg !== undefined) return undefined;
  const written = dottedName(expression as PyExpr);
  const call = keyword.parent;
  if (!written || call?.type !== 'Call') return undefined;
  const fn = enclosingFunction(call);
  if (!fn) return undefined;

  const fields = new Map<string, string>();
  let optional = false;
  walkPython(fn, (node: PyNode) => {
    if (node === call) return false;
    if (node.type === 'Subscript' && node.slice.type === 'Str' && node.slice.value !== undefined && dottedName(node.value) === written) {
      if (!fields.has(node.slice.value)) fields.set(node.slice.value, text.slice(node.start, node.end));
      return false;
    }
    if (node.type === 'Call' && node.func.type === 'Attribute' && node.func.attr === 'get' && dottedName(node.func.value) === written) optional = true;
    return undefined;
  });
  if (optional || fields.size === 0) return undefined;
  const explicit = new Set(call.keywords.map((other) => other.arg).filter((name): name is string => !!name));
  const entries: string[] = [];
  const names: string[] = [];
  for (const [field, read] of fields) {
    if (explicit.has(field)) continue;
    if (!/^[A-Za-z_]\w*$/.test(field) || PYTHON_KEYWORDS.has(field)) return undefined;
    entries.push(`${field}=${read}`);
    names.push(field);
  }
  if (entries.length === 0) return undefined;
  const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(', ');
  return { kind: 'edit', title: `Save only the expected fields (${shown})`, edits: [{ start: keyword.start, end: keyword.end, newText: entries.join(', ') }], preferred: true };
}
