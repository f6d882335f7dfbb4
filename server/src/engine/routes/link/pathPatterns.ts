import { escapeRegExp } from '../../text/escapeRegExp';
/**
 * Matching route paths against the patterns frameworks and users write: Express mount
 * prefixes, Hono globs (`/api/*`), Next.js matchers and Clerk route matchers
 * (path-to-regexp with `:param*` and raw groups like `(.*)`), and `publicPaths` from
 * .shipshape.json (`*` one segment, `**` any number).
 */

/** Joins mount prefixes and a route path: ('/api', '/users/') → '/api/users'. */
export function joinRoutePath(...parts: (string | undefined)[]): string {
  const joined = parts
    .filter((part): part is string => part !== undefined && part !== '')
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

/** Whether middleware mounted at `prefix` (Express `use(path)`, Hono `use('/api/*')`) runs for `path`. */
export function prefixCovers(prefix: string | undefined, path: string): boolean {
  if (prefix === undefined || prefix === '' || prefix === '/' || prefix === '*' || prefix === '/*') return true;
  const base = prefix.replace(/\/?\*+$/, '').replace(/\/+$/, '');
  if (base === '') return true;
  if (!base.includes(':')) return path === base || path.startsWith(`${base}/`);
  const regex = new RegExp(`^${base.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : escapeRegExp(segment))).join('/')}(?:/|$)`);
  return regex.test(path);
}

/** A concrete example of a route path, so patterns can be tested against it (`/users/:id` → `/users/x`). */
export function samplePath(path: string): string {
  return path.replace(/:[A-Za-z_]\w*[*+?]?/g, 'x').replace(/\*/g, 'x');
}

/** Next.js / Clerk matcher (path-to-regexp syntax with optional raw regex groups). */
export function matcherCovers(pattern: string, path: string): boolean {
  const regex = pathToRegex(pattern);
  return regex ? regex.test(samplePath(path)) : false;
}

/** Compiles a path-to-regexp style pattern, or undefined when it is not one we can read safely. */
export function pathToRegex(pattern: string): RegExp | undefined {
  if (pattern.length > 300 || /\([^)]*[+*]\)[+*{]/.test(pattern)) return undefined; // nested quantifiers: refuse rather than risk a hang
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === ':') {
      const match = /^:([A-Za-z_]\w*)(\([^)]*\))?([*+?])?/.exec(pattern.slice(index));
      if (match) {
        const [whole, , custom, modifier] = match;
        const segment = custom ? custom.slice(1, -1) : '[^/]+';
        if (modifier === '*' || modifier === '?') {
          // `/docs/:path*` also matches `/docs` itself.
          if (source.endsWith('/')) source = `${source.slice(0, -1)}(?:/${segment}${modifier === '*' ? '(?:/[^/]+)*' : ''})?`;
          else source += `(?:${segment})?`;
        } else if (modifier === '+') {
          source += `${segment}(?:/[^/]+)*`;
        } else {
          source += segment;
        }
        index += whole.length - 1;
        continue;
      }
    }
    if (char === '(') {
      // A raw regex group, e.g. (.*) or ((?!api|_next).*): copy up to its matching parenthesis.
      let depth = 0;
      let end = index;
      for (; end < pattern.length; end++) {
        if (pattern[end] === '\\') {
          end++;
          continue;
        }
        if (pattern[end] === '(') depth++;
        if (pattern[end] === ')' && --depth === 0) break;
      }
      source += pattern.slice(index, end + 1);
      index = end;
      continue;
    }
    source += char === '*' ? '.*' : escapeRegExp(char);
  }
  try {
    return new RegExp(`^${source}$`);
  } catch {
    return undefined;
  }
}

/** `publicPaths` entries: `*` is one segment, `**` any number; `:param` matches a segment too. */
export function publicPathCovers(pattern: string, path: string): boolean {
  const source = pattern
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) => (segment === '**' ? '.*' : segment === '*' || segment.startsWith(':') ? '[^/]+' : escapeRegExp(segment).replace(/\\\*/g, '[^/]*')))
    .join('/');
  try {
    return new RegExp(`^${source || '/'}$`).test(path) || new RegExp(`^${source}$`).test(samplePath(path));
  } catch {
    return false;
  }
}
