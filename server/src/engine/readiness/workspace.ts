import { LineIndex } from '../text/lineIndex';
import { blankComments, type CommentStyle } from './parse/comments';
import { readPackageJson, type Dependency, type NodeManifest } from './manifests';
import { detectUnits, NOT_APP_CODE, type UnitInfo } from './units';
import { globToRegExp } from './glob';
import type { Evidence, ReadinessInput } from './types';

/**
 * The workspace as the checks see it: files chosen by path first and read lazily once,
 * units with their own files plus the files they share (a monorepo root's CI and
 * infrastructure), and helpers to point evidence at a line.
 */

/** Larger files are not searched: generated data, bundles, dumps. */
const MAX_SEARCHED_BYTES = 1024 * 1024;

/** Tests, mocks and fixtures: code there is not what runs in production. */
export const TEST_PATH = /(?:^|\/)(?:__tests__|__mocks__|tests?|spec|specs|fixtures?|testdata|e2e|cypress|playwright|stories)\/|\.(?:test|spec|stories|e2e)\.[a-z0-9]+$|(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest|tests)\.py$/i;

export interface ScopedFile {
  /** Workspace-relative path (what evidence shows). */
  path: string;
  /** Path from the unit's folder (or the workspace root for shared files), what globs match. */
  local: string;
}

/** What one check looks at: a unit (or the whole workspace) and the files and manifests it has. */
export interface Scope {
  workspace: Workspace;
  /** The unit assessed; for workspace-wide checks, the first unit (their results apply to all). */
  unit: UnitInfo;
  kind: 'unit' | 'workspace';
  files: readonly ScopedFile[];
  dependencies: readonly Dependency[];
  packageJsons: readonly NodeManifest[];
}

export class Workspace {
  readonly files: readonly string[];
  readonly units: UnitInfo[];
  /** Files no unit owns (a monorepo root's), shared by every unit. */
  readonly shared: ScopedFile[] = [];
  private readonly owned = new Map<UnitInfo, ScopedFile[]>();
  private readonly texts = new Map<string, string | undefined>();
  private readonly lowered = new Map<string, string>();
  private readonly uncommented = new Map<string, string>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  private readonly fileSet: ReadonlySet<string>;
  private readonly globCache = new Map<string, ScopedFile[]>();
  private readonly scopes = new Map<string, Scope>();

  constructor(readonly input: ReadinessInput) {
    this.files = input.files.map((file) => file.replace(/\\/g, '/').replace(/^\.\//, '')).filter((file) => !NOT_APP_CODE.test(file));
    this.fileSet = new Set(this.files);
    const detected = detectUnits(this.files, (path) => this.read(path));
    this.units = detected.units;
    const byDepth = [...this.units].sort((a, b) => b.path.length - a.path.length);
    for (const unit of this.units) this.owned.set(unit, []);
    for (const file of this.files) {
      const owner = byDepth.find((unit) => unit.path === '.' || file.startsWith(`${unit.path}/`));
      if (owner) this.owned.get(owner)!.push({ path: file, local: owner.path === '.' ? file : file.slice(owner.path.length + 1) });
      else this.shared.push({ path: file, local: file });
    }
  }

  has(path: string): boolean {
    return this.fileSet.has(path);
  }

  /** The file's text, read once; undefined when unreadable or too large to search. */
  read(path: string): string | undefined {
    if (this.texts.has(path)) return this.texts.get(path);
    let text: string | undefined;
    try {
      text = this.input.read(path);
    } catch {
      text = undefined;
    }
    if (text !== undefined && text.length > MAX_SEARCHED_BYTES) text = undefined;
    this.texts.set(path, text);
    return text;
  }

  /** The text in lower case, for keyword prefilters. */
  lowerCase(path: string): string | undefined {
    let lower = this.lowered.get(path);
    if (lower === undefined) {
      const text = this.read(path);
      if (text === undefined) return undefined;
      lower = text.toLowerCase();
      this.lowered.set(path, lower);
    }
    return lower;
  }

  /** The text with comments blanked out (offsets unchanged). */
  withoutComments(path: string, style: CommentStyle): string | undefined {
    const key = `${style}\u0000${path}`;
    let text = this.uncommented.get(key);
    if (text === undefined) {
      const raw = this.read(path);
      if (raw === undefined) return undefined;
      text = blankComments(raw, style);
      this.uncommented.set(key, text);
    }
    return text;
  }

  lines(path: string): LineIndex | undefined {
    let index = this.lineIndexes.get(path);
    if (!index) {
      const text = this.read(path);
      if (text === undefined) return undefined;
      index = new LineIndex(text);
      this.lineIndexes.set(path, index);
    }
    return index;
  }

  /** Evidence at a zero-based line (the whole line is the range). */
  evidenceAtLine(file: string, line: number, description: string): Evidence {
    const index = this.lines(file);
    const length = index ? index.lineText(line).length : 0;
    return { file, range: { start: { line, character: 0 }, end: { line, character: length } }, description };
  }

  evidenceAtOffset(file: string, start: number, end: number, description: string): Evidence {
    const index = this.lines(file);
    if (!index) return this.evidenceAtLine(file, 0, description);
    const range = index.rangeOf(start, end);
    // Evidence ranges stay on one line so `path:line` reads naturally.
    if (range.end.line !== range.start.line) range.end = { line: range.start.line, character: index.lineText(range.start.line).length };
    return { file, range, description };
  }

  scopeOf(unit: UnitInfo): Scope {
    const key = `unit:${unit.path}`;
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = {
        workspace: this,
        unit,
        kind: 'unit',
        files: [...(this.owned.get(unit) ?? []), ...this.shared],
        dependencies: unit.dependencies,
        packageJsons: unit.packageJson ? [unit.packageJson] : [],
      };
      this.scopes.set(key, scope);
    }
    return scope;
  }

  /** The whole repository, for workspace-wide checks. */
  workspaceScope(): Scope {
    let scope = this.scopes.get('workspace');
    if (!scope) {
      const rootPackage = this.units.some((unit) => unit.path === '.') ? [] : this.rootPackageJson();
      scope = {
        workspace: this,
        unit: this.units[0],
        kind: 'workspace',
        files: this.files.map((path) => ({ path, local: path })),
        dependencies: this.units.flatMap((unit) => unit.dependencies),
        packageJsons: [...rootPackage, ...this.units.flatMap((unit) => (unit.packageJson ? [unit.packageJson] : []))],
      };
      this.scopes.set('workspace', scope);
    }
    return scope;
  }

  private rootPackageJson(): NodeManifest[] {
    if (!this.has('package.json')) return [];
    // A monorepo root's package.json holds the scripts CI runs (turbo run test…).
    const manifest = readPackageJson('package.json', this.read('package.json') ?? '');
    return manifest ? [manifest] : [];
  }

  /** Files of a scope whose local path matches one of the globs (and none of `exclude`). */
  select(scope: Scope, globs: readonly string[], exclude: readonly string[] = [], includeTests = true): ScopedFile[] {
    const key = `${scope.kind}:${scope.unit.path}\u0000${globs.join('\u0001')}\u0000${exclude.join('\u0001')}\u0000${includeTests}`;
    let selected = this.globCache.get(key);
    if (!selected) {
      const patterns = globs.map(globToRegExp);
      const excluded = exclude.map(globToRegExp);
      selected = scope.files.filter((file) => patterns.some((pattern) => pattern.test(file.local)) && !excluded.some((pattern) => pattern.test(file.local)) && (includeTests || !TEST_PATH.test(file.local)));
      this.globCache.set(key, selected);
    }
    return selected;
  }
}
