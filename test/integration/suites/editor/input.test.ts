import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile, takeScreenshot, waitForDiagnostics, workspaceFile } from '../../helpers';
import { applyCodeAction, codeActionsAt, shipshape } from './extension';

const isSqlInjection = (diagnostic: vscode.Diagnostic) => (diagnostic.code as { value?: string } | undefined)?.value === 'input/sql-injection';

describe('unchecked input in the editor', () => {
  it('reports SQL built from the query string and rewrites it into a parameterised query', async () => {
    await shipshape();
    const editor = await openFile('src/routes/search.ts');
    const [finding] = (await waitForDiagnostics(editor.document.uri, (list) => list.some(isSqlInjection))).filter(isSqlInjection);
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Error);
    assert.match(finding.message, /req\.query\.q/);
    assert.ok(finding.relatedInformation?.some((related) => related.location.range.start.line === 7), 'related information points at the source');

    const fix = (await codeActionsAt(editor.document.uri, finding.range, /^Pass the values as query parameters/)).find((action) => action.title.startsWith('Pass the values as query parameters'));
    assert.ok(fix);
    await applyCodeAction(fix);
    assert.equal(editor.document.lineAt(7).text, "  const { rows } = await pool.query(`SELECT id, name FROM products WHERE name LIKE $1 LIMIT 20`, [`%${req.query.q}%`]);");
    await waitForDiagnostics(editor.document.uri, (list) => !list.some(isSqlInjection));
  });

  it('reports input a route passes to another file\'s query at the call, and fixes the query there', async () => {
    await shipshape();
    const route = await openFile('src/routes/catalog.ts');
    const [finding] = (await waitForDiagnostics(route.document.uri, (list) => list.some(isSqlInjection))).filter(isSqlInjection);
    assert.equal(finding.range.start.line, 6);
    assert.match(finding.message, /passed to productsIn\(\), goes straight into a SQL query in src\/lib\/catalog\.ts:6: /);
    const atQuery = finding.relatedInformation?.find((related) => related.location.uri.path.endsWith('/src/lib/catalog.ts'));
    assert.equal(atQuery?.location.range.start.line, 5, 'related information points at the query in the other file');

    // The light bulb on the route offers the fix of the query in src/lib/catalog.ts (the README shows this picture);
    // applying it makes the route's error go.
    route.selection = new vscode.Selection(finding.range.start, finding.range.start);
    await vscode.commands.executeCommand('editor.action.quickFix');
    await takeScreenshot('input-other-file-fix', { waitForSelector: '.action-widget' });
    await vscode.commands.executeCommand('hideCodeActionWidget');
    const title = /^Pass the values as query parameters .*\(in src\/lib\/catalog\.ts\)$/;
    const fix = (await codeActionsAt(route.document.uri, finding.range, title)).find((action) => title.test(action.title));
    assert.ok(fix);
    await applyCodeAction(fix);
    const library = await vscode.workspace.openTextDocument(workspaceFile('src/lib/catalog.ts'));
    assert.equal(library.lineAt(5).text, "  const { rows } = await pool.query(`SELECT id, name FROM products WHERE category = $1`, [category]);");
    await waitForDiagnostics(route.document.uri, (list) => !list.some(isSqlInjection));
    await vscode.window.showTextDocument(library);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows at the query the input a route sends it from another file, and fixes it there', async () => {
    await shipshape();
    const library = await openFile('src/lib/catalog.ts');
    const [finding] = (await waitForDiagnostics(library.document.uri, (list) => list.some(isSqlInjection))).filter(isSqlInjection);
    assert.equal(finding.range.start.line, 5);
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Error);
    assert.match(finding.message, /in src\/routes\/catalog\.ts:7, passed to productsIn\(\), goes straight into this SQL query: /);
    const fromRoute = finding.relatedInformation?.find((related) => related.location.uri.path.endsWith('/src/routes/catalog.ts'));
    assert.equal(fromRoute?.location.range.start.line, 6, 'related information points at the route that passes the input');

    // What the hover says at the query (the README shows this picture).
    library.selection = new vscode.Selection(finding.range.start, finding.range.start);
    await vscode.commands.executeCommand('editor.action.showHover');
    await takeScreenshot('input-at-query', { waitForSelector: '.monaco-hover' });
    await vscode.commands.executeCommand('editor.action.hideHover');

    const fix = (await codeActionsAt(library.document.uri, finding.range, /^Pass the values as query parameters/)).find((action) => action.title === 'Pass the values as query parameters ($1)');
    assert.ok(fix);
    await applyCodeAction(fix);
    assert.equal(library.document.lineAt(5).text, "  const { rows } = await pool.query(`SELECT id, name FROM products WHERE category = $1`, [category]);");
    await waitForDiagnostics(library.document.uri, (list) => !list.some(isSqlInjection));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
