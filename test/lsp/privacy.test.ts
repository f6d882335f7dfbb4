import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { LspSession, waitFor } from './lspSession';
import { loadSecretRuleFiles } from '../../server/src/engine/secrets/loadSecretRules';
import { Analyzer } from '../../server/src/engine/analyzer';
import { builtinSecretRules } from '../../server/src/engine/builtinRules';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const rulesDirectory = path.join(repoRoot, 'rules');
const cli = path.join(repoRoot, 'server', 'out', 'cli.js');
const blocker = path.join(repoRoot, 'test', 'lsp', 'support', 'blockNetwork.cjs');

/**
 * Every rule's positive examples planted in one workspace, each in a folder of its own (so
 * names like `.env` keep their meaning), with the raw secret values the engine finds in them.
 */
function plantEveryRule(): { workspace: string; files: string[]; secrets: Set<string> } {
  const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-privacy-')));
  const analyzer = new Analyzer({ secretRules: builtinSecretRules(rulesDirectory) });
  const secrets = new Set<string>();
  const files: string[] = [];
  for (const family of loadSecretRuleFiles(rulesDirectory)) {
    for (const rule of family.rules) {
      rule.examples.positive.forEach((example, index) => {
        const { text, path: examplePath = 'src/example.ts' } = typeof example === 'string' ? { text: example } : example;
        const relative = path.posix.join('planted', rule.id.replace(/\W+/g, '-'), String(index), examplePath);
        fs.mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
        fs.writeFileSync(path.join(workspace, relative), `${text}\n`);
        files.push(relative);
        for (const finding of analyzer.analyzeFile({ path: relative, text }).findings) {
          const value = text.slice(finding.startOffset, finding.endOffset);
          if (finding.category === 'secret' && value.length >= 8) secrets.add(value);
        }
      });
    }
  }
  return { workspace, files, secrets };
}

function assertNoSecret(output: string, secrets: ReadonlySet<string>, where: string): void {
  const leaked = [...secrets].filter((secret) => output.includes(secret));
  assert.deepEqual(leaked.map((secret) => `${secret.slice(0, 4)}… (${secret.length} chars)`), [], `${where} contains raw secret values`);
}

describe('privacy: no secret in any output, no network connection', function () {
  this.timeout(120_000);
  const planted = plantEveryRule();
  const networkLog = path.join(planted.workspace, '..', `network-${path.basename(planted.workspace)}.log`);
  const env = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--require=${blocker}`, SHIPSHAPE_NETWORK_LOG: networkLog };

  after(() => fs.rmSync(planted.workspace, { recursive: true, force: true }));

  it('planted a secret for every rule with examples', () => {
    assert.ok(planted.secrets.size >= 100, `only ${planted.secrets.size} secrets planted`);
  });

  it('the CLI prints no raw secret in any format, report, baseline or verbose log', () => {
    const outputs: string[] = [];
    const run = (...args: string[]) => {
      const result = spawnSync(process.execPath, [cli, ...args], { cwd: planted.workspace, encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
      assert.ok(result.status === 0 || result.status === 1, `${args.join(' ')} exited ${result.status}: ${result.stderr}`);
      outputs.push(result.stdout, result.stderr);
    };
    for (const format of ['text', 'json', 'sarif', 'markdown']) run('scan', '--format', format, '--verbose', '--jobs', '2');
    run('scan', '--write-baseline', 'baseline.json', '--output', 'report.sarif', '--format', 'sarif');
    run('routes', '--format', 'json');
    run('rules');
    outputs.push(fs.readFileSync(path.join(planted.workspace, 'baseline.json'), 'utf8'), fs.readFileSync(path.join(planted.workspace, 'report.sarif'), 'utf8'));
    assert.ok(outputs.join('').includes('secret/'), 'the CLI reported nothing');
    assertNoSecret(outputs.join('\n'), planted.secrets, 'CLI output');
  });

  it('the language server sends no raw secret in diagnostics, logs or workspace results', async () => {
    const session = new LspSession([], env);
    try {
      await session.initialize(planted.workspace);
      let version = 0;
      for (const file of planted.files) {
        const text = fs.readFileSync(path.join(planted.workspace, file), 'utf8');
        await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: `file://${path.join(planted.workspace, file)}`, languageId: 'plaintext', version: ++version, text } });
      }
      await waitFor(() => (session.diagnostics.size >= planted.files.length ? true : undefined), 'diagnostics for every planted file', 60_000);
      const findings = await waitForComplete(session, 'shipshape/findings');
      await session.connection.sendRequest('shipshape/routes');
      assert.ok(JSON.stringify(findings).includes('secret/'));
      assert.ok([...session.diagnostics.values()].some((params) => params.diagnostics.length > 0));
    } finally {
      await session.shutdown();
    }
    assertNoSecret(session.rawTraffic.join(''), planted.secrets, 'language server messages');
  });

  it('neither the CLI nor the language server tried to connect to anything', () => {
    const attempts = fs.existsSync(networkLog) ? fs.readFileSync(networkLog, 'utf8') : '';
    assert.equal(attempts, '', `network attempts:\n${attempts}`);
  });

  it('(the network blocker does record attempts: a process that fetches is caught)', () => {
    const controlLog = `${networkLog}.control`;
    spawnSync(process.execPath, ['-e', "fetch('https://api.osv.dev/v1/querybatch').catch(() => {}); require('node:dns').lookup('example.com', () => {})"], { env: { ...env, SHIPSHAPE_NETWORK_LOG: controlLog }, encoding: 'utf8' });
    const attempts = fs.readFileSync(controlLog, 'utf8');
    assert.match(attempts, /fetch https:\/\/api\.osv\.dev/);
    assert.match(attempts, /dns\.lookup example\.com/);
  });
});

async function waitForComplete(session: LspSession, method: string): Promise<unknown> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const result = (await session.connection.sendRequest(method)) as { complete: boolean };
    if (result.complete) return result;
    if (Date.now() > deadline) throw new Error(`${method} never completed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

