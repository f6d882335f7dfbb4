/**
 * The globs the readiness rules use to pick files: `*` (within a folder), `**` (any folders),
 * `?`, `{a,b}`. A glob without `/` matches a file name at any depth; a glob with `/` matches
 * the path from the unit's folder. Matching ignores case (RUNBOOK.md, Dockerfile, dockerfile).
 */

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let compiled = cache.get(glob);
  if (compiled) return compiled;
  const anchored = glob.includes('/');
  const body = translate(glob.replace(/^\.\//, ''));
  compiled = new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`, 'i');
  cache.set(glob, compiled);
  return compiled;
}

function translate(glob: string): string {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') {
      if (glob[i + 1] === '*') {
        // `**/` is zero or more folders; a trailing `**` is anything below.
        if (glob[i + 2] === '/') {
          out += '(?:[^/]+/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '{') {
      braceDepth++;
      out += '(?:';
    } else if (char === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (char === ',' && braceDepth > 0) {
      out += '|';
    } else {
      out += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}

export function matchesAnyGlob(relativePath: string, globs: readonly string[]): boolean {
  return globs.some((glob) => globToRegExp(glob).test(relativePath));
}
