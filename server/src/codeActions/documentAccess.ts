import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readTextFromDisk } from '../workspace/workspaceModel';

/** Reads files the way the user sees them: an open editor's text wins over what is on disk. */
export class DocumentAccess {
  constructor(private readonly documents: TextDocuments<TextDocument>) {}

  open(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** Current text and version (null when not open) of a file, or undefined when it does not exist. */
  read(fsPath: string): { text: string; version: number | null } | undefined {
    const document = this.documents.get(uriOf(fsPath));
    if (document) return { text: document.getText(), version: document.version };
    const text = readTextFromDisk(fsPath);
    return text === undefined ? undefined : { text, version: null };
  }
}

export function uriOf(fsPath: string): string {
  return URI.file(fsPath).toString();
}

export function fsPathOf(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? path.normalize(parsed.fsPath) : undefined;
}
