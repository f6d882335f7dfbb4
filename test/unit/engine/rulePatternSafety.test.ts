import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSync } from 'recheck';
import { Analyzer } from '../../../server/src/engine/analyzer';
import { FETCH_MEMBER, FETCH_SERVER, handlerHintPatterns } from '../../../server/src/engine/input/handlerHint';
import { INPUT_PREFILTER_PATTERNS } from '../../../server/src/engine/input/inputPrefilter';
import { EXPORT_HINT } from '../../../server/src/engine/input/moduleSinks';
import { TOP_LEVEL_FUNCTION } from '../../../server/src/engine/input/python/pyModuleSinks';
import { POSTGREST_OPERATOR } from '../../../server/src/engine/input/shared/postgrestFilter';
import { DENO_STD, NPM_SPECIFIER } from '../../../server/src/engine/js/flowSyntax';
import { inputRuleData } from '../../../server/src/engine/input/ruleData';
import { CHECK_PATTERNS } from '../../../server/src/engine/secrets/checks';
import { compileSecretRule } from '../../../server/src/engine/secrets/compileRule';
import { loadSecretRuleFiles } from '../../../server/src/engine/secrets/loadSecretRules';
import type { SecretRuleSpec } from '../../../server/src/engine/secrets/secretRule';
import { DIRECTIVE } from '../../../server/src/engine/suppression/inlineSuppressions';
import { BRACKET_PARAMETER } from '../../../server/src/engine/routes/python/pyPaths';
import { NUMERIC_URL_GROUP } from '../../../server/src/engine/input/python/pyHandlers';
import { PATH_CONSTANT_EXPORT } from '../../../server/src/engine/routes/js/routeFactsHint';
import { PATH_CONSTANT } from '../../../server/src/engine/routes/python/pyRouteFacts';
import { repoRoot, rulesDirectory } from '../helpers';

/**
 * Every pattern the secret scanner runs (rule regexes, allowlist and context regexes, and the
 * patterns hard-coded in the engine) must be safe from catastrophic backtracking, as judged by
 * recheck. recheck fuzzes each pattern for about a second, so verdicts are cached under
 * node_modules/.cache (keyed by recheck version, flags and source); set
 * SHIPSHAPE_RECHECK_NO_CACHE=1 to recompute them all.
 */

interface Verdict {
  status: 'safe' | 'vulnerable' | 'unknown';
  /** recheck's description of the attack string, for vulnerable patterns. */
  attack?: string;
  /** The attack string itself (kept for the known findings, which are replayed in V8). */
  attackString?: string;
  error?: string;
}

const RECHECK_VERSION: string = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', 'recheck', 'package.json'), 'utf8')).version;
const CACHE_DIR = path.join(repoRoot, 'node_modules', '.cache', 'shipshape-recheck');
const USE_CACHE = process.env.SHIPSHAPE_RECHECK_NO_CACHE !== '1';

function recheck(source: string, flags: string): Verdict {
  // recheck knows the standard flags but not `d` (match indices), which does not change matching.
  const recheckFlags = [...new Set(flags.replace(/d/g, ''))].join('');
  const key = crypto.createHash('sha256').update(`${RECHECK_VERSION}\0${recheckFlags}\0${source}`).digest('hex');
  const file = path.join(CACHE_DIR, `${key}.json`);
  if (USE_CACHE && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Verdict;
  // recheck's own limit is 10 s; a slow CI machine gets more before the verdict becomes 'unknown'.
  const result = checkSync(source, recheckFlags, { timeout: 30_000 });
  const verdict: Verdict = { status: result.status };
  if (result.status === 'vulnerable') {
    verdict.attack = `${result.attack.pattern} (${result.complexity.summary})`;
    verdict.attackString = result.attack.string;
  }
  if (result.status === 'unknown') verdict.error = JSON.stringify(result.error);
  // A timeout depends on the machine; only firm verdicts are remembered.
  if (USE_CACHE && result.status !== 'unknown') {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(verdict));
  }
  return verdict;
}

/**
 * Patterns recheck reports as vulnerable that this test does not own (the generic rules and the
 * suppression parser belong to other parts of the engine); remove an entry once its pattern is
 * rewritten. `replay`: the pattern's quantifiers are bounded, so recheck's polynomial verdict comes
 * from the size of the bounds; the test replays recheck's own attack string in V8 and requires it
 * to finish quickly. `pending`: the attack is slow in V8 too, so the test is reported as pending.
 */
const KNOWN_RECHECK_FINDINGS = new Map<string, 'replay' | 'pending'>([
  ['secret/generic-secret regex', 'replay'],
  ['secret/generic-env-secret allowlist context 1', 'replay'],
  ['secret/session-secret regex', 'replay'],
]);
const ATTACK_BUDGET_MS = 250;

interface PatternCase {
  label: string;
  source: string;
  flags: string;
  /** The longest text the engine ever runs this pattern on (rule patterns only see a window). */
  maxInput?: number;
}

/** A single-line window reaches 600 characters each side of a keyword (secretScanner.ts). */
const LINE_WINDOW = 1200;

function rulePatterns(rule: SecretRuleSpec): PatternCase[] {
  const flags = `dg${rule.flags?.includes('i') ? 'i' : ''}`;
  const maxInput = rule.multilineWindow ? rule.multilineWindow + LINE_WINDOW / 2 : LINE_WINDOW;
  const cases: PatternCase[] = [{ label: `${rule.id} regex`, source: rule.regex, flags, maxInput }];
  // Allowlist and context patterns are compiled without flags by the engine (case-sensitive).
  (rule.allowlist?.regexes ?? []).forEach((source, index) => cases.push({ label: `${rule.id} allowlist regex ${index + 1}`, source, flags: '', maxInput }));
  (rule.allowlist?.context ?? []).forEach((source, index) => cases.push({ label: `${rule.id} allowlist context ${index + 1}`, source, flags: '', maxInput }));
  return cases;
}

function assertSafe(this: Mocha.Context, { label, source, flags, maxInput }: PatternCase): void {
  const verdict = recheck(source, flags);
  if (verdict.status === 'safe') return;
  const known = verdict.status === 'vulnerable' ? KNOWN_RECHECK_FINDINGS.get(label) : undefined;
  if (known === 'pending') this.skip();
  if (known === 'replay' && verdict.attackString !== undefined) {
    // Replayed on no more text than the engine ever gives the pattern.
    const input = verdict.attackString.slice(0, maxInput ?? verdict.attackString.length);
    const regex = new RegExp(source, flags.includes('g') ? flags : `${flags}g`);
    const started = process.hrtime.bigint();
    let guard = 0;
    while (regex.exec(input) !== null && guard++ < 1_000_000) if (regex.lastIndex === 0) break;
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(elapsedMs < ATTACK_BUDGET_MS, `${label}: recheck's attack ${verdict.attack}, cut to ${input.length} characters, takes ${elapsedMs.toFixed(0)} ms in V8`);
    return;
  }
  assert.fail(`${label} is not safe from catastrophic backtracking: recheck says ${verdict.status}` +
    (verdict.attack ? `, attack string ${verdict.attack}` : '') + (verdict.error ? ` (${verdict.error})` : '') + `\n  pattern: /${source}/${flags}`);
}

describe('secret rules: pattern safety', function () {
  this.timeout(60_000);
  const files = loadSecretRuleFiles(rulesDirectory);
  const rules = files.flatMap((file) => file.rules);
  const providerRules = rules.filter((rule) => !rule.generic);

  it('has at least 100 provider (non-generic) rules', () => {
    assert.ok(providerRules.length >= 100, `only ${providerRules.length} provider rules`);
  });

  it('every keyword is lower-case ASCII, and provider keywords are at least 3 characters long', () => {
    for (const rule of rules) {
      for (const keyword of rule.keywords) {
        assert.match(keyword, /^[\x20-\x7e]+$/, `${rule.id}: keyword ${JSON.stringify(keyword)} is not printable ASCII`);
        assert.equal(keyword, keyword.toLowerCase(), `${rule.id}: keyword ${JSON.stringify(keyword)} is not lower-case`);
        if (!rule.generic) assert.ok(keyword.length >= 3, `${rule.id}: keyword ${JSON.stringify(keyword)} is shorter than 3 characters`);
      }
    }
  });

  it('every regex compiles with the flags the engine uses', () => {
    for (const rule of rules) {
      assert.doesNotThrow(() => new RegExp(rule.regex, `dg${rule.flags?.includes('i') ? 'i' : ''}`), `${rule.id}: regex does not compile`);
      for (const source of [...(rule.allowlist?.regexes ?? []), ...(rule.allowlist?.context ?? [])]) {
        assert.doesNotThrow(() => new RegExp(source), `${rule.id}: allowlist pattern /${source}/ does not compile`);
      }
      assert.doesNotThrow(() => compileSecretRule(rule), `${rule.id}: does not compile as a rule`);
    }
  });

  describe('recheck: rule patterns', () => {
    for (const rule of rules) {
      for (const pattern of rulePatterns(rule)) it(pattern.label, function () { assertSafe.call(this, pattern); });
    }
  });

  describe('recheck: patterns hard-coded in the engine', () => {
    const engine: PatternCase[] = [
      { label: 'engine: inline suppression DIRECTIVE', source: DIRECTIVE.source, flags: DIRECTIVE.flags },
      ...Object.entries(CHECK_PATTERNS).map(([name, regex]) => ({ label: `engine: check pattern ${name}`, source: regex.source, flags: regex.flags })),
      // Run over whole files before parsing (input/handlerHint.ts).
      ...Object.entries(handlerHintPatterns(inputRuleData())).map(([name, regex]) => ({ label: `engine: input handler hint ${name}`, source: regex.source, flags: regex.flags })),
      // Run over every JS/TS file before parsing (input/inputPrefilter.ts, input/moduleSinks.ts).
      ...Object.entries(INPUT_PREFILTER_PATTERNS).map(([name, regex]) => ({ label: `engine: input prefilter ${name}`, source: regex.source, flags: regex.flags })),
      { label: 'engine: module export hint', source: EXPORT_HINT.source, flags: EXPORT_HINT.flags },
      { label: 'engine: Python top-level function', source: TOP_LEVEL_FUNCTION.source, flags: TOP_LEVEL_FUNCTION.flags },
      { label: 'engine: PostgREST filter operator', source: POSTGREST_OPERATOR.source, flags: POSTGREST_OPERATOR.flags },
      { label: 'engine: npm package behind npm:, jsr: or a CDN', source: NPM_SPECIFIER.source, flags: NPM_SPECIFIER.flags },
      { label: 'engine: Deno standard library address', source: DENO_STD.source, flags: DENO_STD.flags },
      { label: 'engine: input handler hint fetch server', source: FETCH_SERVER.source, flags: FETCH_SERVER.flags },
      { label: 'engine: input handler hint fetch member', source: FETCH_MEMBER.source, flags: FETCH_MEMBER.flags },
      // Run over the URL patterns of a workspace's urls.py (routes/python/pyPaths.ts, input/python/pyHandlers.ts).
      { label: 'engine: Flask/Django path parameter', source: BRACKET_PARAMETER.source, flags: BRACKET_PARAMETER.flags },
      { label: 'engine: numeric Django re_path group', source: NUMERIC_URL_GROUP.source, flags: NUMERIC_URL_GROUP.flags },
      // Run over every JS/TS and Python file before parsing (routes/js/routeFactsHint.ts, routes/python/pyRouteFacts.ts).
      { label: 'engine: JS/TS exported path constant', source: PATH_CONSTANT_EXPORT.source, flags: PATH_CONSTANT_EXPORT.flags },
      { label: 'engine: Python path constant', source: PATH_CONSTANT.source, flags: PATH_CONSTANT.flags },
    ];
    for (const pattern of engine) it(pattern.label, function () { assertSafe.call(this, pattern); });
  });
});

/**
 * Two provider rules must not claim the same value: for every positive example of a provider rule,
 * no other provider rule may find an overlapping secret, except where one rule deliberately layers
 * over a more general one (a service-account JSON file holds a PKCS #8 key; the JSON rule's match is
 * longer and wins).
 */
const LAYERED_OVER: Record<string, string[]> = {
  'secret/gcp-service-account-key': ['secret/private-key-pkcs8'],
  'secret/firebase-admin-private-key': ['secret/private-key-pkcs8'],
};

describe('secret rules: no two provider rules claim the same value', () => {
  const rules = loadSecretRuleFiles(rulesDirectory).flatMap((file) => file.rules);
  const compiled = rules.map(compileSecretRule);
  for (const rule of rules.filter((candidate) => !candidate.generic)) {
    it(rule.id, () => {
      const own = new Analyzer({ secretRules: compiled.filter((candidate) => candidate.spec.id === rule.id) });
      const others = new Analyzer({ secretRules: compiled.filter((candidate) => candidate.spec.id !== rule.id && !candidate.spec.generic) });
      for (const example of rule.examples.positive as (string | { text: string; path?: string })[]) {
        const { text, path: filePath } = typeof example === 'string' ? { text: example, path: 'src/example.ts' } : { path: 'src/example.ts', ...example };
        const mine = own.analyzeFile({ path: filePath, text }).findings.filter((finding) => finding.ruleId === rule.id);
        const theirs = others.analyzeFile({ path: filePath, text }).findings.filter((finding) => finding.ruleId.startsWith('secret/'));
        for (const finding of mine) {
          const clash = theirs.find((other) => other.startOffset < finding.endOffset && finding.startOffset < other.endOffset && !(LAYERED_OVER[rule.id] ?? []).includes(other.ruleId));
          assert.equal(clash?.ruleId, undefined, `${rule.id} and ${clash?.ruleId} both claim ${JSON.stringify(text.slice(finding.startOffset, finding.startOffset + 12))}… in ${filePath}`);
        }
      }
    });
  }
});
