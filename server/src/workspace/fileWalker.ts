import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Lists the files of a workspace the way a developer thinks of it: what git would track,
 * minus .shipshapeignore, without dependencies, build output or VCS folders. Never follows
 * directory symlinks (no loops) and never throws on unreadable folders: it counts them.
 */

/** Folders skipped by default: dependencies, build output, caches, VCS. */
export const DEFAULT_SKIPPED_FOLDERS = new Set([
  'node_modules', 'bower_components', 'jspm_packages', '.git', '.hg', '.svn', '.jj',
  'dist', 'build', 'out', '.next', '.nuxt', '.svelte-kit', '.output', '.vercel', '.netlify', '.turbo', '.parcel-cache',
  '.cache', 'coverage', '.nyc_output', '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.venv', 'venv',
  'site-packages', 'target', 'vendor', '.gradle', '.idea', '.terraform', '.serverless', '.expo', '.angular', 'storybook-static',
]);

export type SkipKind = 'ignored' | 'symlink' | 'unreadable' | 'special';

export interface WalkedFile {
  /** Absolute path. */
  path: string;
  /** Relative to the walk's root (or, after the CLI rebases it, to the current folder), forward slashes. */
  relative: string;
  /** Relative to the root of the project it was found in, when that differs from `relative`. */
  projectPath?: string;
  size: number;
}

export interface WalkResult {
  files: WalkedFile[];
  /** Things not walked, with why, for --verbose. */
  skipped: { relative: string; kind: SkipKind; detail?: string }[];
}

export interface WalkOptions {
  /** Extra gitignore-style patterns (CLI --exclude, editor setting). */
  exclude?: readonly string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Skip default folders such as node_modules (default true). */
  skipDefaultFolders?: boolean;
}

interface IgnoreScope {
  /** Directory (relative to the root, '' for the root) whose ignore file this is. */
  base: string;
  rules: Ignore;
}

export function walkWorkspace(root: string, options: WalkOptions = {}): WalkResult {
  const result: WalkResult = { files: [], skipped: [] };
  const rootScopes: IgnoreScope[] = [];
  const rootIgnore = ignore();
  const shipshapeIgnore = readIfExists(path.join(root, '.shipshapeignore'));
  if (shipshapeIgnore) rootIgnore.add(shipshapeIgnore);
  if (options.exclude?.length) rootIgnore.add([...options.exclude]);
  rootScopes.push({ base: '', rules: rootIgnore });
  walkDirectory(root, '', rootScopes, options, result);
  return result;
}

function walkDirectory(directory: string, relative: string, scopes: IgnoreScope[], options: WalkOptions, result: WalkResult): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    result.skipped.push({ relative: relative || '.', kind: 'unreadable', detail: (error as NodeJS.ErrnoException).code });
    return;
  }
  let localScopes = scopes;
  if (options.gitignore !== false) {
    const gitignore = entries.some((entry) => entry.name === '.gitignore') ? readIfExists(path.join(directory, '.gitignore')) : undefined;
    if (gitignore) localScopes = [...scopes, { base: relative, rules: ignore().add(gitignore) }];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
    const childPath = path.join(directory, entry.name);
    const isDirectory = entry.isDirectory();
    if (isDirectory && options.skipDefaultFolders !== false && DEFAULT_SKIPPED_FOLDERS.has(entry.name)) continue;
    if (isIgnored(localScopes, childRelative, isDirectory)) {
      result.skipped.push({ relative: childRelative, kind: 'ignored' });
      continue;
    }
    if (entry.isSymbolicLink()) {
      const target = statOrUndefined(childPath);
      if (target?.isFile()) result.files.push({ path: childPath, relative: childRelative, size: target.size });
      else result.skipped.push({ relative: childRelative, kind: 'symlink', detail: target ? 'directory links are not followed' : 'broken link' });
      continue;
    }
    if (isDirectory) {
      walkDirectory(childPath, childRelative, localScopes, options, result);
    } else if (entry.isFile()) {
      const stat = statOrUndefined(childPath);
      if (stat) result.files.push({ path: childPath, relative: childRelative, size: stat.size });
      else result.skipped.push({ relative: childRelative, kind: 'unreadable' });
    } else {
      result.skipped.push({ relative: childRelative, kind: 'special' });
    }
  }
}

function isIgnored(scopes: readonly IgnoreScope[], relative: string, isDirectory: boolean): boolean {
  for (const scope of scopes) {
    const local = scope.base ? relative.slice(scope.base.length + 1) : relative;
    if (!local) continue;
    if (scope.rules.ignores(isDirectory ? `${local}/` : local)) return true;
  }
  return false;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
