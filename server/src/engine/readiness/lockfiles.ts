import { parse as parseJsonc } from 'jsonc-parser';
import { parseToml, tomlArray, tomlString, tomlTable } from './parse/toml';
import { parseYaml, yamlGet, yamlText, type YamlNode } from './parse/yaml';
import { normalisePythonName } from './versions';
import type { Ecosystem } from './types';

/**
 * Reads lockfiles: which version is locked for a unit's direct dependency (and the range the
 * lockfile recorded for it), and every locked package for advisory look-ups. npm
 * (package-lock.json v1–v3, npm-shrinkwrap.json), pnpm-lock.yaml (v5–v9), yarn.lock (v1 and
 * Berry), bun.lock (text); poetry.lock, uv.lock, pdm.lock, Pipfile.lock. bun.lockb is binary:
 * present, but not readable.
 */

export type LockKind = 'npm' | 'pnpm' | 'yarn' | 'bun' | 'bun-binary' | 'poetry' | 'uv' | 'pdm' | 'pipfile';

export const NODE_LOCKFILES: Record<string, LockKind> = {
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'pnpm-lock.yaml': 'pnpm',
  'yarn.lock': 'yarn',
  'bun.lock': 'bun',
  'bun.lockb': 'bun-binary',
};

export const PYTHON_LOCKFILES: Record<string, LockKind> = {
  'poetry.lock': 'poetry',
  'uv.lock': 'uv',
  'pdm.lock': 'pdm',
  'Pipfile.lock': 'pipfile',
};

export interface LockedDependency {
  /** Installed version, when the lockfile has one for this dependency. */
  version?: string;
  /** The range the lockfile recorded for the manifest entry (npm, pnpm, bun). */
  declared?: string;
}

export interface LockedPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string;
}

export interface Lockfile {
  file: string;
  kind: LockKind;
  ecosystem: Ecosystem;
  readable: boolean;
  /** `unitKey` is the unit's folder relative to the lockfile's folder ('' for the same folder). */
  lookup(unitKey: string, name: string, spec: string): LockedDependency | undefined;
  packages(): LockedPackage[];
}

export function readLockfile(file: string, text: string | undefined): Lockfile {
  const name = file.split('/').pop() ?? file;
  const kind = NODE_LOCKFILES[name] ?? PYTHON_LOCKFILES[name];
  const ecosystem: Ecosystem = NODE_LOCKFILES[name] ? 'node' : 'python';
  const unreadable: Lockfile = { file, kind, ecosystem, readable: false, lookup: () => undefined, packages: () => [] };
  if (text === undefined || kind === 'bun-binary') return unreadable;
  let reader: Reader;
  try {
    const readers: Record<string, (text: string) => Reader> = { npm: npmLock, pnpm: pnpmLock, yarn: yarnLock, bun: bunLock, pipfile: pipfileLock };
    reader = (readers[kind] ?? tomlPackageLock)(text);
  } catch {
    return unreadable;
  }
  // A damaged lockfile must not take the assessment down: lookups that fail find nothing.
  return {
    file,
    kind,
    ecosystem,
    readable: true,
    lookup: (unitKey, name, spec) => {
      try {
        return reader.lookup(unitKey, name, spec);
      } catch {
        return undefined;
      }
    },
    packages: () => {
      try {
        return reader.packages().filter((item) => typeof item.name === 'string' && typeof item.version === 'string' && item.name !== '' && item.version !== '');
      } catch {
        return [];
      }
    },
  };
}

function objectOrThrow<T>(value: unknown): T {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
  return value as T;
}

type Reader = Pick<Lockfile, 'lookup' | 'packages'>;

interface NpmEntry {
  version?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function npmLock(text: string): Reader {
  const json = objectOrThrow<{ packages?: Record<string, NpmEntry>; dependencies?: Record<string, { version?: string }> }>(JSON.parse(text));
  const packages = json.packages;
  if (packages) {
    return {
      lookup(unitKey, name) {
        const unit = packages[unitKey];
        const declared = unit?.dependencies?.[name] ?? unit?.devDependencies?.[name] ?? unit?.optionalDependencies?.[name];
        const entry = packages[unitKey ? `${unitKey}/node_modules/${name}` : `node_modules/${name}`] ?? packages[`node_modules/${name}`];
        if (!entry && declared === undefined) return undefined;
        return { ...(entry?.version && !entry.link ? { version: entry.version } : {}), ...(declared !== undefined ? { declared } : {}) };
      },
      packages: () => Object.entries(packages)
        .filter(([key, entry]) => key.includes('node_modules/') && entry.version && !entry.link)
        .map(([key, entry]) => ({ ecosystem: 'node' as const, name: key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length), version: entry.version! })),
    };
  }
  const dependencies = json.dependencies ?? {};
  return {
    lookup: (_unit, name) => (dependencies[name] ? { version: dependencies[name].version } : undefined),
    packages: () => Object.entries(dependencies).filter(([, entry]) => entry.version).map(([name, entry]) => ({ ecosystem: 'node' as const, name, version: entry.version! })),
  };
}

function cleanPnpmVersion(version: string | undefined): string | undefined {
  return version?.replace(/\(.*$/, '').replace(/_.*$/, '');
}

function pnpmLock(text: string): Reader {
  const document = parseYaml(text);
  const importer = (unitKey: string): YamlNode | undefined => {
    const importers = yamlGet(document, 'importers');
    return importers ? yamlGet(importers, unitKey || '.') : document;
  };
  return {
    lookup(unitKey, name) {
      const node = importer(unitKey);
      for (const section of ['dependencies', 'devDependencies', 'optionalDependencies']) {
        const entry = yamlGet(node, section, name);
        if (!entry) continue;
        if (entry.kind === 'map') {
          const version = yamlText(yamlGet(entry, 'version'));
          return { ...(version && !version.startsWith('link:') ? { version: cleanPnpmVersion(version) } : {}), declared: yamlText(yamlGet(entry, 'specifier')) };
        }
        // lockfile v5: the version here, the range under `specifiers`.
        const version = yamlText(entry);
        return { ...(version && !version.startsWith('link:') ? { version: cleanPnpmVersion(version) } : {}), declared: yamlText(yamlGet(node, 'specifiers', name)) };
      }
      return undefined;
    },
    packages() {
      const packages = yamlGet(document, 'packages');
      if (packages?.kind !== 'map') return [];
      const result: LockedPackage[] = [];
      for (const key of packages.entries.keys()) {
        // v9 "name@1.2.3", v6 "/name@1.2.3(peer)", v5 "/name/1.2.3"
        const trimmed = key.replace(/^\//, '').replace(/\(.*$/, '');
        const at = trimmed.lastIndexOf('@');
        if (at > 0) result.push({ ecosystem: 'node', name: trimmed.slice(0, at), version: trimmed.slice(at + 1) });
        else {
          const slash = trimmed.lastIndexOf('/');
          if (slash > 0) result.push({ ecosystem: 'node', name: trimmed.slice(0, slash), version: trimmed.slice(slash + 1).replace(/_.*$/, '') });
        }
      }
      return result;
    },
  };
}

function yarnLock(text: string): Reader {
  const versions = new Map<string, string>();
  const all: LockedPackage[] = [];
  let specs: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[^\s#].*:$/.test(line)) {
      specs = line.slice(0, -1).split(/,\s*/).map((spec) => spec.trim().replace(/^"|"$/g, ''));
      continue;
    }
    const version = /^\s+version:?\s+"?([^"\s]+)"?/.exec(line);
    if (version && specs.length) {
      for (const spec of specs) versions.set(spec, version[1]);
      const first = specs[0];
      const at = first.indexOf('@', 1);
      if (at > 0 && !/@(?:workspace|link|portal|patch):/.test(first)) all.push({ ecosystem: 'node', name: first.slice(0, at), version: version[1] });
      specs = [];
    }
  }
  return {
    lookup(_unit, name, spec) {
      const version = versions.get(`${name}@${spec}`) ?? versions.get(`${name}@npm:${spec}`);
      return version ? { version, declared: spec } : undefined;
    },
    packages: () => all,
  };
}

function bunLock(text: string): Reader {
  const json = objectOrThrow<{
    workspaces?: Record<string, Record<string, Record<string, string> | string>>;
    packages?: Record<string, unknown[]>;
  }>(parseJsonc(text, [], { allowTrailingComma: true }));
  const versionOf = (key: string) => {
    const entry = json.packages?.[key];
    const id = Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : undefined;
    return id ? id.slice(id.lastIndexOf('@') + 1) : undefined;
  };
  return {
    lookup(unitKey, name) {
      const workspace = json.workspaces?.[unitKey];
      let declared: string | undefined;
      for (const section of ['dependencies', 'devDependencies', 'optionalDependencies']) {
        const table = workspace?.[section];
        if (table && typeof table === 'object' && typeof table[name] === 'string') declared = table[name];
      }
      const version = versionOf(`${unitKey ? `${unitKey.split('/').pop()}/` : ''}${name}`) ?? versionOf(name);
      if (!version && declared === undefined) return undefined;
      return { ...(version ? { version } : {}), ...(declared !== undefined ? { declared } : {}) };
    },
    packages: () => Object.values(json.packages ?? {})
      .map((entry) => (Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : ''))
      .filter((id) => id.lastIndexOf('@') > 0 && !/@(?:workspace|link|file):/.test(id))
      .map((id) => ({ ecosystem: 'node' as const, name: id.slice(0, id.lastIndexOf('@')), version: id.slice(id.lastIndexOf('@') + 1) })),
  };
}

function tomlPackageLock(text: string): Reader {
  const document = parseToml(text);
  const versions = new Map<string, string>();
  for (const entry of tomlArray(document.value.package)) {
    const table = tomlTable(entry);
    const name = tomlString(table?.name);
    const version = tomlString(table?.version);
    if (name && version) versions.set(normalisePythonName(name), version);
  }
  return {
    lookup: (_unit, name) => (versions.has(name) ? { version: versions.get(name) } : undefined),
    packages: () => [...versions.entries()].map(([name, version]) => ({ ecosystem: 'python' as const, name, version })),
  };
}

function pipfileLock(text: string): Reader {
  const json = objectOrThrow<Record<string, Record<string, { version?: string }>>>(JSON.parse(text));
  const versions = new Map<string, string>();
  for (const section of ['default', 'develop']) {
    for (const [name, entry] of Object.entries(json[section] ?? {})) {
      if (entry?.version) versions.set(normalisePythonName(name), entry.version.replace(/^==/, ''));
    }
  }
  return {
    lookup: (_unit, name) => (versions.has(name) ? { version: versions.get(name) } : undefined),
    packages: () => [...versions.entries()].map(([name, version]) => ({ ecosystem: 'python' as const, name, version })),
  };
}

/** The lockfile of a unit: in its folder, or (monorepos) in the nearest folder above it. */
export function findLockfile(files: ReadonlySet<string>, unitPath: string, names: Record<string, LockKind>): { file: string; folder: string } | undefined {
  let folder = unitPath;
  for (;;) {
    const prefix = folder === '.' ? '' : `${folder}/`;
    for (const name of Object.keys(names)) {
      if (files.has(`${prefix}${name}`)) return { file: `${prefix}${name}`, folder };
    }
    if (folder === '.') return undefined;
    const slash = folder.lastIndexOf('/');
    folder = slash < 0 ? '.' : folder.slice(0, slash);
  }
}

/** Every lockfile of the workspace with its packages, for advisory look-ups. */
export function collectLockedPackages(files: readonly string[], read: (path: string) => string | undefined): { lockfile: string; packages: LockedPackage[] }[] {
  const names = { ...NODE_LOCKFILES, ...PYTHON_LOCKFILES };
  return files
    .filter((file) => (file.split('/').pop() ?? '') in names)
    .map((file) => ({ lockfile: file, packages: readLockfile(file, read(file)).packages() }))
    .filter((entry) => entry.packages.length > 0);
}
