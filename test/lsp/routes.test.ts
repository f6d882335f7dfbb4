import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession, waitFor, waitForAsync } from './lspSession';
import { applyWorkspaceEdit } from './applyWorkspaceEdit';
import type { RoutesRequest, WorkspaceFindingsRequest } from '../../server/src/protocol';

const fixture = path.resolve(__dirname, '..', '..', 'fixtures', 'routes', 'express');

/**
 * A language server on a scratch copy of `fixture` for each test of the calling describe, with
 * what tests do with it: open and change documents, wait for a document's diagnostics.
 */
function routesWorkspace(fixture: string) {
  const state = { workspace: '', session: undefined as unknown as LspSession, version: 100 };
  const uriOf = (relative: string) => `file://${path.join(state.workspace, relative)}`;

  async function open(relative: string, languageId = 'typescript'): Promise<string> {
    const text = fs.readFileSync(path.join(state.workspace, relative), 'utf8');
    await state.session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(relative), languageId, version: ++state.version, text } });
    return text;
  }

  async function change(relative: string, text: string): Promise<number> {
    const next = ++state.version;
    await state.session.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(relative), version: next }, contentChanges: [{ text }] });
    return next;
  }

  function diagnostics(relative: string, predicate: (list: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    return waitFor(() => {
      const list = state.session.diagnostics.get(uriOf(relative))?.diagnostics;
      return list && predicate(list) ? list : undefined;
    }, what);
  }

  beforeEach(async () => {
    state.workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-routes-')));
    fs.cpSync(fixture, state.workspace, { recursive: true });
    state.session = new LspSession();
    await state.session.initialize(state.workspace);
  });

  afterEach(async () => {
    await state.session.shutdown();
    fs.rmSync(state.workspace, { recursive: true, force: true });
  });

  return { state, uriOf, open, change, diagnostics };
}

describe('language server over stdio: routes across files', function () {
  const { state, uriOf, open, change, diagnostics } = routesWorkspace(fixture);

  it('answers the route inventory request once the workspace is analysed', async () => {
    const inventory = await waitForRoutes(state.session);
    const table = inventory.routes.map((route) => `${route.method} ${route.path} ${route.auth}`).sort();
    assert.equal(table.length, 17);
    assert.ok(table.includes('POST /api/webhooks/github unauthenticated'));
    const put = inventory.routes.find((route) => route.method === 'PUT' && route.path === '/api/users/:id')!;
    assert.equal(put.uri, uriOf('src/routes/users.ts'));
    assert.equal(put.evidence[0].uri, uriOf('src/middleware/auth.ts'));
    const findings = (await state.session.connection.sendRequest(`shipshape/findings`)) as WorkspaceFindingsRequest.Result;
    assert.ok(findings.findings.some((finding) => finding.ruleId === 'auth/unauthenticated-route' && finding.uri === uriOf('src/routes/webhooks.ts')));
  });

  it('squiggles an unprotected route and "Require authentication" fixes it', async () => {
    await waitForRoutes(state.session);
    const text = await open('src/routes/webhooks.ts');
    const [diagnostic] = await diagnostics('src/routes/webhooks.ts', (list) => list.some((d) => d.code === 'auth/unauthenticated-route'), 'the route warning');
    assert.equal(diagnostic.severity, 2);
    assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character], [12, 0]);
    const actions = (await state.session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf('src/routes/webhooks.ts') }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
    const requireAuth = actions.find((action) => action.title === 'Require authentication (requireAuth)');
    assert.ok(requireAuth, actions.map((action) => action.title).join(' | '));
    assert.equal(requireAuth.isPreferred, true);
    const written = applyWorkspaceEdit(requireAuth.edit!, new Map([[uriOf('src/routes/webhooks.ts'), { version: state.version, text }]]));
    await change('src/routes/webhooks.ts', written.get(path.join(state.workspace, 'src/routes/webhooks.ts'))!);
    await diagnostics('src/routes/webhooks.ts', (list) => !list.some((d) => d.code === 'auth/unauthenticated-route'), 'the warning to go away');
  });

  it('an edit in one file updates route findings of another open file', async () => {
    await waitForRoutes(state.session);
    await open('src/routes/webhooks.ts');
    await diagnostics('src/routes/webhooks.ts', (list) => list.some((d) => d.code === 'auth/unauthenticated-route'), 'the route warning');
    const app = await open('src/app.ts');
    await change('src/app.ts', app.replace("app.use('/api/webhooks', webhooks);", "app.use('/api/webhooks', requireAuth, webhooks);"));
    await diagnostics('src/routes/webhooks.ts', (list) => !list.some((d) => d.code === 'auth/unauthenticated-route'), 'the warning in webhooks.ts to go away after app.ts changed');
  });

  it('picks up a route file changed on disk', async () => {
    await waitForRoutes(state.session);
    fs.writeFileSync(path.join(state.workspace, 'src/routes/extra.ts'), "import { Router } from 'express';\nconst r = Router();\nr.delete('/everything', async (_req, res) => res.end());\nexport default r;\n");
    await state.session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('src/routes/extra.ts'), type: 1 }] });
    const inventory = await waitForCondition(state.session, (routes) => routes.routes.some((route) => route.method === 'DELETE' && route.path === '/everything'));
    assert.equal(inventory.routes.find((route) => route.path === '/everything')!.auth, 'unauthenticated');
  });
});

describe('language server over stdio: Django URL parameters', function () {
  const { state, uriOf, open, change, diagnostics } = routesWorkspace(path.resolve(__dirname, '..', '..', 'fixtures', 'input', 'python', 'django-urls'));
  const sqlLines = (list: Diagnostic[]) => list.filter((d) => d.code === 'input/sql-injection').map((d) => d.range.start.line + 1);

  it('an open view gets its URL parameters from urls.py, and an edit there updates its squiggles', async () => {
    await waitForRoutes(state.session);
    await open('library/views.py', 'python');
    // user_posts' <str:username> (line 18), tagged's [^/]+ (41) and self.kwargs["shop"] (65); item's <int:pk> (23) is a number.
    await diagnostics('library/views.py', (list) => sqlLines(list).join() === '18,41,65', 'the URL parameter findings');
    const urls = await open('library/urls.py', 'python');
    await change('library/urls.py', urls.replace('<str:username>', '<int:username>'));
    await diagnostics('library/views.py', (list) => sqlLines(list).join() === '41,65', 'the username finding to go when urls.py converts it to an int');
  });

  it('a view file that is not open has its URL parameter findings in the workspace findings', async () => {
    await waitForRoutes(state.session);
    const findings = await waitForAsync(async () => {
      const result = (await state.session.connection.sendRequest('shipshape/findings')) as WorkspaceFindingsRequest.Result;
      const inViews = result.findings.filter((finding) => finding.uri === uriOf('library/views.py') && finding.ruleId.startsWith('input/'));
      return inViews.length === 5 ? inViews : undefined;
    }, 'the five findings of library/views.py');
    assert.deepEqual(findings.map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}`).sort(), ['input/command-injection@49', 'input/path-traversal@13', 'input/sql-injection@18', 'input/sql-injection@41', 'input/sql-injection@65']);
  });
});

describe('language server over stdio: input across files', function () {
  const { state, uriOf, open, change, diagnostics } = routesWorkspace(path.resolve(__dirname, '..', '..', 'fixtures', 'input', 'cross-file'));
  const inputLines = (list: Diagnostic[]) => list.filter((d) => String(d.code).startsWith('input/')).map((d) => `${d.code}@${d.range.start.line + 1}`).join();
  const PARAMETERISED = "pool.query('SELECT * FROM users WHERE id = $1', [id])";

  it('an open handler shows input reaching a query in another file, and an edit there updates its squiggles', async () => {
    await open('routes/users.js', 'javascript');
    const list = await diagnostics('routes/users.js', (found) => inputLines(found) === 'input/sql-injection@9,input/command-injection@22,input/path-traversal@27', 'the three input findings');
    const sql = list.find((d) => d.code === 'input/sql-injection')!;
    assert.ok(sql.relatedInformation?.some((related) => related.location.uri === uriOf('db/users.js') && related.location.range.start.line === 3), JSON.stringify(sql.relatedInformation));
    // The query in db/users.js is made safe in the editor (not saved): the handler, unchanged, follows.
    const module = await open('db/users.js', 'javascript');
    await change('db/users.js', module.replace("pool.query(`SELECT * FROM users WHERE id = '${id}'`)", PARAMETERISED));
    await diagnostics('routes/users.js', (found) => inputLines(found) === 'input/command-injection@22,input/path-traversal@27', 'the SQL finding to go when the module parameterises its query');
    await change('db/users.js', module);
    await diagnostics('routes/users.js', (found) => inputLines(found) === 'input/sql-injection@9,input/command-injection@22,input/path-traversal@27', 'the SQL finding to come back');
    // Edited again, then closed without saving: the disk's query (with input in it) counts again.
    await change('db/users.js', module.replace("pool.query(`SELECT * FROM users WHERE id = '${id}'`)", PARAMETERISED));
    await diagnostics('routes/users.js', (found) => !found.some((d) => d.code === 'input/sql-injection'), 'the SQL finding to go again');
    await state.session.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf('db/users.js') } });
    await diagnostics('routes/users.js', (found) => found.some((d) => d.code === 'input/sql-injection'), 'the SQL finding to come back when the module is closed unsaved');
  });

  it('offers the fix of the query in the other file from the handler\'s error, only while that file is unchanged', async () => {
    await open('routes/users.js', 'javascript');
    const list = await diagnostics('routes/users.js', (found) => found.some((d) => d.code === 'input/sql-injection'), 'the SQL finding');
    const sql = list.find((d) => d.code === 'input/sql-injection')!;
    const actionsAt = async () => (await state.session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf('routes/users.js') }, range: sql.range, context: { diagnostics: [sql] } })) as CodeAction[];
    const module = path.join(state.workspace, 'db', 'users.js');
    const original = fs.readFileSync(module, 'utf8');

    // The file moved on since the analysis (a line added above the query): the fix is not offered.
    fs.writeFileSync(module, `// moved\n${original}`);
    assert.equal((await actionsAt()).some((action) => action.title.startsWith('Pass the values')), false, 'a fix for text that is no longer there');
    fs.writeFileSync(module, original);

    const fix = (await actionsAt()).find((action) => /^Pass the values as query parameters .*\(in db\/users\.js\)$/.test(action.title));
    assert.ok(fix, (await actionsAt()).map((action) => action.title).join(' | '));
    assert.equal(fix.isPreferred, true);
    const written = applyWorkspaceEdit(fix.edit!);
    assert.deepEqual([...written.keys()], [module]);
    assert.match(written.get(module)!, /pool\.query\(`SELECT \* FROM users WHERE id = \$1`, \[id\]\)/);
    await state.session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('db/users.js'), type: 2 }] });
    await diagnostics('routes/users.js', (found) => !found.some((d) => d.code === 'input/sql-injection'), 'the SQL finding to go once the fix is applied');
  });

  it('the module shows, at its query, the input a handler that is not open sends it: moved with edits, fixed there, ignored there', async () => {
    await waitForRoutes(state.session);
    const original = await open('db/users.js', 'javascript');
    const incoming = (found: Diagnostic[]) => found.find((d) => d.code === 'input/sql-injection');
    let list = await diagnostics('db/users.js', (found) => incoming(found)?.range.start.line === 3, 'the input from routes/users.js at the query');
    let sql = incoming(list)!;
    assert.match(sql.message as string, /^The "id" part of the URL path \(req\.params\.id\) in routes\/users\.js:9, passed to getUser\(\), goes straight into this SQL query: /);
    assert.ok(sql.relatedInformation?.some((related) => related.location.uri === uriOf('routes/users.js') && related.location.range.start.line === 8), JSON.stringify(sql.relatedInformation));
    // Lines added above the query (not saved: the closed handler was analysed against the disk's text).
    const moved = `// Data access for users.\n// Every query goes through the pool.\n${original}`;
    const version = await change('db/users.js', moved);
    list = await diagnostics('db/users.js', (found) => incoming(found)?.range.start.line === 5, 'the finding to move with the query');
    sql = incoming(list)!;
    const actions = (await state.session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf('db/users.js') }, range: sql.range, context: { diagnostics: [sql] } })) as CodeAction[];
    const fix = actions.find((action) => action.title === 'Pass the values as query parameters ($1)');
    assert.ok(fix, actions.map((action) => action.title).join(' | '));
    const written = applyWorkspaceEdit(fix.edit!, new Map([[uriOf('db/users.js'), { version, text: moved }]]));
    const fixed = written.get(path.join(state.workspace, 'db', 'users.js'))!;
    assert.match(fixed, /^\/\/ Data access for users\.\n[^]*pool\.query\(`SELECT \* FROM users WHERE id = \$1`, \[id\]\)/);
    await change('db/users.js', fixed);
    await diagnostics('db/users.js', (found) => !incoming(found), 'the finding to go once the query is parameterised');
    // Unfixed again, then ignored at the query with a reason: gone from the module and from the open handler.
    await change('db/users.js', original);
    await diagnostics('db/users.js', (found) => incoming(found)?.range.start.line === 3, 'the finding to come back');
    await open('routes/users.js', 'javascript');
    await diagnostics('routes/users.js', (found) => found.some((d) => d.code === 'input/sql-injection'), 'the handler\'s SQL finding');
    await change('db/users.js', original.replace('  const { rows } = await pool.query(`SELECT', '  // shipshape-ignore input/sql-injection: ids are checked by the router\n  const { rows } = await pool.query(`SELECT'));
    await diagnostics('db/users.js', (found) => !incoming(found), 'the finding to go under a shipshape-ignore at the query');
    await diagnostics('routes/users.js', (found) => !found.some((d) => d.code === 'input/sql-injection'), 'the handler\'s finding to be suppressed by the ignore at the query');
  });

  it('an open module follows edits of the handlers that send it input', async () => {
    await open('db/users.js', 'javascript');
    const handler = await open('routes/users.js', 'javascript');
    await diagnostics('db/users.js', (found) => found.some((d) => d.code === 'input/sql-injection' && d.range.start.line === 3), 'the input from routes/users.js at the query');
    await change('routes/users.js', handler.replace('db.getUser(req.params.id)', 'db.getUser(Number(req.params.id))'));
    await diagnostics('db/users.js', (found) => !found.some((d) => d.code === 'input/sql-injection'), 'the finding to go when the handler passes a number');
    await change('routes/users.js', handler);
    await diagnostics('db/users.js', (found) => found.some((d) => d.code === 'input/sql-injection' && d.range.start.line === 3), 'the finding to come back');
  });

  it('a handler that is not open has its findings in the workspace findings, updated when the module changes on disk', async () => {
    const sqlFindings = async () => ((await state.session.connection.sendRequest('shipshape/findings')) as WorkspaceFindingsRequest.Result).findings.filter((finding) => finding.ruleId === 'input/sql-injection' && finding.uri === uriOf('routes/users.js'));
    await waitForRoutes(state.session);
    await waitForAsync(async () => ((await sqlFindings()).length === 1 ? true : undefined), 'the SQL finding of the closed handler');
    const module = path.join(state.workspace, 'db', 'users.js');
    fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace("pool.query(`SELECT * FROM users WHERE id = '${id}'`)", PARAMETERISED));
    await state.session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('db/users.js'), type: 2 }] });
    await waitForAsync(async () => ((await sqlFindings()).length === 0 ? true : undefined), 'the SQL finding to go from the workspace findings');
  });
});

describe('language server over stdio: input across Python modules', function () {
  const { open, change, diagnostics } = routesWorkspace(path.resolve(__dirname, '..', '..', 'fixtures', 'input', 'python', 'cross-file'));
  const inputLines = (list: Diagnostic[]) => list.filter((d) => String(d.code).startsWith('input/')).map((d) => `${d.code}@${d.range.start.line + 1}`).join();

  it('an open view shows input reaching a query in another module, and an edit there updates its squiggles', async () => {
    await open('app/routes/users.py', 'python');
    await diagnostics('app/routes/users.py', (found) => inputLines(found) === 'input/sql-injection@12,input/command-injection@22,input/path-traversal@27,input/sql-injection@32', 'the four input findings');
    const module = await open('app/db.py', 'python');
    await change('app/db.py', module.replace(`cur.execute(f"SELECT * FROM users WHERE id = '{user_id}'")`, 'cur.execute("SELECT * FROM users WHERE id = %s", (user_id,))'));
    await diagnostics('app/routes/users.py', (found) => inputLines(found) === 'input/command-injection@22,input/path-traversal@27,input/sql-injection@32', 'the get_user finding to go when app/db.py parameterises its query');
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
