import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Analyzer, FileInput } from '../engine/analyzer';
import { isRelativeSpecifier, type ImportedModules, type ModuleSinks } from '../engine/input/moduleSinks';
import { DEFAULT_MAX_FILE_BYTES } from '../engine/analyzer';
import { readSourceFile } from './readSourceFile';
import type { WalkedFile } from './fileWalker';
import { TsconfigPaths } from './tsconfigPaths';

/**
 * The input sinks of workspace modules (engine/input/moduleSinks.ts), worked out once per
 * version of each module and shared by every file that imports it. Where the text comes from,
 * and what a version is, is the caller's (`ModuleSource`): the disk during a CLI scan, the
 * editor's open documents first in the language server.
 */

export interface ModuleSource {
  /** What changes whenever the file's text does (a document version, a modification time); undefined when there is no such file. */
  stamp(file: string): string | undefined;
  text(file: string): string | undefined;
  /** The project's dependencies of a file (sinks of some libraries need them), when known. */
  dependencies?(file: string): ReadonlySet<string>;
}

/** A file as the analysis names it: absolute `path`, `relative` as findings name it, `projectPath` within its project when that differs. */
export type ImportingFile = Pick<WalkedFile, 'path' | 'relative' | 'projectPath'>;

/** How far a call is followed through modules that call modules (handler → service → repository → …). */
const MAX_DEPTH = 4;

/** How many folders up an absolute Python import is looked for (`app.db` run from the project root). */
const PYTHON_ROOT_LEVELS = 6;

/** Extensions tried, in order, for a specifier written without one (TypeScript's and Node's resolution). */
const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs'];
/** TypeScript sources imported by the name of their output (`./db.js` for db.ts). */
const SOURCE_FOR_OUTPUT: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

interface CachedSinks {
  stamp: string;
  analyzer: Analyzer;
  sinks: ModuleSinks;
  /** The modules it imports whose sinks it used, with their stamps then. */
  uses: Map<string, string | undefined>;
}

export class ModuleSinkCache {
  private readonly cache = new Map<string, CachedSinks>();
  /** Modules being worked out: an import cycle back to one of them gives nothing. */
  private readonly working = new Set<string>();

  private readonly tsconfig: TsconfigPaths;

  constructor(private readonly source: ModuleSource) {
    this.tsconfig = new TsconfigPaths(source);
  }

  /**
   * The modules a file imports, for the analyzer's `importedModules`. `used` collects the
   * absolute paths of the modules consulted.
   */
  resolverFor(importer: ImportingFile, analyzer: Analyzer, used?: Set<string>, depth = 0): ImportedModules {
    const python = importer.path.endsWith('.py');
    const directory = path.dirname(importer.path);
    // One analysis asks about the same specifier at every call through it: resolve it once.
    const resolved = new Map<string, string | undefined>();
    const resolve = (specifier: string) => {
      if (!resolved.has(specifier)) resolved.set(specifier, python ? this.resolvePython(directory, specifier) : this.resolveScript(directory, specifier));
      return resolved.get(specifier);
    };
    return {
      inWorkspace: (specifier) => resolve(specifier) !== undefined,
      sinks: (specifier) => {
        if (depth >= MAX_DEPTH) return undefined;
        const file = resolve(specifier);
        if (!file) return undefined;
        used?.add(file);
        const step = path.relative(directory, file).split(path.sep).join('/');
        const beside = (from: string) => path.posix.normalize(path.posix.join(path.posix.dirname(from), step));
        const module: ImportingFile = { path: file, relative: beside(importer.relative), ...(importer.projectPath ? { projectPath: beside(importer.projectPath) } : {}) };
        return this.sinksOf(module, analyzer, depth + 1);
      },
    };
  }

  private sinksOf(module: ImportingFile, analyzer: Analyzer, depth: number): ModuleSinks | undefined {
    const file = module.path;
    const stamp = this.source.stamp(file);
    if (stamp === undefined || this.working.has(file)) return undefined;
    const cached = this.cache.get(file);
    if (cached && cached.stamp === stamp && cached.analyzer === analyzer && [...cached.uses].every(([used, usedStamp]) => this.source.stamp(used) === usedStamp)) return cached.sinks;
    const text = this.source.text(file);
    if (text === undefined || text.length > DEFAULT_MAX_FILE_BYTES) return undefined;
    const used = new Set<string>();
    this.working.add(file);
    let sinks: ModuleSinks;
    try {
      const input: FileInput = {
        path: module.relative,
        ...(module.projectPath ? { projectPath: module.projectPath } : {}),
        text,
        importedModules: this.resolverFor(module, analyzer, used, depth),
        ...(this.source.dependencies ? { dependencies: this.source.dependencies(file) } : {}),
      };
      sinks = analyzer.moduleSinks(input);
    } catch {
      // A module the analysis trips over gives its callers nothing, like one it cannot read.
      sinks = { file: module.relative, exports: new Map(), key: '' };
    } finally {
      this.working.delete(file);
    }
    this.cache.set(file, { stamp, analyzer, sinks, uses: new Map([...used].map((usedFile) => [usedFile, this.source.stamp(usedFile)])) });
    return sinks;
  }

  /**
   * A Python module as imported: `.db` and `..services.reports` from the importing file's
   * package, `app.db` from the folder that holds `app/` (the importing file's folder or one
   * above it, as when the app runs from the project root).
   */
  private resolvePython(directory: string, name: string): string | undefined {
    const dots = /^\.*/.exec(name)![0].length;
    const parts = name.slice(dots).split('.').filter(Boolean);
    const bases: string[] = [];
    if (dots) {
      let base = directory;
      for (let level = 1; level < dots; level++) base = path.dirname(base);
      bases.push(base);
    } else {
      for (let base = directory, level = 0; level < PYTHON_ROOT_LEVELS; level++) {
        bases.push(base);
        const parent = path.dirname(base);
        if (parent === base) break;
        base = parent;
      }
    }
    for (const folder of bases) {
      const target = path.join(folder, ...parts);
      const found = [...(parts.length ? [`${target}.py`] : []), path.join(target, '__init__.py')].find((candidate) => this.source.stamp(candidate) !== undefined);
      if (found) return found;
    }
    return undefined;
  }

  /** A relative specifier from the importing file's folder; another through the nearest tsconfig's `paths` and `baseUrl`. */
  private resolveScript(directory: string, specifier: string): string | undefined {
    if (isRelativeSpecifier(specifier)) return this.resolveFile(path.resolve(directory, specifier));
    for (const base of this.tsconfig.candidates(directory, specifier)) {
      const file = this.resolveFile(base);
      // A mapping into installed packages is a package, not workspace code.
      if (file && !file.split(path.sep).includes('node_modules')) return file;
    }
    return undefined;
  }

  /** The file an import names, tried as written and with the extensions (or index file) Node and TypeScript add. */
  private resolveFile(base: string): string | undefined {
    const extension = path.extname(base).toLowerCase();
    const candidates = EXTENSIONS.includes(extension)
      ? [base, ...(SOURCE_FOR_OUTPUT[extension] ?? []).map((source) => base.slice(0, -extension.length) + source)]
      : [...EXTENSIONS.map((known) => base + known), ...EXTENSIONS.map((known) => path.join(base, `index${known}`))];
    return candidates.find((candidate) => this.source.stamp(candidate) !== undefined);
  }
}

/** Files on disk, as a scan sees them (they do not change while it runs, so the stamp is only whether the file is there). */
export function diskModules(dependencies?: (file: string) => ReadonlySet<string>): ModuleSource {
  const present = new Map<string, boolean>();
  return {
    stamp(file) {
      let isFile = present.get(file);
      if (isFile === undefined) {
        isFile = fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
        present.set(file, isFile);
      }
      return isFile ? 'disk' : undefined;
    },
    text(file) {
      const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
      if (size === undefined) return undefined;
      const read = readSourceFile(file, size);
      return 'text' in read ? read.text : undefined;
    },
    ...(dependencies ? { dependencies } : {}),
  };
}
