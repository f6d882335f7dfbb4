import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckDto, ReadinessRequest } from '../../../../server/src/protocol';
import type { ShipshapeApi } from '../../../../client/src/extension';
import { exemptCheck } from '../../../../client/src/readinessCommands';
import { openFile, readWorkspaceFile, takeScreenshot, waitFor } from '../../helpers';

async function shipshape(): Promise<ShipshapeApi> {
  const extension = await waitFor(() => vscode.extensions.getExtension<ShipshapeApi>('shipshape.shipshape'), 'the Shipshape extension');
  return extension.activate();
}

/** The latest assessment the extension itself fetched (views refresh on the server's notification). */
function latest(api: ShipshapeApi): ReadinessRequest.Result | undefined {
  const result = api.readiness.latest;
  return result?.complete && result.folders.length ? result : undefined;
}

function check(result: ReadinessRequest.Result, id: string): CheckDto {
  const found = result.folders[0].units[0].checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

describe('the readiness sidebar', () => {
  it('shows the level, the areas and the failing checks of the sample app', async () => {
    const api = await shipshape();
    await vscode.commands.executeCommand('shipshape.readiness.focus');
    const result = await waitFor(() => latest(api), 'the first readiness assessment', 60_000);
    const folder = result.folders[0];
    assert.equal(folder.level, 'none');
    assert.equal(folder.nextLevel?.level, 'bronze');
    assert.ok(folder.nextLevel!.blocking.some((item) => item.id === 'readiness/secrets-in-files'));
    assert.deepEqual(folder.units[0].areas.map((area) => area.area), ['security', 'operations', 'reliability', 'data', 'maintenance']);
    assert.equal(check(result, 'readiness/health-endpoint').status, 'fail');

    const roots = api.readiness.getChildren();
    const ladder = api.readiness.getTreeItem(roots[0]);
    assert.equal(ladder.label, 'Level: No level yet');
    assert.match(String(ladder.description), /^next: Bronze needs \d+ fixes$/);
    const security = roots.find((node) => node.kind === 'area' && node.area.area === 'security')!;
    const securityItem = api.readiness.getTreeItem(security);
    assert.match(String(securityItem.label), /^Security \d+\/10$/);
    const firstCheck = api.readiness.getTreeItem(api.readiness.getChildren(security)[0]);
    assert.match(String(firstCheck.description), /^Fail · /, 'failures come first');
    await waitFor(() => (/^\$\(shield\) Shipshape: no level yet · \$\(error\) \d+$/.test(api.statusBar.item.text) ? true : undefined), 'the status bar to show the level');
    // A wider sidebar, so the picture in the README is readable.
    for (let step = 0; step < 6; step++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth').then(undefined, () => undefined);
    await takeScreenshot('readiness-sidebar');
  });

  it('flips a check to pass when the fix is saved, without a manual refresh', async () => {
    const api = await shipshape();
    const editor = await openFile('src/server.ts');
    const anchor = editor.document.getText().indexOf("app.use(express.json());");
    assert.ok(anchor >= 0);
    const position = editor.document.positionAt(anchor + "app.use(express.json());".length);
    await editor.edit((builder) => builder.insert(position, "\n\napp.get('/health', (_req, res) => res.json({ ok: true }));"));
    await editor.document.save();
    await waitFor(() => {
      const result = latest(api);
      return result && check(result, 'readiness/health-endpoint').status === 'pass' ? true : undefined;
    }, 'the health-endpoint check to pass', 60_000);
  });

  it('"Exempt this check" records the reason in .shipshape.json and the check shows as exempt', async () => {
    const api = await shipshape();
    const result = latest(api)!;
    const folder = result.folders[0];
    const unit = folder.units[0];
    const runbook = check(result, 'readiness/runbook');
    assert.equal(runbook.status, 'fail');
    const recorded = await exemptCheck({ kind: 'check', folder, unit, check: runbook }, { reason: async () => 'the operations handbook lives in Notion', expires: async () => '2099-12-31' });
    assert.equal(recorded, true);
    const config = JSON.parse(await readWorkspaceFile('.shipshape.json'));
    assert.deepEqual(config.exemptions, [{ check: 'readiness/runbook', reason: 'the operations handbook lives in Notion', expires: '2099-12-31' }]);
    await waitFor(() => {
      const fresh = latest(api);
      return fresh && check(fresh, 'readiness/runbook').status === 'exempt' ? true : undefined;
    }, 'the runbook check to show as exempt', 60_000);
  });

  it('opens the readiness report as Markdown', async () => {
    await vscode.commands.executeCommand('shipshape.openReport');
    const document = await waitFor(() => vscode.workspace.textDocuments.find((candidate) => candidate.languageId === 'markdown' && candidate.isUntitled), 'the report document');
    assert.match(document.getText(), /^# Production readiness/);
    assert.match(document.getText(), /\| Area \| Score \|/);
  });
});
