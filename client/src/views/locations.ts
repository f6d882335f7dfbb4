import * as vscode from 'vscode';
import type { RangeDto } from '../../../server/src/protocol';

/** A range from the server as a VS Code range. */
export function toRange(range: RangeDto): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** The command a tree item runs to open its file at its range. */
export function openCommand(uri: string, range: RangeDto, title = 'Open'): vscode.Command {
  return { title, command: 'vscode.open', arguments: [vscode.Uri.parse(uri), { selection: toRange(range), preserveFocus: false } satisfies vscode.TextDocumentShowOptions] };
}

/** `src/routes/users.ts:12`, relative to its workspace folder. */
export function shortLocation(uri: string, range: RangeDto): string {
  return `${vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false)}:${range.start.line + 1}`;
}
