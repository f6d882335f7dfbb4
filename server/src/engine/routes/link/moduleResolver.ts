/**
 * Resolves an import specifier to a workspace file, the way bundlers and TypeScript do for
 * the cases apps use: relative paths with or without extension, index files, `.js` written
 * for a `.ts` file, and the `@/` / `~/` aliases pointing at `src/` or the project root.
 */

const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '/index.ts', '/index.tsx', '/index.js', '/index.jsx', '/index.mjs'];

export class ModuleResolver {
  /** Answers already worked out: linking asks the same questions for every route of a file. */
  private readonly memo = new Map<string, string | undefined>();

  constructor(private readonly files: ReadonlySet<string>) {}

  /** The workspace file `specifier` refers to from `fromFile`, or undefined (a package, or not found). */
  resolve(fromFile: string, specifier: string): string | undefined {
    const key = `${dirname(fromFile)}\u0000${specifier}`;
    if (this.memo.has(key)) return this.memo.get(key);
    const resolved = this.resolveUncached(fromFile, specifier);
    this.memo.set(key, resolved);
    return resolved;
  }

  private resolveUncached(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return this.tryCandidates(joinPath(dirname(fromFile), specifier));
    const alias = /^(@|~|#)\/(.*)$/.exec(specifier);
    if (alias) {
      for (let directory = dirname(fromFile); ; directory = dirname(directory)) {
        for (const base of [`${directory}/src/${alias[2]}`, `${directory}/${alias[2]}`, `${directory}/app/${alias[2]}`]) {
          const found = this.tryCandidates(normalise(base));
          if (found) return found;
        }
        if (directory === '' || directory === '.') break;
      }
    }
    return undefined;
  }

  /** Whether a specifier names a package (not a path or alias). */
  static isPackage(specifier: string): boolean {
    return !specifier.startsWith('.') && !/^(@|~|#)\//.test(specifier) && !specifier.startsWith('/');
  }

  private tryCandidates(base: string): string | undefined {
    const withoutJs = base.replace(/\.(m|c)?js$/, '');
    for (const stem of withoutJs === base ? [base] : [base, withoutJs]) {
      for (const extension of EXTENSIONS) {
        const candidate = normalise(stem + extension);
        if (this.files.has(candidate)) return candidate;
      }
    }
    return undefined;
  }
}

export function dirname(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

function joinPath(directory: string, relative: string): string {
  return normalise(directory ? `${directory}/${relative}` : relative);
}

/**
 * Resolves `.` and `..` segments with forward slashes. Relative paths stay relative, leading
 * `..` segments included, and absolute ones absolute: the CLI names the files of a folder
 * outside the current one by their absolute path.
 */
export function normalise(file: string): string {
  const parts: string[] = [];
  for (const part of file.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return (file.startsWith('/') ? '/' : '') + parts.join('/');
}

/** The specifier that imports `target` from `fromFile`: './lib/auth', '../auth'. */
export function relativeSpecifier(fromFile: string, target: string): string {
  const from = dirname(fromFile).split('/').filter(Boolean);
  const to = target.replace(/\.(m?[jt]sx?|[mc]ts)$/, '').replace(/\/index$/, '').split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}
