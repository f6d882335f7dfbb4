import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession, waitFor } from './lspSession';
import { applyWorkspaceEdit } from './applyWorkspaceEdit';
import type { RoutesRequest, WorkspaceFindingsRequest } from '../../server/src/protocol';

const fixture = path.resolve(__dirname, '..', '..', 'fixtures', 'routes', 'express');

describe('language server over stdio: routes across files', function () {
  let workspace: string;
  let session: LspSession;
  let version = 100;

  const uriOf = (relative: string) => `file://${path.join(workspace, relative)}`;

  async function open(relative: string): Promise<string> {
    const text = fs.readFileSync(path.join(workspace, relative), 'utf8');
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(relative), languageId: 'typescript', version: ++version, text } });
    return text;
  }

  async function change(relative: string, text: string): Promise<number> {
    const next = ++version;
    await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(relative), version: next }, contentChanges: [{ text }] });
    return next;
  }

  function diagnostics(relative: string, predicate: (list: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    return waitFor(() => {
      const list = session.diagnostics.get(uriOf(relative))?.diagnostics;
      return list && predicate(list) ? list : undefined;
    }, what);
  }

  beforeEach(async () => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-routes-')));
    fs.cpSync(fixture, workspace, { recursive: true });
    session = new LspSession();
    await session.initialize(workspace);
  });

  afterEach(async () => {
    await session.shutdown();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('answers the route inventory request once the workspace is analysed', async () => {
    const inventory = await waitForRoutes(session);
    const table = inventory.routes.map((route) => `${route.method} ${route.path} ${route.auth}`).sort();
    assert.equal(table.length, 17);
    assert.ok(table.includes('POST /api/webhooks/github unauthenticated'));
    const put = inventory.routes.find((route) => route.method === 'PUT' && route.path === '/api/users/:id')!;
    assert.equal(put.uri, uriOf('src/routes/users.ts'));
    assert.equal(put.evidence[0].uri, uriOf('src/middleware/auth.ts'));
    const findings = (await session.connection.sendRequest(`shipshape/findings`)) as WorkspaceFindingsRequest.Result;
    assert.ok(findings.findings.some((finding) => finding.ruleId === 'auth/unauthenticated-route' && finding.uri === uriOf('src/routes/webhooks.ts')));
  });

  it('squiggles an unprotected route and "Require authentication" fixes it', async () => {
    await waitForRoutes(session);
    const text = await open('src/routes/webhooks.ts');
    const [diagnostic] = await diagnostics('src/routes/webhooks.ts', (list) => list.some((d) => d.code === 'auth/unauthenticated-route'), 'the route warning');
    assert.equal(diagnostic.severity, 2);
    assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character], [12, 0]);
    const actions = (await session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf('src/routes/webhooks.ts') }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
    const requireAuth = actions.find((action) => action.title === 'Require authentication (requireAuth)');
    assert.ok(requireAuth, actions.map((action) => action.title).join(' | '));
    assert.equal(requireAuth.isPreferred, true);
    const written = applyWorkspaceEdit(requireAuth.edit!, new Map([[uriOf('src/routes/webhooks.ts'), { version, text }]]));
    await change('src/routes/webhooks.ts', written.get(path.join(workspace, 'src/routes/webhooks.ts'))!);
    await diagnostics('src/routes/webhooks.ts', (list) => !list.some((d) => d.code === 'auth/unauthenticated-route'), 'the warning to go away');
  });

  it('an edit in one file updates route findings of another open file', async () => {
    await waitForRoutes(session);
    await open('src/routes/webhooks.ts');
    await diagnostics('src/routes/webhooks.ts', (list) => list.some((d) => d.code === 'auth/unauthenticated-route'), 'the route warning');
    const app = await open('src/app.ts');
    await change('src/app.ts', app.replace("app.use('/api/webhooks', webhooks);", "app.use('/api/webhooks', requireAuth, webhooks);"));
    await diagnostics('src/routes/webhooks.ts', (list) => !list.some((d) => d.code === 'auth/unauthenticated-route'), 'the warning in webhooks.ts to go away after app.ts changed');
  });

  it('picks up a route file changed on disk', async () => {
    await waitForRoutes(session);
    fs.writeFileSync(path.join(workspace, 'src/routes/extra.ts'), "import { Router } from 'express';\nconst r = Router();\nr.delete('/everything', async (_req, res) => res.end());\nexport default r;\n");
    await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('src/routes/extra.ts'), type: 1 }] });
    const inventory = await waitForCondition(session, (routes) => routes.routes.some((route) => route.method === 'DELETE' && route.path === '/everything'));
    assert.equal(inventory.routes.find((route) => route.path === '/everything')!.auth, 'unauthenticated');
  });
});

async function waitForRoutes(session: LspSession): Promise<RoutesRequest.Result> {
  return waitForCondition(session, (result) => result.complete);
}

async function waitForCondition(session: LspSession, predicate: (result: RoutesRequest.Result) => boolean): Promise<RoutesRequest.Result> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const result = (await session.connection.sendRequest('shipshape/routes')) as RoutesRequest.Result;
    if (predicate(result)) return result;
    if (Date.now() > deadline) throw new Error(`routes never satisfied the condition: ${JSON.stringify(result).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
