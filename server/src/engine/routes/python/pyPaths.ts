import type { PyExpr } from '../../python/ast';
import { dottedName } from '../../python/walk';
import type { PyFileContext } from './pyFileContext';

/**
 * Route paths as Python frameworks write them, in the inventory's form (`:name` parameters):
 * Flask `<int:item_id>`, FastAPI `{item_id}` / `{path:path}`, Django `<int:pk>` and `re_path`
 * regexes (`^articles/(?P<year>[0-9]{4})/$`). A prefix held in a variable or setting reads
 * `{API_V1_STR}`, so the route still shows where it is.
 */

/**
 * The path a route argument gives, or undefined when the argument is not a route path.
 * 'brackets': Flask/FastAPI paths, which start with '/' (FastAPI also takes '' for a router's root).
 */
export function pathFromExpr(expr: PyExpr | undefined, context: PyFileContext, style: 'brackets' | 'django' | 'django-regex'): string | undefined {
  if (!expr) return undefined;
  const raw = rawPath(expr, context);
  if (raw === undefined) return undefined;
  if (style === 'brackets') {
    if (raw !== '' && !raw.startsWith('/') && !raw.startsWith('{')) return undefined;
    return bracketParameters(raw);
  }
  return style === 'django' ? bracketParameters(raw) : regexPath(raw);
}

function rawPath(expr: PyExpr, context: PyFileContext, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  if (expr.type === 'Str') {
    if (expr.value !== undefined) return expr.value;
    if (!expr.isFString || expr.parts.length !== 1) return undefined;
    // f"{settings.API_V1_STR}/items": each field becomes {API_V1_STR}.
    const part = expr.parts[0];
    const quote = part.triple ? 3 : 1;
    const body = context.text.slice(part.start + part.prefix.length + quote, part.end - (part.terminated ? quote : 0));
    return body.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole: string, field: string | undefined) => {
      if (field === undefined) return whole[0];
      const name = field.split(/[!:]/)[0].trim().split('.').pop() ?? '';
      return `{${/^[A-Za-z_]\w*$/.test(name) ? name : 'value'}}`;
    });
  }
  if (expr.type === 'BinOp' && expr.op === '+') {
    const left = rawPath(expr.left, context, depth + 1);
    const right = rawPath(expr.right, context, depth + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  if (expr.type === 'Name' || expr.type === 'Attribute') {
    const name = dottedName(expr);
    if (!name) return undefined;
    // A constant of this file: PREFIX = "/api".
    const value = expr.type === 'Name' ? context.assignments.get(name) : undefined;
    if (value && value.type === 'Str' && value.value !== undefined) return value.value;
    return `{${name.split('.').pop()}}`;
  }
  return undefined;
}

/** A Flask or Django path parameter: `<name>`, `<int:name>`, `<re("[a-z]+"):name>` (converter, name). */
export const BRACKET_PARAMETER = /<(?:([A-Za-z_]\w*)(?:\([^<>)]*\))?:)?([A-Za-z_]\w*)>/g;

/** `<int:item_id>`, `<item_id>`, `{item_id}`, `{path:path}` → `:item_id`; `{API_V1_STR}` prefixes stay. */
function bracketParameters(path: string): string {
  return path
    .replace(BRACKET_PARAMETER, ':$2')
    .replace(/\{([a-z_][a-z0-9_]*)(?::[a-z]+)?\}/g, ':$1');
}

/**
 * What each parameter of a URL pattern is converted by, for a view that receives them as
 * arguments. 'brackets': Django `path()` and Flask rules — `int`, `str` (Django's default, and
 * here Flask's `string`), `slug`, `uuid`, `path`, `float` or a registered converter. 'regex':
 * Django `re_path()` — `regex:` and the group's pattern.
 */
export function urlParameterTypes(expr: PyExpr | undefined, context: PyFileContext, style: 'brackets' | 'regex'): Record<string, string> | undefined {
  const raw = expr ? rawPath(expr, context) : undefined;
  if (raw === undefined) return undefined;
  const types: Record<string, string> = {};
  if (style === 'brackets') {
    for (const match of raw.matchAll(BRACKET_PARAMETER)) types[match[2]] = match[1] ?? 'str';
  } else {
    regexPath(raw, (name, pattern) => {
      types[name] = `regex:${pattern}`;
    });
  }
  return Object.keys(types).length ? types : undefined;
}

/**
 * A Django `re_path` regex as a path: anchors dropped, `(?P<year>…)` → `:year`, other groups
 * → `:param`, escapes undone. Scanned by hand (no regex over a regex, so nothing can backtrack).
 * `onNamedGroup` gets each named group's name and pattern.
 */
export function regexPath(pattern: string, onNamedGroup?: (name: string, pattern: string) => void): string {
  let text = pattern.startsWith('^') ? pattern.slice(1) : pattern;
  if (text.endsWith('$') && !text.endsWith('\\$')) text = text.slice(0, -1);
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\\' && index + 1 < text.length) {
      const next = text[index + 1];
      out += /[dwsDWS]/.test(next) ? `\\${next}` : next;
      index++;
      continue;
    }
    if (char === '(') {
      // Find the matching parenthesis.
      let depth = 0;
      let end = index;
      for (; end < text.length; end++) {
        if (text[end] === '\\') {
          end++;
          continue;
        }
        if (text[end] === '(') depth++;
        else if (text[end] === ')' && --depth === 0) break;
      }
      const group = text.slice(index, end + 1);
      const named = /^\(\?P<([A-Za-z_]\w*)>/.exec(group);
      if (named) {
        out += `:${named[1]}`;
        onNamedGroup?.(named[1], group.slice(named[0].length, -1));
      }
      else if (group.startsWith('(?:') || group.startsWith('(?=') || group.startsWith('(?!')) out += '';
      else out += ':param';
      index = end;
      // A quantifier after the group (`(…)?`) belongs to it.
      if (/[?*+]/.test(text[index + 1] ?? '')) index++;
      continue;
    }
    if (char === '?' && out.endsWith('/')) continue;
    out += char;
  }
  return out;
}
