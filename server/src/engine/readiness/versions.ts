/**
 * Version ranges, small and offline: npm's semver ranges (`^`, `~`, x-ranges, hyphen ranges,
 * comparators, `||`, prerelease rules) and Python's PEP 440 specifiers plus Poetry's `^`/`~`.
 * `satisfies…` returns undefined for what it does not support (dist-tags, URLs, git refs),
 * so callers can say "can't tell" rather than guess.
 */

// ---------------------------------------------------------------- npm semver

interface SemVer {
  major: number;
  minor: number;
  patch: number;
  pre: string[];
}

type Operator = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  op: Operator;
  version: SemVer;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemVer(text: string): SemVer | undefined {
  const match = SEMVER.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), pre: match[4] ? match[4].split('.') : [] };
}

export function compareSemVer(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (!a.pre.length || !b.pre.length) return (a.pre.length ? -1 : 0) + (b.pre.length ? 1 : 0);
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) - Number(y);
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

interface Partial {
  major?: number;
  minor?: number;
  patch?: number;
  pre: string[];
}

function parsePartial(text: string): Partial | undefined {
  const match = /^v?(\d+|[xX*])(?:\.(\d+|[xX*])(?:\.(\d+|[xX*])(?:-([0-9A-Za-z.-]+))?)?)?(?:\+[0-9A-Za-z.-]+)?$/.exec(text);
  if (!match) return text === '' || text === '*' ? { pre: [] } : undefined;
  const number = (part: string | undefined) => (part === undefined || /^[xX*]$/.test(part) ? undefined : Number(part));
  const major = number(match[1]);
  const minor = major === undefined ? undefined : number(match[2]);
  const patch = minor === undefined ? undefined : number(match[3]);
  return { major, minor, patch, pre: patch !== undefined && match[4] ? match[4].split('.') : [] };
}

const v = (major: number, minor: number, patch: number, pre: string[] = []): SemVer => ({ major, minor, patch, pre });

/** Comparators for one space-separated piece of a range. */
function desugar(piece: string): Comparator[] | undefined {
  const match = /^(\^|~>?|<=|>=|<|>|=)?(.*)$/.exec(piece)!;
  const operator = match[1] ?? '';
  const partial = parsePartial(match[2]);
  if (!partial) return undefined;
  const { major, minor, patch, pre } = partial;
  if (major === undefined) return operator === '<' || operator === '>' ? [{ op: '<', version: v(0, 0, 0, ['0']) }] : [];
  const lower = (m: number, n: number, p: number): Comparator => ({ op: '>=', version: v(m, n, p, pre) });
  const upper = (m: number, n: number, p: number): Comparator => ({ op: '<', version: v(m, n, p, ['0']) });
  switch (operator) {
    case '^':
      if (major > 0 || minor === undefined) return [lower(major, minor ?? 0, patch ?? 0), upper(major + 1, 0, 0)];
      if (minor > 0 || patch === undefined) return [lower(0, minor, patch ?? 0), upper(0, minor + 1, 0)];
      return [lower(0, 0, patch), upper(0, 0, patch + 1)];
    case '~':
    case '~>':
      if (minor === undefined) return [lower(major, 0, 0), upper(major + 1, 0, 0)];
      return [lower(major, minor, patch ?? 0), upper(major, minor + 1, 0)];
    case '>':
      if (minor === undefined) return [lower(major + 1, 0, 0)];
      if (patch === undefined) return [lower(major, minor + 1, 0)];
      return [{ op: '>', version: v(major, minor, patch, pre) }];
    case '>=':
      return [lower(major, minor ?? 0, patch ?? 0)];
    case '<':
      return [{ op: '<', version: v(major, minor ?? 0, patch ?? 0, patch === undefined ? ['0'] : pre) }];
    case '<=':
      if (minor === undefined) return [upper(major + 1, 0, 0)];
      if (patch === undefined) return [upper(major, minor + 1, 0)];
      return [{ op: '<=', version: v(major, minor, patch, pre) }];
    default:
      if (minor === undefined) return [lower(major, 0, 0), upper(major + 1, 0, 0)];
      if (patch === undefined) return [lower(major, minor, 0), upper(major, minor + 1, 0)];
      return [{ op: '=', version: v(major, minor, patch, pre) }];
  }
}

function parseRangeSet(range: string): Comparator[][] | undefined {
  const sets: Comparator[][] = [];
  for (const alternative of range.split('||')) {
    const text = alternative.trim().replace(/(<=|>=|<|>|=|\^|~>?)\s+/g, '$1');
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    if (hyphen) {
      const from = parsePartial(hyphen[1]);
      const to = parsePartial(hyphen[2]);
      if (!from || !to) return undefined;
      const set: Comparator[] = [];
      if (from.major !== undefined) set.push({ op: '>=', version: v(from.major, from.minor ?? 0, from.patch ?? 0, from.pre) });
      if (to.major !== undefined) {
        if (to.minor === undefined) set.push({ op: '<', version: v(to.major + 1, 0, 0, ['0']) });
        else if (to.patch === undefined) set.push({ op: '<', version: v(to.major, to.minor + 1, 0, ['0']) });
        else set.push({ op: '<=', version: v(to.major, to.minor, to.patch, to.pre) });
      }
      sets.push(set);
      continue;
    }
    const set: Comparator[] = [];
    for (const piece of text.split(/\s+/).filter(Boolean)) {
      const comparators = desugar(piece);
      if (!comparators) return undefined;
      set.push(...comparators);
    }
    sets.push(set);
  }
  return sets;
}

function testComparator(version: SemVer, comparator: Comparator): boolean {
  const order = compareSemVer(version, comparator.version);
  switch (comparator.op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default:
      return order === 0;
  }
}

/**
 * Whether an installed version satisfies an npm range; undefined when the range is not a
 * semver range (dist-tag, URL, git, file, workspace protocol).
 */
export function satisfiesNpmRange(versionText: string, rangeText: string): boolean | undefined {
  const version = parseSemVer(versionText);
  const range = npmRangeOf(rangeText);
  if (!version || range === undefined) return undefined;
  const sets = parseRangeSet(range);
  if (!sets) return undefined;
  return sets.some((set) => {
    if (!set.every((comparator) => testComparator(version, comparator))) return false;
    if (!version.pre.length) return true;
    // A prerelease only satisfies a range that names a prerelease of the same version.
    return set.some((comparator) => comparator.version.pre.length > 0 &&
      comparator.version.major === version.major && comparator.version.minor === version.minor && comparator.version.patch === version.patch);
  });
}

/** The semver range inside a dependency spec (`npm:pkg@^1` → `^1`), or undefined when it is not one. */
export function npmRangeOf(spec: string): string | undefined {
  let text = spec.trim();
  const alias = /^npm:(?:@[^/@]+\/)?[^@]+@(.*)$/.exec(text);
  if (alias) text = alias[1];
  if (/^(?:workspace|file|link|portal|patch|catalog|git\+|git:|github:|gitlab:|bitbucket:|https?:|ssh:|exec:)/i.test(text) || /^[\w.-]+\/[\w.-]+(#.*)?$/.test(text)) return undefined;
  if (text === '' || text === 'latest' || text === '*') return text === 'latest' ? undefined : '*';
  if (/^[A-Za-z][\w.-]*$/.test(text) && !/^v?\d/.test(text) && !/^[xX]$/.test(text)) return undefined;
  return text;
}

/** The lowest and highest major versions a range allows (highest undefined when open-ended). */
export function majorBounds(rangeText: string): { lowest?: number; highest?: number } | undefined {
  const sets = parseRangeSet(rangeText.trim() || '*');
  if (!sets) return undefined;
  let lowest: number | undefined;
  let highest: number | undefined = -1;
  for (const set of sets) {
    const lows = set.filter((c) => c.op === '>=' || c.op === '>' || c.op === '=').map((c) => c.version.major);
    const highs = set.filter((c) => c.op === '<' || c.op === '<=' || c.op === '=').map((c) => (c.op === '<' && c.version.minor === 0 && c.version.patch === 0 ? c.version.major - 1 : c.version.major));
    const low = lows.length ? Math.max(...lows) : 0;
    lowest = lowest === undefined ? low : Math.min(lowest, low);
    if (highs.length === 0) highest = undefined;
    else if (highest !== undefined) highest = Math.max(highest, Math.min(...highs));
  }
  return { lowest, highest };
}

// ---------------------------------------------------------------- Python (PEP 440, Poetry)

interface PyVersion {
  epoch: number;
  release: number[];
  /** dev < a < b < rc < final < post */
  phase: number;
  phaseNumber: number;
}

export function parsePyVersion(text: string): PyVersion | undefined {
  const match = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:(?:[-_.]?(post|rev|r)[-_.]?(\d*))|-(\d+))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+[a-z0-9.]+)?$/i.exec(text.trim());
  if (!match) return undefined;
  const release = match[2].split('.').map(Number);
  let phase = 0;
  let phaseNumber = 0;
  if (match[3]) {
    const letter = match[3].toLowerCase();
    phase = letter.startsWith('a') ? -3 : letter.startsWith('b') ? -2 : -1;
    phaseNumber = Number(match[4] || 0);
  } else if (match[5] || match[7]) {
    phase = 1;
    phaseNumber = Number(match[6] || match[7] || 0);
  } else if (match[8]) {
    phase = -4;
    phaseNumber = Number(match[9] || 0);
  }
  return { epoch: Number(match[1] ?? 0), release, phase, phaseNumber };
}

export function comparePyVersions(a: PyVersion, b: PyVersion): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  for (let i = 0; i < Math.max(a.release.length, b.release.length); i++) {
    const difference = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (difference) return difference;
  }
  if (a.phase !== b.phase) return a.phase - b.phase;
  return a.phaseNumber - b.phaseNumber;
}

/**
 * Whether a version satisfies a PEP 440 specifier set (`>=2,<3`, `~=1.4.2`, `==1.2.*`) or a
 * Poetry constraint (`^1.2`, `~1.2`, `1.2.*`, `||`); undefined when it cannot be read.
 */
export function satisfiesPythonSpecifier(versionText: string, specifierText: string): boolean | undefined {
  const version = parsePyVersion(versionText);
  if (!version) return undefined;
  const alternatives = specifierText.split('||');
  let anyKnown = false;
  for (const alternative of alternatives) {
    const clauses = alternative.split(/,|\s+(?=[<>=!~^])/).map((clause) => clause.trim()).filter(Boolean);
    let all = true;
    for (const clause of clauses) {
      const result = testPyClause(version, clause);
      if (result === undefined) return undefined;
      if (!result) all = false;
    }
    anyKnown = true;
    if (all) return true;
  }
  return anyKnown ? false : undefined;
}

function testPyClause(version: PyVersion, clause: string): boolean | undefined {
  if (clause === '*' || clause === '') return true;
  const match = /^(===|==|!=|~=|<=|>=|<|>|\^|~|=)?\s*(.+)$/.exec(clause);
  if (!match) return undefined;
  const operator = match[1] ?? '==';
  const target = match[2].trim();
  if (target.endsWith('.*')) {
    const prefix = parsePyVersion(target.slice(0, -2));
    if (!prefix) return undefined;
    const same = prefix.release.every((part, i) => (version.release[i] ?? 0) === part);
    return operator === '!=' ? !same : same;
  }
  const bound = parsePyVersion(target);
  if (!bound) return undefined;
  const order = comparePyVersions(version, bound);
  const upperOf = (parts: number[]) => ({ epoch: bound.epoch, release: parts, phase: -4, phaseNumber: 0 });
  switch (operator) {
    case '===':
    case '==':
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<=':
      return order <= 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '~=': {
      if (bound.release.length < 2) return undefined;
      const upper = [...bound.release.slice(0, -2), bound.release[bound.release.length - 2] + 1];
      return order >= 0 && comparePyVersions(version, upperOf(upper)) < 0;
    }
    case '^': {
      const parts = bound.release;
      const index = parts.findIndex((part, i) => part !== 0 || i === parts.length - 1);
      const upper = parts.slice(0, index + 1);
      upper[index] += 1;
      return order >= 0 && comparePyVersions(version, upperOf(upper)) < 0;
    }
    case '~': {
      const parts = bound.release;
      const upper = parts.length >= 2 ? [parts[0], parts[1] + 1] : [parts[0] + 1];
      return order >= 0 && comparePyVersions(version, upperOf(upper)) < 0;
    }
    default:
      return undefined;
  }
}

/** Names compare after PEP 503 normalisation (Flask_Login → flask-login). */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
