import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile, waitForDiagnostics } from '../../helpers';
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
});
