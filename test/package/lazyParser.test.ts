import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'server', 'out', 'cli.js');

/**
 * The bundled CLI loads TypeScript's parser (server/out/typescript.js) only when a file needs
 * parsing: start-up and secrets-only scans stay fast. A preload reports every load of it.
 */
describe('the bundled CLI loads the TypeScript parser lazily', function () {
  this.timeout(60_000);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-lazy-'));
  const preload = path.join(scratch, 'reportParserLoad.js');
  // The parser comes through require (code cache off) or is read and compiled with its code cache.
  fs.writeFileSync(preload, `const Module = require('module');
const fs = require('fs');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/typescript\\.js$/.test(request)) process.stderr.write('PARSER REQUIRED\\n');
  return load.call(this, request, ...rest);
};
const readFileSync = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  if (typeof file === 'string' && /typescript\\.js$/.test(file)) process.stderr.write('PARSER READ\\n');
  return readFileSync.call(this, file, ...rest);
};
`);
  const app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'server.js'), "const express = require('express');\nconst app = express();\napp.post('/users/:id/delete', (req, res) => db.query('DELETE FROM users WHERE id = ' + req.params.id));\n");
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const codeCache = path.join(scratch, 'code-cache');
  const run = (...args: string[]) => spawnSync(process.execPath, ['--require', preload, cli, ...args], { encoding: 'utf8', env: { ...process.env, SHIPSHAPE_CODE_CACHE: codeCache } });

  it('does not load it for --version or a secrets-only scan', () => {
    for (const args of [['--version'], ['scan', app, '--rules', 'secret', '--format', 'json', '--fail-on', 'none']]) {
      const result = run(...args);
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /PARSER (REQUIRED|READ)/, args.join(' '));
    }
  });

  it('loads it once when a route file needs parsing, and finds what the parser shows, with its code cache or without', () => {
    for (const cache of [codeCache, codeCache, 'off']) {
      const result = spawnSync(process.execPath, ['--require', preload, cli, 'scan', app, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', env: { ...process.env, SHIPSHAPE_CODE_CACHE: cache } });
      assert.equal(result.status, 0, result.stderr);
      // With the cache the bundle is read and compiled by codeCache.ts; without it, required (which reads it too).
      assert.equal(result.stderr.match(/PARSER REQUIRED/g)?.length ?? 0, cache === 'off' ? 1 : 0, result.stderr);
      assert.equal(result.stderr.match(/PARSER READ/g)?.length, 1, result.stderr);
      const ruleIds = (JSON.parse(result.stdout) as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId);
      assert.ok(ruleIds.includes('auth/unauthenticated-route') && ruleIds.includes('input/sql-injection'), ruleIds.join(', '));
    }
  });
});
