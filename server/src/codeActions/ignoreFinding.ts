import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { languageOf } from '../engine/files/languages';
import { ClientCommands } from '../protocol';
import { commentFormAt } from './jsxCommentContext';

function position0(line: number) {
  return { line, character: 0 };
}

/**
 * "Ignore with a reason": inserts `shipshape-ignore <ruleId>: ` in a comment on the line
 * above, in the file's comment syntax, and (in VS Code) puts the cursor where the reason goes.
 */
export function ignoreAction(document: TextDocument, filePath: string, ruleId: string, line: number, diagnostic: Diagnostic, clientCanPlaceCursor: boolean): CodeAction | undefined {
  const language = languageOf(filePath, document.languageId);
  const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const indent = /^[ \t]*/.exec(lineText)![0];
  const directive = `shipshape-ignore ${ruleId}: `;
  let comment: string;
  let cursorColumn: number;
  const jsxForm = language.isScript ? commentFormAt(filePath, document.getText(), document.languageId, document.offsetAt(position0(line))) : 'line';
  if (jsxForm === 'jsx-child' || jsxForm === 'block') {
    const [open, close] = jsxForm === 'jsx-child' ? ['{/*', '*/}'] : ['/*', '*/'];
    comment = `${indent}${open} ${directive} ${close}`;
    cursorColumn = indent.length + open.length + 1 + directive.length;
  } else if (language.lineComment) {
    comment = `${indent}${language.lineComment} ${directive}`;
    cursorColumn = comment.length;
  } else if (language.blockComment) {
    comment = `${indent}${language.blockComment[0]} ${directive} ${language.blockComment[1]}`;
    cursorColumn = indent.length + language.blockComment[0].length + 1 + directive.length;
  } else {
    return undefined; // JSON has no comments; an exemption in .shipshape.json is the way there.
  }
  const position = { line, character: 0 };
  const action: CodeAction = {
    title: `Ignore ${ruleId} here (write the reason)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: [{ range: { start: position, end: position }, newText: `${comment}\n` }] }] },
  };
  if (clientCanPlaceCursor) {
    action.command = { title: 'Type the reason', command: ClientCommands.placeCursor, arguments: [document.uri, line, cursorColumn] };
  }
  return action;
}
