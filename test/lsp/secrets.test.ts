import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspSession, waitFor } from './lspSession';
import { applyWorkspaceEdit } from './applyWorkspaceEdit';

const STRIPE_KEY = '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';
const SESSION_SECRET = 'T9vQ2mXz4eC39HqLyjWDarjt';

/** The text of a diagnostic's message (LSP 3.18 allows markup). */
function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** Compact [line, char, line, char] form of a range, easy to compare. */
function compact(diagnostic: Diagnostic): number[] {
  const { start, end } = diagnostic.range;
  return [start.line, start.character, end.line, end.character];
}

describe('language server over stdio: secrets', function () {
  let workspace: string;
  let session: LspSession;
  let version = 0;

  function uriOf(relative: string): string {
    return `file://${path.join(workspace, relative)}`;
  }

  async function open(relative: string, text: string, languageId = 'typescript'): Promise<void> {
    fs.mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
    fs.writeFileSync(path.join(workspace, relative), text);
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(relative), languageId, version: ++version, text } });
  }

  async function change(relative: string, text: string): Promise<number> {
    const next = ++version;
    await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(relative), version: next }, contentChanges: [{ text }] });
    return next;
  }

  /** Waits until the server has published diagnostics for this exact document version. */
  function diagnosticsFor(relative: string, forVersion: number, predicate: (params: PublishDiagnosticsParams) => boolean = () => true): Promise<Diagnostic[]> {
    return waitFor(() => {
      const params = session.diagnostics.get(uriOf(relative));
      return params && params.version === forVersion && predicate(params) ? params.diagnostics : undefined;
    }, `diagnostics for ${relative} v${forVersion}`);
  }

  async function codeActions(relative: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return (await session.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(relative) },
      range: diagnostics[0].range,
      context: { diagnostics, only: ['quickfix'] },
    })) as CodeAction[];
  }

  beforeEach(async () => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-lsp-')));
    fs.writeFileSync(path.join(workspace, 'package.json'), JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', dotenv: '^16.0.0' } }));
    session = new LspSession();
    await session.initialize(workspace);
  });

  afterEach(async () => {
    await session.shutdown();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('squiggles the exact range of a key, identifies itself and never shows the value', async () => {
    const text = `import Stripe from 'stripe';\nexport const stripe = new Stripe('${STRIPE_KEY}');\n`;
    await open('src/pay.ts', text);
    const diagnostics = await diagnosticsFor('src/pay.ts', version);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic.source, 'Shipshape');
    assert.equal(diagnostic.code, 'secret/stripe-secret-key');
    assert.equal(diagnostic.severity, 1);
    assert.match(diagnostic.codeDescription!.href, /^https:\/\/.+#secret-stripe-secret-key$/);
    const column = text.split('\n')[1].indexOf('sk_live_');
    assert.deepEqual(compact(diagnostic), [1, column, 1, column + STRIPE_KEY.length]);
    assert.match(messageOf(diagnostic), /sk_l\*\*\*\* \(107 chars\)/);
    assert.ok(!session.rawTraffic.join('').includes(STRIPE_KEY.slice(8)), 'the server wrote the raw key');
  });

  it('moves a key to .env in one edit: env look-up, .env, .gitignore and .env.example', async () => {
    fs.writeFileSync(path.join(workspace, '.gitignore'), 'node_modules\n');
    const text = `import Stripe from 'stripe';\nconst stripeSecretKey = '${STRIPE_KEY}';\nexport const stripe = new Stripe(stripeSecretKey);\n`;
    await open('src/pay.ts', text);
    const diagnostics = await diagnosticsFor('src/pay.ts', version);
    const actions = await codeActions('src/pay.ts', diagnostics);
    const move = actions.find((action) => action.title.startsWith('Move to environment variable'));
    assert.ok(move, `no move action among ${actions.map((action) => action.title).join(' | ')}`);
    assert.equal(move.isPreferred, true);
    assert.equal(move.title, 'Move to environment variable STRIPE_SECRET_KEY (.env, kept out of git)');
    applyWorkspaceEdit(move.edit!, new Map([[uriOf('src/pay.ts'), { version, text }]]));

    assert.equal(fs.readFileSync(path.join(workspace, 'src/pay.ts'), 'utf8'), `import Stripe from 'stripe';\nconst stripeSecretKey = process.env.STRIPE_SECRET_KEY!;\nexport const stripe = new Stripe(stripeSecretKey);\n`);
    assert.equal(fs.readFileSync(path.join(workspace, '.env'), 'utf8'), `STRIPE_SECRET_KEY=${STRIPE_KEY}\n`);
    assert.equal(fs.readFileSync(path.join(workspace, '.gitignore'), 'utf8'), 'node_modules\n.env\n');
    assert.equal(fs.readFileSync(path.join(workspace, '.env.example'), 'utf8'), 'STRIPE_SECRET_KEY=\n');
  });

  it('moves a Python secret to os.environ and adds import os', async () => {
    fs.writeFileSync(path.join(workspace, 'requirements.txt'), 'flask\npython-dotenv\n');
    const text = `"""Settings."""\nfrom flask import Flask\n\napp = Flask(__name__)\napp.config["SESSION_TOKEN"] = "${SESSION_SECRET}"\n`;
    await open('settings.py', text, 'python');
    const diagnostics = await diagnosticsFor('settings.py', version);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const move = (await codeActions('settings.py', diagnostics)).find((action) => action.title.startsWith('Move to environment variable'));
    assert.ok(move);
    applyWorkspaceEdit(move.edit!, new Map([[uriOf('settings.py'), { version, text }]]));
    const moved = fs.readFileSync(path.join(workspace, 'settings.py'), 'utf8');
    assert.equal(moved, `"""Settings."""\nimport os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.config["SESSION_TOKEN"] = os.environ["SESSION_TOKEN"]\n`);
    assert.equal(fs.readFileSync(path.join(workspace, '.env'), 'utf8'), `SESSION_TOKEN=${SESSION_SECRET}\n`);
  });

  it('in browser code offers no env move, only the explanation, and says why', async () => {
    const text = `'use client';\nexport const stripe = new Stripe('${STRIPE_KEY}');\n`;
    await open('app/checkout/page.tsx', text, 'typescriptreact');
    const diagnostics = await diagnosticsFor('app/checkout/page.tsx', version);
    assert.match(messageOf(diagnostics[0]), /ships to the browser: this file starts with 'use client'/);
    const actions = await codeActions('app/checkout/page.tsx', diagnostics);
    assert.deepEqual(actions.map((action) => action.title), ['This key must move to server code — show how', 'Ignore secret/stripe-secret-key here (write the reason)']);
    await session.connection.sendRequest('workspace/executeCommand', actions[0].command);
    const shown = await waitFor(() => session.messages.find((message) => message.message.includes('server route')), 'the explanation');
    assert.ok(!shown.message.includes(STRIPE_KEY));
  });

  it('refuses code actions for diagnostics of an older version of the document', async () => {
    const text = `const stripeKey = '${STRIPE_KEY}';\n`;
    await open('src/a.ts', text);
    const stale = await diagnosticsFor('src/a.ts', version);
    await change('src/a.ts', `// edited\n${text}`);
    await diagnosticsFor('src/a.ts', version);
    assert.deepEqual(await codeActions('src/a.ts', stale), []);
  });

  it('updates as the user types, drops results of superseded versions and clears on close', async () => {
    await open('src/b.ts', 'export const x = 1;\n');
    assert.deepEqual(await diagnosticsFor('src/b.ts', version), []);
    for (const partial of ["const k = 'sk_li", "const k = 'sk_live_MxWhm", `const k = '${STRIPE_KEY.slice(0, 40)}`]) await change('src/b.ts', partial);
    const finalVersion = await change('src/b.ts', `const k = '${STRIPE_KEY}';\n`);
    const diagnostics = await diagnosticsFor('src/b.ts', finalVersion, (params) => params.diagnostics.length > 0);
    assert.equal(diagnostics[0].code, 'secret/stripe-secret-key');
    const versionsPublished = session.diagnosticHistory.filter((params) => params.uri === uriOf('src/b.ts')).map((params) => params.version);
    assert.ok(versionsPublished.every((published, index) => index === 0 || published! >= versionsPublished[index - 1]!), `versions went backwards: ${versionsPublished}`);
    await session.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf('src/b.ts') } });
    await waitFor(() => (session.diagnostics.get(uriOf('src/b.ts'))?.diagnostics.length === 0 ? true : undefined), 'diagnostics cleared on close');
  });

  it('inserts an ignore comment in the file\'s comment syntax; with a reason the finding is gone', async () => {
    const text = `    api_token: "${SESSION_SECRET}"\n`;
    await open('config/app.yml', `settings:\n${text}`, 'yaml');
    const diagnostics = await diagnosticsFor('config/app.yml', version);
    const ignore = (await codeActions('config/app.yml', diagnostics)).find((action) => action.title.startsWith('Ignore'));
    assert.ok(ignore);
    const written = applyWorkspaceEdit(ignore.edit!, new Map([[uriOf('config/app.yml'), { version, text: `settings:\n${text}` }]]));
    const edited = written.get(path.join(workspace, 'config/app.yml'))!;
    assert.equal(edited, `settings:\n    # shipshape-ignore secret/generic-env-secret: \n${text}`);
    const withoutReason = await change('config/app.yml', edited);
    const reasonless = await diagnosticsFor('config/app.yml', withoutReason);
    assert.deepEqual(reasonless.map((diagnostic) => diagnostic.code), ['config/suppression-without-reason']);
    const withReason = await change('config/app.yml', edited.replace(': \n', ': local development only\n'));
    assert.deepEqual(await diagnosticsFor('config/app.yml', withReason), []);
  });

  it('says to rotate a key that is already committed', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    const text = `const stripeKey = '${STRIPE_KEY}';\n`;
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.writeFileSync(path.join(workspace, 'src/c.ts'), text);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'initial');
    await open('src/c.ts', text);
    const diagnostics = await diagnosticsFor('src/c.ts', version);
    assert.match(messageOf(diagnostics[0]), /already in a git commit.*rotate the key at https:\/\/dashboard\.stripe\.com\/apikeys/);
    await open('src/d.ts', text);
    const untracked = await diagnosticsFor('src/d.ts', version);
    assert.doesNotMatch(messageOf(untracked[0]), /git commit/);
  });

  it('reports an invalid .shipshape.json in that file and keeps working with defaults', async () => {
    await open('.shipshape.json', '{ "publicPaths": "/health", ', 'json');
    const configDiagnostics = await waitFor(() => session.diagnostics.get(uriOf('.shipshape.json'))?.diagnostics.filter((d) => d.code === 'config/invalid-config').length ? session.diagnostics.get(uriOf('.shipshape.json'))!.diagnostics : undefined, 'config diagnostics');
    assert.ok(configDiagnostics.some((diagnostic) => /not valid JSON/.test(messageOf(diagnostic))));
    await open('src/e.ts', `const stripeKey = '${STRIPE_KEY}';\n`);
    assert.equal((await diagnosticsFor('src/e.ts', version))[0].code, 'secret/stripe-secret-key');
    await change('.shipshape.json', '{ "publicPaths": "/health" }');
    const typeProblem = await waitFor(() => session.diagnostics.get(uriOf('.shipshape.json'))?.diagnostics.find((d) => /must be a list of strings/.test(messageOf(d))), 'type problem');
    assert.deepEqual(typeProblem.range.start, { line: 0, character: 17 });
    assert.equal(session.exited, false);
  });

  it('runs workspace-defined secret rules only in a trusted workspace', async () => {
    await session.shutdown();
    fs.writeFileSync(path.join(workspace, '.shipshape.json'), JSON.stringify({ secretRules: [{ id: 'secret/acme-key', title: 'Acme key', regex: 'acme_[a-z0-9]{16}', keywords: ['acme_'] }] }));
    const text = "const acme = 'acme_q8v2k9x4m7w3z5t1';\n";
    session = new LspSession();
    await session.initialize(workspace, { workspaceTrusted: false });
    await open('src/f.ts', text);
    assert.deepEqual(await diagnosticsFor('src/f.ts', version), []);
    await session.connection.sendNotification('shipshape/workspaceTrusted', { trusted: true });
    const trusted = await waitFor(() => session.diagnostics.get(uriOf('src/f.ts'))?.diagnostics.find((d) => d.code === 'secret/acme-key'), 'custom rule finding after trust');
    assert.match(messageOf(trusted), /Acme key/);
  });

  it('honours settings pulled per document: disabled, severity override, excluded globs', async () => {
    session.settings = { severity: { 'secret/stripe-secret-key': 'warning' } };
    await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await open('src/g.ts', `const k = '${STRIPE_KEY}';\n`);
    assert.equal((await diagnosticsFor('src/g.ts', version))[0].severity, 2);
    session.settings = { exclude: ['src/**'] };
    await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await waitFor(() => (session.diagnostics.get(uriOf('src/g.ts'))?.diagnostics.length === 0 ? true : undefined), 'excluded file cleared');
    session.settings = { enable: false };
    await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await open('lib/h.ts', `const k = '${STRIPE_KEY}';\n`);
    assert.deepEqual(await diagnosticsFor('lib/h.ts', version), []);
  });
});

describe('language server over stdio: resilience', function () {
  it('logs an analysis that fails and analyses the document again', async () => {
    const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-fault-')));
    const session = new LspSession([], { ...process.env, SHIPSHAPE_FAULT_INJECTION: 'FAULT-HERE' });
    try {
      await session.initialize(workspace);
      const uri = `file://${workspace}/a.ts`;
      await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: `// FAULT-HERE\nconst k = '${STRIPE_KEY}';\n` } });
      const published = await waitFor(() => session.diagnostics.get(uri)?.diagnostics, 'diagnostics after the retry');
      assert.equal(published[0].code, 'secret/stripe-secret-key');
      assert.ok(session.rawTraffic.join('').includes('injected fault for FAULT-HERE'), 'the failure was not logged');
      assert.equal(session.exited, false);
    } finally {
      await session.shutdown();
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });
});

describe('language server over stdio: ignore comments in JSX', function () {
  it('writes {/* … */} inside JSX children and /* … */ between attributes', async () => {
    const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-jsx-')));
    const session = new LspSession();
    try {
      await session.initialize(workspace);
      const text = [
        "export function Map() {",
        "  return (",
        "    <div>",
        `      <span>sk_live_${'Q7m2Vx9LpR4tK8nB3yH6cJ1d'}</span>`,
        "      <Script",
        `        src="https://x.example/v1?key=sk_live_${'Z7m2Vx9LpR4tK8nB3yH6cJ1e'}"`,
        "      />",
        "    </div>",
        "  );",
        "}",
      ].join('\n');
      const uri = `file://${workspace}/Map.tsx`;
      await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescriptreact', version: 1, text } });
      const diagnostics = await waitFor(() => (session.diagnostics.get(uri)?.diagnostics.length === 2 ? session.diagnostics.get(uri)!.diagnostics : undefined), 'two diagnostics');
      const titles: string[] = [];
      const edits: string[] = [];
      for (const diagnostic of diagnostics) {
        const actions = (await session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
        const ignore = actions.find((action) => action.title.startsWith('Ignore'))!;
        titles.push(ignore.title);
        const change = ignore.edit!.documentChanges![0] as { edits: { newText: string }[] };
        edits.push(change.edits[0].newText);
      }
      assert.deepEqual(edits, ['      {/* shipshape-ignore secret/stripe-secret-key:  */}\n', '        /* shipshape-ignore secret/stripe-secret-key:  */\n']);
    } finally {
      await session.shutdown();
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });
});
