import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../helpers';

/**
 * The built CLI loads TypeScript's parser with a V8 code cache in a private folder
 * (server/src/codeCache.ts): the cache must be made, used as it is, replaced when damaged,
 * and never read from or written to a folder others can write to.
 */
const cli = path.join(repoRoot, 'server', 'out', 'cli.js');
// The sample app has routes and request handlers: its scan parses JavaScript.
const fixture = path.join(repoRoot, 'test', 'fixtures', 'sample-app');

function scan(cacheSetting: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', '--fail-on', 'none'], { cwd: fixture, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', SHIPSHAPE_CODE_CACHE: cacheSetting } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The findings, without the run's duration. */
function findingsOf(stdout: string): unknown {
  return (JSON.parse(stdout) as { findings: unknown }).findings;
}

function cacheFiles(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.startsWith('typescript.js-') && name.endsWith('.v8cache')) : [];
}

describe('CLI: the parser loads with a V8 code cache', function () {
  this.timeout(60_000);
  let scratch: string;
  let folder: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-code-cache-'));
    folder = path.join(scratch, 'cache');
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('makes a private cache on the first run and uses it unchanged after, with the same findings', () => {
    const first = scan(folder);
    assert.equal(first.status, 0, first.stderr);
    const [file] = cacheFiles(folder);
    assert.ok(file, 'a cache file is written');
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(folder).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(folder, file)).mode & 0o777, 0o600);
    }
    const written = fs.statSync(path.join(folder, file)).mtimeMs;
    const second = scan(folder);
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(findingsOf(second.stdout), findingsOf(first.stdout));
    assert.deepEqual(cacheFiles(folder), [file]);
    assert.equal(fs.statSync(path.join(folder, file)).mtimeMs, written, 'an accepted cache is not written again');
  });

  it("keeps another runtime's cache (the editor's Electron and the CLI's Node share the folder)", () => {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const other = path.join(folder, 'typescript.js-v99.0.0-other-1-1.v8cache');
    fs.writeFileSync(other, 'another runtime');
    const stale = path.join(folder, `typescript.js-${process.version}-${process.arch}-1-1.v8cache`);
    fs.writeFileSync(stale, 'an earlier build');
    scan(folder);
    assert.ok(fs.existsSync(other), "another runtime's cache stays");
    assert.ok(!fs.existsSync(stale), "this runtime's cache of an earlier build goes");
    assert.equal(cacheFiles(folder).length, 2);
  });

  it('replaces a damaged cache and finds the same', () => {
    const first = scan(folder);
    const [file] = cacheFiles(folder);
    fs.writeFileSync(path.join(folder, file), Buffer.from('not a code cache at all'));
    const second = scan(folder);
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(findingsOf(second.stdout), findingsOf(first.stdout));
    assert.ok(fs.statSync(path.join(folder, file)).size > 100_000, 'the damaged cache was replaced');
  });

  it('neither reads nor writes a cache in a folder others can write to', function () {
    if (process.platform === 'win32') this.skip();
    fs.mkdirSync(folder, { mode: 0o700 });
    fs.chmodSync(folder, 0o777);
    const run = scan(folder);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(cacheFiles(folder), []);
  });

  it('is off with SHIPSHAPE_CODE_CACHE=off', () => {
    const run = scan('off');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(fs.existsSync(path.join(process.cwd(), 'off')), false);
    assert.deepEqual(findingsOf(run.stdout), findingsOf(scan(folder).stdout));
  });
});
