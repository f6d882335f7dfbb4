import { BoundedCache } from '../text/boundedCache';
import { LineIndex } from '../text/lineIndex';
import { blankComments, type CommentStyle } from './parse/comments';
import { readPackageJson, type Dependency, type NodeManifest } from './manifests';
import { detectUnits, NOT_APP_CODE, type UnitInfo } from './units';
import { globToRegExp } from './glob';
import { KeywordPresence } from './keywordPresence';
import type { Evidence, ReadinessInput } from './types';

/**
 * The workspace as the checks see it: files chosen by path first and read lazily once,
 * units with their own files plus the files they share (a monorepo root's CI and
 * infrastructure), and helpers to point evidence at a line.
 */

/** Larger files are not searched: generated data, bundles, dumps. */
export const MAX_SEARCHED_BYTES = 1024 * 1024;

/**
 * How much text (in characters) the assessment keeps read: every check searches the same
 * files, so a workspace that fits is read once; a larger one is read again as needed rather
 * than held whole in memory (measured: holding it all took the CLI past 1.3 GB on 490 MB).
 */
const TEXT_BUDGET = 96 * 1024 * 1024;
const DERIVED_TEXT_BUDGET = 32 * 1024 * 1024;

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

export interface WorkspaceOptions {
  /** Characters of file text kept read (default TEXT_BUDGET); beyond it files are read again when needed. */
  textBudget?: number;
  /** The content conditions' prefilter keywords, searched for in one pass per file (see KeywordPresence). */
  prefilterKeywords?: readonly string[];
}

export class Workspace {
  readonly files: readonly string[];
  readonly units: UnitInfo[];
  /** Files no unit owns (a monorepo root's), shared by every unit. */
  readonly shared: ScopedFile[] = [];
  private readonly owned = new Map<UnitInfo, ScopedFile[]>();
  /** The unit owning each file; absent for shared files. */
  private readonly ownerOf = new Map<string, UnitInfo>();
  private readonly texts: BoundedCache<string | undefined>;
  private readonly uncommented: BoundedCache<string | undefined>;
  private readonly lineIndexes: BoundedCache<LineIndex | undefined>;
  private readonly fileSet: ReadonlySet<string>;
  private readonly globCache = new Map<string, ScopedFile[]>();
  private readonly scopes = new Map<string, Scope>();
  /** Results over the shared files, which are the same for every unit: computed once. */
  private readonly sharedResults = new WeakMap<object, unknown>();
  /** Which prefilter keywords each file holds. */
  readonly keywords: KeywordPresence;

  constructor(readonly input: ReadinessInput, options: WorkspaceOptions = {}) {
    const textBudget = options.textBudget ?? TEXT_BUDGET;
    const derivedBudget = Math.min(textBudget, DERIVED_TEXT_BUDGET);
    const keywords = options.prefilterKeywords ?? [];
    const found = input.keywordsFound;
    // Bits found by a scan are used only when they are over the same keyword list.
    const sameList = !!found && found.keywords.length === keywords.length && found.keywords.every((keyword, index) => keyword === keywords[index]);
    this.keywords = new KeywordPresence(keywords, sameList ? found.files : undefined);
    this.texts = new BoundedCache(textBudget, (text) => text?.length ?? 0);
    this.uncommented = new BoundedCache(derivedBudget, (text) => text?.length ?? 0);
    // A line index holds on to its text, so it costs the text's length.
    this.lineIndexes = new BoundedCache(derivedBudget, (index) => index?.textLength ?? 0);
    this.files = input.files.map((file) => file.replace(/\\/g, '/').replace(/^\.\//, '')).filter((file) => !NOT_APP_CODE.test(file));
    this.fileSet = new Set(this.files);
    const detected = detectUnits(this.files, (path) => this.read(path));
    this.units = detected.units;
    const unitAt = new Map(this.units.map((unit) => [unit.path, unit]));
    for (const unit of this.units) this.owned.set(unit, []);
    for (const file of this.files) {
      const owner = deepestUnit(file, unitAt);
      if (owner) {
        this.ownerOf.set(file, owner);
        this.owned.get(owner)!.push({ path: file, local: owner.path === '.' ? file : file.slice(owner.path.length + 1) });
      } else {
        this.shared.push({ path: file, local: file });
      }
    }
  }

  has(path: string): boolean {
    return this.fileSet.has(path);
  }

  /** The file's text, read once while it fits the budget; undefined when unreadable or too large to search. */
  read(path: string): string | undefined {
    return this.texts.get(path, () => {
      let text: string | undefined;
      try {
        text = this.input.read(path);
      } catch {
        text = undefined;
      }
      return text !== undefined && text.length > MAX_SEARCHED_BYTES ? undefined : text;
    });
  }

  /** The text with comments blanked out (offsets unchanged). */
  withoutComments(path: string, style: CommentStyle): string | undefined {
    return this.uncommented.get(`${style}\u0000${path}`, () => {
      const raw = this.read(path);
      return raw === undefined ? undefined : blankComments(raw, style);
    });
  }

  lines(path: string): LineIndex | undefined {
    return this.lineIndexes.get(path, () => {
      const text = this.read(path);
      return text === undefined ? undefined : new LineIndex(text);
    });
  }

  /** Whether the file belongs to the scope: the unit's own files and the shared ones, or any for the workspace. */
  inScope(scope: Scope, path: string): boolean {
    if (!this.fileSet.has(path)) return false;
    if (scope.kind === 'workspace') return true;
    const owner = this.ownerOf.get(path);
    return owner === undefined || owner === scope.unit;
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
    const { own, shared } = this.selectParts(scope, globs, exclude, includeTests);
    return shared.length ? [...own, ...shared] : own;
  }

  /** `select`, split into the scope's own files and the shared ones (empty for the workspace scope). */
  selectParts(scope: Scope, globs: readonly string[], exclude: readonly string[] = [], includeTests = true): { own: ScopedFile[]; shared: ScopedFile[] } {
    const filter = `${globs.join('\u0001')}\u0000${exclude.join('\u0001')}\u0000${includeTests}`;
    if (scope.kind === 'workspace') return { own: this.filtered(`workspace\u0000${filter}`, scope.files, globs, exclude, includeTests), shared: [] };
    return {
      own: this.filtered(`unit:${scope.unit.path}\u0000${filter}`, this.owned.get(scope.unit) ?? [], globs, exclude, includeTests),
      shared: this.filtered(`shared\u0000${filter}`, this.shared, globs, exclude, includeTests),
    };
  }

  /** `compute()` once per key object for the shared files (a condition of a check, say), whichever unit asks first. */
  sharedResult<T>(key: object, compute: () => T): T {
    if (!this.sharedResults.has(key)) this.sharedResults.set(key, compute());
    return this.sharedResults.get(key) as T;
  }

  private filtered(key: string, files: readonly ScopedFile[], globs: readonly string[], exclude: readonly string[], includeTests: boolean): ScopedFile[] {
    let selected = this.globCache.get(key);
    if (!selected) {
      const patterns = globs.map(globToRegExp);
      const excluded = exclude.map(globToRegExp);
      selected = files.filter((file) => patterns.some((pattern) => pattern.test(file.local)) && !excluded.some((pattern) => pattern.test(file.local)) && (includeTests || !TEST_PATH.test(file.local)));
      this.globCache.set(key, selected);
    }
    return selected;
  }
}

/** The unit in the file's nearest folder that has one ('.' is the workspace root's). */
function deepestUnit(file: string, unitAt: ReadonlyMap<string, UnitInfo>): UnitInfo | undefined {
  for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
    const unit = unitAt.get(file.slice(0, slash));
    if (unit) return unit;
  }
  return unitAt.get('.');
}
