import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

/**
 * Where a non-relative JS/TS import points inside the workspace, the way TypeScript (and the
 * bundlers that follow it) resolve it: `compilerOptions.paths` (`@/lib/db` → `src/lib/db`) and
 * `baseUrl` (`lib/db` → `src/lib/db`) of the nearest tsconfig.json or jsconfig.json, following
 * `extends` to files of the workspace. Package names match nothing and stay packages.
 */

export interface ConfigFiles {
  /** What changes whenever the file does; undefined when there is no such file. */
  stamp(file: string): string | undefined;
  text(file: string): string | undefined;
}

interface PathMapping {
  prefix: string;
  /** Undefined for a pattern without `*`, which matches only itself. */
  suffix: string | undefined;
  targets: readonly string[];
}

interface CompilerPaths {
  /** Folder `paths` targets are relative to (baseUrl, or the config's own folder). */
  pathsBase: string;
  paths: readonly PathMapping[];
  /** Absolute baseUrl, when the config sets one. */
  baseUrl?: string;
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
/** How many folders up a config is looked for. */
const MAX_LEVELS = 8;
/** How many `extends` are followed. */
const MAX_EXTENDS = 4;

export class TsconfigPaths {
  /** Folder → the config that governs it (null: none), as found. */
  private readonly governing = new Map<string, string | null>();
  private readonly parsed = new Map<string, { stamp: string; paths: CompilerPaths | undefined }>();

  constructor(private readonly files: ConfigFiles) {}

  /** Candidate paths (without extension) for `specifier` imported from a file in `directory`; empty when it is not mapped. */
  candidates(directory: string, specifier: string): string[] {
    const config = this.configFor(directory);
    const options = config && this.compilerPaths(config);
    if (!options) return [];
    let best: PathMapping | undefined;
    for (const mapping of options.paths) {
      const { prefix, suffix } = mapping;
      const matches = suffix === undefined ? specifier === prefix : specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length;
      // An exact pattern wins; among wildcards, the longest prefix (as TypeScript decides).
      if (matches && (!best || suffix === undefined || (best.suffix !== undefined && prefix.length > best.prefix.length))) best = mapping;
    }
    if (best) {
      const star = best.suffix === undefined ? '' : specifier.slice(best.prefix.length, specifier.length - best.suffix.length);
      return best.targets.map((target) => path.resolve(options.pathsBase, target.replace('*', star)));
    }
    return options.baseUrl ? [path.resolve(options.baseUrl, specifier)] : [];
  }

  private configFor(directory: string): string | undefined {
    const known = this.governing.get(directory);
    if (known !== undefined && (known === null || this.files.stamp(known) !== undefined)) return known ?? undefined;
    let found: string | null = null;
    for (let folder = directory, level = 0; level < MAX_LEVELS && !found; level++) {
      found = CONFIG_NAMES.map((name) => path.join(folder, name)).find((candidate) => this.files.stamp(candidate) !== undefined) ?? null;
      const parent = path.dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
    this.governing.set(directory, found);
    return found ?? undefined;
  }

  private compilerPaths(config: string): CompilerPaths | undefined {
    const stamp = this.files.stamp(config);
    if (stamp === undefined) return undefined;
    const cached = this.parsed.get(config);
    if (cached?.stamp === stamp) return cached.paths;
    const paths = this.read(config, 0);
    this.parsed.set(config, { stamp, paths });
    return paths;
  }

  /** The config's paths and baseUrl, its own or those it extends (a config of the workspace, not a package's). */
  private read(config: string, depth: number): CompilerPaths | undefined {
    const text = this.files.text(config);
    const json = text === undefined ? undefined : (parseJsonc(text, [], { allowTrailingComma: true }) as unknown);
    if (!json || typeof json !== 'object') return undefined;
    const folder = path.dirname(config);
    const { compilerOptions, extends: extended } = json as { compilerOptions?: { baseUrl?: unknown; paths?: unknown }; extends?: unknown };
    const inherited = typeof extended === 'string' && extended.startsWith('.') && depth < MAX_EXTENDS ? this.read(path.resolve(folder, extended.endsWith('.json') ? extended : `${extended}.json`), depth + 1) : undefined;
    const baseUrl = typeof compilerOptions?.baseUrl === 'string' ? path.resolve(folder, compilerOptions.baseUrl) : inherited?.baseUrl;
    const ownPaths = compilerOptions?.paths && typeof compilerOptions.paths === 'object' ? mappings(compilerOptions.paths as Record<string, unknown>) : undefined;
    if (!ownPaths && !baseUrl && !inherited) return undefined;
    return {
      pathsBase: ownPaths ? baseUrl ?? folder : inherited?.pathsBase ?? baseUrl ?? folder,
      paths: ownPaths ?? inherited?.paths ?? [],
      ...(baseUrl ? { baseUrl } : {}),
    };
  }
}

/** `{ "@/*": ["./src/*"] }` → prefix `@/`, suffix ``, targets `./src/*`; a pattern without `*` matches itself only. */
function mappings(paths: Record<string, unknown>): PathMapping[] {
  const result: PathMapping[] = [];
  for (const [pattern, targets] of Object.entries(paths)) {
    if (!Array.isArray(targets)) continue;
    const star = pattern.indexOf('*');
    const strings = targets.filter((target): target is string => typeof target === 'string');
    result.push(star < 0 ? { prefix: pattern, suffix: undefined, targets: strings } : { prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), targets: strings });
  }
  return result;
}
