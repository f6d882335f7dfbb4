import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceEdit, TextDocumentEdit, CreateFile } from 'vscode-languageserver-protocol';

/**
 * Applies a WorkspaceEdit to files on disk the way an editor would, refusing (like VS Code)
 * an edit whose document version does not match the open document's version.
 */
export function applyWorkspaceEdit(edit: WorkspaceEdit, openVersions: Map<string, { version: number; text: string }> = new Map()): Map<string, string> {
  const written = new Map<string, string>();
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind !== 'create') throw new Error(`unexpected resource operation ${change.kind}`);
      const file = fileURLToPath((change as CreateFile).uri);
      if (!fs.existsSync(file) || !(change as CreateFile).options?.ignoreIfExists) fs.writeFileSync(file, '');
      continue;
    }
    const textEdit = change as TextDocumentEdit;
    const uri = textEdit.textDocument.uri;
    const file = fileURLToPath(uri);
    const open = openVersions.get(uri);
    if (textEdit.textDocument.version !== null && open && open.version !== textEdit.textDocument.version) {
      throw new Error(`edit for version ${textEdit.textDocument.version} of ${uri}, but the document is at version ${open.version}`);
    }
    const current = open?.text ?? (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
    const document = TextDocument.create(uri, 'plaintext', 0, current);
    const next = TextDocument.applyEdits(document, textEdit.edits.map((e) => {
      if (!('newText' in e)) throw new Error('snippet edits are not expected from Shipshape');
      return e;
    }));
    fs.writeFileSync(file, next);
    if (open) openVersions.set(uri, { version: open.version + 1, text: next });
    written.set(file, next);
  }
  return written;
}
