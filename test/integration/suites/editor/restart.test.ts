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
    // Edits on their way while the process dies: writing them fails (EPIPE) before the client sees
    // the exit, and the client must still start a new server rather than give up.
    const scratch = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
    process.kill(before.pid, 'SIGKILL');
    for (let edit = 0; edit < 8; edit++) {
      const change = new vscode.WorkspaceEdit();
      change.insert(scratch.uri, new vscode.Position(0, 0), `${edit}\n`);
      await vscode.workspace.applyEdit(change);
    }

    const after = await waitFor(async () => {
      try {
        const status = await api.client.sendRequest<ServerStatusRequest.Result>(ServerStatusRequest.method);
        return status.pid !== before.pid ? status : undefined;
      } catch {
        return undefined; // the client is between processes
      }
    }, 'a new language server process', 30_000);
    assert.notEqual(after.pid, before.pid);
    await vscode.window.showTextDocument(scratch);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: "const stripeKey = 'sk_live_51NzQp2LkT8vRw3Ya9cHd6mBx4Jq7Fs1Ue0Gi5Ko2Pl8Wn3Ry6Tv9Zb4Xc7Md1Sf5';\n" });
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(document.uri, (list) => list.some((diagnostic) => diagnostic.source === 'Shipshape'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
