/**
 * Resolves Python module names to workspace files, the way the interpreter finds them for the
 * layouts apps use:
 * - relative names (`.views`, `..core.deps`, `.`) from the importing file's package;
 * - absolute names (`app.views`, `polls.urls` in Django's `include('polls.urls')`) from the
 *   directories above the importing file that are not packages themselves (where `sys.path`
 *   entries are: the project root, `src/`, `backend/`), nearest first — so `import jwt` inside
 *   a package with its own `jwt.py` still means PyJWT, as in Python 3;
 * - a module is `pkg/mod.py` or `pkg/mod/__init__.py`.
 * An absolute name no workspace file answers to is a package (`flask_login`, `rest_framework`).
 */
export class PythonModuleResolver {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly files: ReadonlySet<string>) {}

  /** The workspace file `specifier` names, seen from `fromFile`; undefined for a package or a module that is not there. */
  resolve(fromFile: string, specifier: string): string | undefined {
    const directory = parentOf(fromFile);
    const key = `${directory}\u0000${specifier}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const found = this.find(directory, specifier);
    this.cache.set(key, found);
    return found;
  }

  /** `from pkg import name`: whether `name` is a submodule (`from app import views`) rather than a name defined in pkg. */
  submodule(fromFile: string, module: string, name: string): string | undefined {
    return this.resolve(fromFile, joinModule(module, name));
  }

  private find(directory: string, specifier: string): string | undefined {
    const dots = /^\.*/.exec(specifier)![0].length;
    const rest = specifier.slice(dots).split('.').filter(Boolean).join('/');
    if (dots > 0) {
      let base = directory;
      for (let level = 1; level < dots; level++) {
        if (base === '') return undefined;
        base = parentOf(base);
      }
      return rest ? this.moduleFile(join(base, rest)) : this.existing(join(base, '__init__.py'));
    }
    if (!rest) return undefined;
    const ancestors: string[] = [];
    for (let current = directory; ; current = parentOf(current)) {
      ancestors.push(current);
      if (current === '') break;
    }
    for (const root of ancestors.filter((candidate) => !this.files.has(join(candidate, '__init__.py')))) {
      const found = this.moduleFile(join(root, rest));
      if (found) return found;
    }
    return undefined;
  }

  private moduleFile(base: string): string | undefined {
    return this.existing(`${base}.py`) ?? this.existing(join(base, '__init__.py')) ?? this.existing(`${base}.pyi`);
  }

  private existing(file: string): string | undefined {
    return this.files.has(file) ? file : undefined;
  }
}

/** Whether a workspace file is Python source (its imports resolve the Python way). */
export function isPythonFile(file: string): boolean {
  return /\.pyw?$|\.pyi$/.test(file);
}

/** `('.', 'views')` → '.views'; `('app', 'views')` → 'app.views'. */
export function joinModule(module: string, name: string): string {
  return /\.$/.test(module) || module === '' ? `${module}${name}` : `${module}.${name}`;
}

/**
 * How `fromFile` imports `target`: relative when both sit in the same top-level package
 * (`..auth.decorators`), otherwise dotted from the nearest directory that is not a package.
 */
export function pythonModuleSpecifier(fromFile: string, target: string, files: ReadonlySet<string>): string {
  const targetParts = target.replace(/\.pyi?$/, '').split('/');
  if (targetParts[targetParts.length - 1] === '__init__') targetParts.pop();
  const fromParts = parentOf(fromFile).split('/').filter(Boolean);
  let common = 0;
  while (common < fromParts.length && common < targetParts.length - 1 && fromParts[common] === targetParts[common]) common++;
  const sharedPackage = common > 0 && files.has(join(fromParts.slice(0, common).join('/'), '__init__.py'));
  if (sharedPackage) return `${'.'.repeat(fromParts.length - common + 1)}${targetParts.slice(common).join('.')}`;
  // Absolute: from the highest directory above the target that is still a package's parent.
  let root = targetParts.length - 1;
  while (root > 0 && files.has(join(targetParts.slice(0, root).join('/'), '__init__.py'))) root--;
  return targetParts.slice(root).join('.');
}

function parentOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

function join(directory: string, name: string): string {
  return directory ? `${directory}/${name}` : name;
}
