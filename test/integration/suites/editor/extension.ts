import * as vscode from 'vscode';
import type { ShipshapeApi } from '../../../../client/src/extension';
import { waitFor } from '../../helpers';

/** The running extension's API (activating it if needed), once its language server is up. */
export async function shipshape(): Promise<ShipshapeApi> {
  const extension = await waitFor(() => vscode.extensions.getExtension<ShipshapeApi>('shipshape.shipshape'), 'the Shipshape extension');
  const api = await extension.activate();
  await waitFor(() => (api.client.isRunning() ? true : undefined), 'the language server to start');
  return api;
}

/**
 * Code actions VS Code offers at a diagnostic, as the light bulb would list them. Another
 * extension's provider (TypeScript's, while its project loads) may cancel the whole request,
 * so it is asked again until Shipshape's actions are in the answer.
 */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, expectedTitle: RegExp): Promise<vscode.CodeAction[]> {
  let offered: string[] = [];
  return waitFor(async () => {
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    offered = actions.map((action) => action.title);
    return actions.some((action) => expectedTitle.test(action.title)) ? actions : undefined;
  }, `a code action matching ${expectedTitle} (offered so far: ${offered.join(' | ') || 'none'})`);
}

/** Applies a code action the way clicking it does: its edit, then its command. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) throw new Error(`VS Code refused the edit of "${action.title}"`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}
