import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SERVER_MAX_MEMORY_MB, serverNodeFlags } from '../../../server/src/protocol';
import { repoRoot } from '../helpers';

/** The heap flags the extension starts the language server with (see serverNodeFlags). */
describe('language server Node flags', () => {
  it('limit the heap to the setting, clamped to a sane range', () => {
    assert.deepEqual(serverNodeFlags(), [`--max-old-space-size=${DEFAULT_SERVER_MAX_MEMORY_MB}`, '--max-semi-space-size=4']);
    assert.equal(serverNodeFlags(2048)[0], '--max-old-space-size=2048');
    assert.equal(serverNodeFlags(10)[0], '--max-old-space-size=256');
    assert.equal(serverNodeFlags(1e9)[0], '--max-old-space-size=16384');
    assert.equal(serverNodeFlags(Number.NaN)[0], `--max-old-space-size=${DEFAULT_SERVER_MAX_MEMORY_MB}`);
  });

  it('default to what package.json declares for shipshape.server.maxMemory', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    assert.equal(manifest.contributes.configuration.properties['shipshape.server.maxMemory'].default, DEFAULT_SERVER_MAX_MEMORY_MB);
  });

  it('are the flags the benchmark starts the server with, so its memory figures are what users get', () => {
    const benchClient = fs.readFileSync(path.join(repoRoot, 'test', 'bench', 'lsp', 'lspClient.mjs'), 'utf8');
    assert.ok(benchClient.includes(`SERVER_NODE_FLAGS = ${JSON.stringify(serverNodeFlags()).replace(/"/g, "'").replace(/,/g, ', ')}`), 'test/bench/lsp/lspClient.mjs SERVER_NODE_FLAGS differ from serverNodeFlags()');
  });
});
