import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile, takeScreenshot, waitFor, waitForDiagnostics } from '../../helpers';
import { applyCodeAction, codeActionsAt, shipshape } from './extension';

const isRouteWarning = (diagnostic: vscode.Diagnostic) => (diagnostic.code as { value?: string } | undefined)?.value === 'auth/unauthenticated-route';

describe('routes in the editor', () => {
  it('warns about a route anyone can call; "Require authentication" makes the warning go away', async () => {
    const api = await shipshape();
    const editor = await openFile('src/routes/webhooks.ts');
    const [warning] = (await waitForDiagnostics(editor.document.uri, (list) => list.some(isRouteWarning))).filter(isRouteWarning);
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /^Anyone on the internet can call POST \/api\/webhooks\/github/);

    const fix = (await codeActionsAt(editor.document.uri, warning.range, /^Require authentication/)).find((action) => action.title === 'Require authentication (requireAuth)');
    assert.ok(fix);
    await applyCodeAction(fix);
    assert.match(editor.document.getText(), /import \{ requireAuth \} from '\.\.\/middleware\/auth';/);
    assert.match(editor.document.getText(), /router\.post\('\/github', requireAuth, async/);
    await waitForDiagnostics(editor.document.uri, (list) => !list.some(isRouteWarning));

    const routes = await waitFor(async () => {
      await api.refresh();
      const route = api.routes.routes.find((candidate) => candidate.method === 'POST' && candidate.path === '/api/webhooks/github');
      return route?.auth === 'authenticated' ? api.routes.routes : undefined;
    }, 'the Routes view to show the route as authenticated');
    assert.deepEqual(routes.filter((route) => route.auth === 'unauthenticated' && route.stateChanging).map((route) => `${route.method} ${route.path}`).sort(), ['DELETE /api/users/:id', 'POST /api/users']);
  });

  it('shows the Routes view grouped by auth status', async () => {
    await vscode.commands.executeCommand('shipshape.routes.focus');
    await openFile('src/routes/users.ts');
    await takeScreenshot('routes-view');
  });
});
