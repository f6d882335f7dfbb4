import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { compactRange, openFile, readWorkspaceFile, takeScreenshot, waitFor, waitForDiagnostics, workspaceFile } from '../../helpers';
import { applyCodeAction, codeActionsAt, shipshape } from './extension';

const KEY = 'sk_live_51PqZx8LmN2vR4tY7wK9bH3cJ6dF1gS5aQ0eW8rT2yU4iO6pA3sD5fG7hJ9kL1zX3cV5bN7mQ9';

async function documentText(relPath: string): Promise<string> {
  return (await vscode.workspace.openTextDocument(workspaceFile(relPath))).getText();
}

describe('secrets in the editor', () => {
  before(async () => {
    await shipshape();
  });

  it('squiggles the key, says it is committed, masks it, and moves it to .env with one quick fix', async () => {
    const editor = await openFile('src/lib/stripe.ts');
    const uri = editor.document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, (list) => list.some((d) => d.code && typeof d.code === 'object' && d.code.value === 'secret/stripe-secret-key'));
    assert.equal(diagnostic.source, 'Shipshape');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const column = editor.document.lineAt(2).text.indexOf('sk_live_');
    assert.deepEqual(compactRange(diagnostic.range), [2, column, 2, column + KEY.length]);
    assert.ok(!diagnostic.message.includes(KEY), 'the message shows the key');
    assert.match(diagnostic.message, /sk_l\*\*\*\* \(82 chars\)/);
    assert.match(diagnostic.message, /already in a git commit/);
    assert.match(String((diagnostic.code as { target: vscode.Uri }).target), /#secret-stripe-secret-key$/);

    // The light bulb, as a user sees it (the README shows this picture).
    editor.selection = new vscode.Selection(diagnostic.range.start, diagnostic.range.start);
    await vscode.commands.executeCommand('editor.action.quickFix');
    await takeScreenshot('secret-quick-fix', { waitForSelector: '.action-widget' });
    await vscode.commands.executeCommand('hideCodeActionWidget');

    const actions = await codeActionsAt(uri, diagnostic.range, /^Move to environment variable/);
    const move = actions.find((action) => action.title === 'Move to environment variable STRIPE_SECRET_KEY (.env, kept out of git)');
    assert.ok(move, `offered: ${actions.map((action) => action.title).join(' | ')}`);
    assert.equal(move.isPreferred, true);
    await applyCodeAction(move);

    assert.equal(editor.document.lineAt(2).text, 'export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);');
    // The other files as the user sees them (edited, possibly not yet saved).
    assert.equal(await documentText('.env'), `STRIPE_SECRET_KEY=${KEY}\n`);
    assert.equal(await documentText('.gitignore'), 'node_modules\n.env\n');
    assert.equal(await documentText('.env.example'), 'STRIPE_SECRET_KEY=\n');
    const envDocument = await vscode.workspace.openTextDocument(workspaceFile('.env'));
    assert.equal(await envDocument.save(), true, 'saving .env failed');
    await waitFor(async () => ((await readWorkspaceFile('.env')) === `STRIPE_SECRET_KEY=${KEY}\n` ? true : undefined), '.env written to disk');
    await waitForDiagnostics(uri, (list) => !list.some((d) => (d.code as { value: string } | undefined)?.value === 'secret/stripe-secret-key'));
  });

  it('"Ignore with a reason" inserts the comment and puts the cursor where the reason goes', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'import os\napi_token = "Zx8kP2mQ9vR4tL7wY3nB6cD1"\n' });
    const editor = await vscode.window.showTextDocument(document);
    const [diagnostic] = await waitForDiagnostics(document.uri, (list) => list.length > 0);
    const ignore = (await codeActionsAt(document.uri, diagnostic.range, /^Ignore/)).find((action) => action.title.startsWith('Ignore'));
    assert.ok(ignore);
    await applyCodeAction(ignore);
    assert.equal(document.lineAt(1).text, '# shipshape-ignore secret/generic-secret: ');
    await waitFor(() => (editor.selection.active.line === 1 && editor.selection.active.character === document.lineAt(1).text.length ? true : undefined), 'the cursor at the end of the comment');
    await editor.edit((builder) => builder.insert(editor.selection.active, 'test fixture'));
    await waitForDiagnostics(document.uri, (list) => list.length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('lists the workspace\'s findings in the Findings view', async () => {
    const api = await shipshape();
    await waitFor(async () => {
      await api.refresh();
      return api.findings.findings.some((finding) => finding.ruleId === 'auth/jwt-decode-without-verify') ? true : undefined;
    }, 'the Findings view to list the workspace findings');
    assert.ok(api.findings.findings.every((finding) => !finding.message.includes(KEY)));
  });
});
