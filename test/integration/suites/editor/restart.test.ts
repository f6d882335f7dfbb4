import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ServerStatusRequest } from '../../../../server/src/protocol';
import { waitFor, waitForDiagnostics } from '../../helpers';
import { shipshape } from './extension';

describe('language server process', () => {
  it('is restarted by the client when it dies, and diagnostics come back', async () => {
    const api = await shipshape();
    const before = await api.client.sendRequest<ServerStatusRequest.Result>(ServerStatusRequest.method);
    assert.ok(before.pid > 0);
    process.kill(before.pid, 'SIGKILL');

    const after = await waitFor(async () => {
      try {
        const status = await api.client.sendRequest<ServerStatusRequest.Result>(ServerStatusRequest.method);
        return status.pid !== before.pid ? status : undefined;
      } catch {
        return undefined; // the client is between processes
      }
    }, 'a new language server process', 30_000);
    assert.notEqual(after.pid, before.pid);

    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: "const stripeKey = 'sk_live_51NzQp2LkT8vRw3Ya9cHd6mBx4Jq7Fs1Ue0Gi5Ko2Pl8Wn3Ry6Tv9Zb4Xc7Md1Sf5';\n" });
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(document.uri, (list) => list.some((diagnostic) => diagnostic.source === 'Shipshape'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
