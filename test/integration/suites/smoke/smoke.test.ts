// The harness itself works: VS Code opens the fixture, loads the extension under
// development, and the runner answers a screenshot request.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { openFile, readWorkspaceFile, takeScreenshot, waitFor, workspaceFile } from '../../helpers';

describe('smoke', () => {
  it('opens a workspace file in an editor', async () => {
    const editor = await openFile('hello.txt');

    assert.equal(vscode.window.activeTextEditor, editor);
    assert.equal(editor.document.uri.toString(), workspaceFile('hello.txt').toString());
    assert.equal(editor.document.getText(), await readWorkspaceFile('hello.txt'));
    assert.match(editor.document.getText(), /Shipshape integration smoke test/);
  });

  it('has the Shipshape extension loaded', async () => {
    const extension = await waitFor(
      () => vscode.extensions.getExtension('shipshape.shipshape'),
      'the extension shipshape.shipshape to be registered',
    );

    assert.equal(extension.packageJSON.name, 'shipshape');
  });

  it('takes a screenshot of the window', async () => {
    await openFile('hello.txt');

    const png = await takeScreenshot('smoke-hello');

    if (png === '') return; // desktop VS Code: no runner takes screenshots
    assert.ok(fs.statSync(png).size > 0, `${png} is empty`);
  });
});
