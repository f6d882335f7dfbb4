import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { READINESS_CHECKS } from '../../../../server/src/engine/readiness/catalog';
import { DEVELOPMENT_DOCKERFILE, DOCKERFILE_NAME } from '../../../../server/src/engine/readiness/parse/dockerfile';
import { REQUIREMENTS_FILE } from '../../../../server/src/engine/readiness/manifests';
import { TEST_PATH } from '../../../../server/src/engine/readiness/workspace';
import { repoRoot } from '../../helpers';

/**
 * Every regular expression in the readiness rules (and the ones the code runs over whole
 * files) must be safe from catastrophic backtracking, as judged by recheck. recheck takes
 * seconds per pattern, so patterns are checked on worker threads and "safe" verdicts are
 * cached under node_modules/.cache/shipshape-recheck (keyed by recheck's version, flags and
 * pattern, shared with the secret rules' test); SHIPSHAPE_RECHECK_NO_CACHE=1 recomputes them.
 */

interface Pattern {
  source: string;
  flags: string;
  where: string;
}

const REGEX_KEYS = new Set(['pattern', 'notMatching', 'fileLacks']);

function collect(node: unknown, where: string, flags: string, parentKey: string, out: Pattern[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => collect(item, `${where}[${index}]`, flags, parentKey, out));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  const ownFlags = typeof object.flags === 'string' ? object.flags : flags;
  for (const [key, value] of Object.entries(object)) {
    const isRegex = REGEX_KEYS.has(key) || key.endsWith('Pattern') || (parentKey === 'scripts' && (key === 'command' || key === 'name'));
    if (typeof value === 'string' && isRegex) out.push({ source: value, flags: REGEX_KEYS.has(key) ? ownFlags : '', where: `${where}.${key}` });
    else collect(value, `${where}.${key}`, ownFlags, key, out);
  }
}

const patterns: Pattern[] = [];
for (const spec of READINESS_CHECKS) collect(spec.detect, spec.id, '', '', patterns);
for (const [name, regex] of Object.entries({ DOCKERFILE_NAME, DEVELOPMENT_DOCKERFILE, TEST_PATH, REQUIREMENTS_FILE })) {
  patterns.push({ source: regex.source, flags: regex.flags.replace(/g/g, ''), where: `code:${name}` });
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { checkSync } = require(workerData.recheck);
for (const pattern of workerData.patterns) {
  const result = checkSync(pattern.source, pattern.flags);
  parentPort.postMessage({ key: pattern.key, status: result.status, attack: result.attack ? String(result.attack.pattern || result.attack.string || '').slice(0, 60) : undefined });
}
`;

const key = (pattern: Pattern) => `${pattern.flags}/${pattern.source}`;

describe('readiness rules: regular expressions are safe from catastrophic backtracking', function () {
  this.timeout(30 * 60 * 1000);
  const verdicts = new Map<string, { status: string; attack?: string }>();

  before(async () => {
    const recheck = require.resolve('recheck');
    const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', 'recheck', 'package.json'), 'utf8')).version as string;
    // The same cache as the secret rules' safety test: one file per firm verdict.
    const cacheDirectory = path.join(repoRoot, 'node_modules', '.cache', 'shipshape-recheck');
    const useCache = process.env.SHIPSHAPE_RECHECK_NO_CACHE !== '1';
    const cacheFile = (pattern: Pattern) => path.join(cacheDirectory, `${crypto.createHash('sha256').update(`${version}\0${pattern.flags}\0${pattern.source}`).digest('hex')}.json`);
    const unique = [...new Map(patterns.map((pattern) => [key(pattern), pattern])).values()];
    for (const pattern of unique) {
      if (!useCache) continue;
      try {
        const cached = JSON.parse(fs.readFileSync(cacheFile(pattern), 'utf8')) as { status: string };
        if (cached.status === 'safe') verdicts.set(key(pattern), { status: 'safe' });
      } catch {
        // Not checked yet.
      }
    }
    const toCheck = unique.filter((pattern) => !verdicts.has(key(pattern)));
    const threads = Math.max(1, Math.min(4, os.cpus().length, toCheck.length));
    const shares = Array.from({ length: threads }, (_, index) => toCheck.filter((_pattern, position) => position % threads === index));
    await Promise.all(shares.filter((share) => share.length).map((share) => new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { recheck, patterns: share.map((pattern) => ({ key: key(pattern), source: pattern.source, flags: pattern.flags })) },
      });
      worker.on('message', (message: { key: string; status: string; attack?: string }) => verdicts.set(message.key, message));
      worker.on('error', reject);
      worker.on('exit', () => resolve());
    })));
    // recheck's fuzzing confirms an attack by timing it; on a busy machine that can misfire.
    // A pattern is only reported once a second, unhurried check agrees.
    const { checkSync } = require('recheck') as { checkSync(source: string, flags: string): { status: string; attack?: { pattern?: string; string?: string } } };
    for (const pattern of toCheck) {
      if (verdicts.get(key(pattern))?.status !== 'safe') {
        const second = checkSync(pattern.source, pattern.flags);
        verdicts.set(key(pattern), { status: second.status, attack: String(second.attack?.pattern ?? second.attack?.string ?? '').slice(0, 60) });
      }
      if (useCache && verdicts.get(key(pattern))?.status === 'safe') {
        try {
          fs.mkdirSync(cacheDirectory, { recursive: true });
          fs.writeFileSync(cacheFile(pattern), JSON.stringify({ status: 'safe' }));
        } catch {
          // The cache only saves time.
        }
      }
    }
  });

  it('finds the patterns of declarative checks and code parameters', () => {
    assert.ok(patterns.length > 80, `only ${patterns.length} patterns`);
    for (const pattern of patterns) assert.doesNotThrow(() => new RegExp(pattern.source, pattern.flags), pattern.where);
  });

  const byCheck = new Map<string, Pattern[]>();
  for (const pattern of patterns) {
    const id = pattern.where.split(/[.[]/)[0];
    byCheck.set(id, [...(byCheck.get(id) ?? []), pattern]);
  }
  for (const [id, own] of byCheck) {
    it(`${id}: ${own.length} pattern${own.length === 1 ? '' : 's'} judged safe`, () => {
      const unsafe = own.filter((pattern) => verdicts.get(key(pattern))?.status !== 'safe')
        .map((pattern) => `${pattern.where}: ${verdicts.get(key(pattern))?.status ?? 'not checked'} ${verdicts.get(key(pattern))?.attack ?? ''} /${pattern.source}/${pattern.flags}`);
      assert.deepEqual(unsafe, []);
    });
  }
});
