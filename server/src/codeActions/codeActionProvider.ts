import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, FixHint, FixTarget } from '../engine/types';
import type { DiagnosticData } from '../protocol';
import { moveToEnvAction } from './moveToEnv';
import { ignoreAction } from './ignoreFinding';
import { explainServerOnlyAction } from './explainServerOnly';
import { uriOf, type DocumentAccess } from './documentAccess';

export interface StoredResult {
  version: number;
  findings: readonly Finding[];
}

export interface CodeActionContext {
  files: DocumentAccess;
  resultFor(uri: string): StoredResult | undefined;
  fsPathOf(uri: string): string | undefined;
  projectRootOf(fsPath: string): string;
  /** The absolute path of a file as findings name it (relative to the workspace folder of `from`). */
  fileNamed(file: string, from: string): string;
  clientCanPlaceCursor: boolean;
}

/**
 * Maps the diagnostics in the request back to the findings they came from and offers each
 * finding's fixes. Diagnostics from another version of the document get nothing: a fix
 * computed for old text must never be applied to new text.
 */
export function provideCodeActions(params: CodeActionParams, document: TextDocument, context: CodeActionContext): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty)) return [];
  const stored = context.resultFor(document.uri);
  if (!stored || stored.version !== document.version) return [];
  const fsPath = context.fsPathOf(document.uri);

  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'Shipshape') continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    if (!data || data.version !== document.version) continue;
    const finding = stored.findings[data.index];
    if (!finding || finding.ruleId !== diagnostic.code) continue;

    for (const hint of finding.fixes ?? []) {
      if (hint.kind === 'move-to-env' && fsPath) {
        const action = moveToEnvAction(document, fsPath, context.projectRootOf(fsPath), hint, diagnostic, context.files);
        if (action) actions.push(action);
      } else if (hint.kind === 'server-only') {
        actions.push(explainServerOnlyAction(hint.explanation, diagnostic));
      } else if (hint.kind === 'edit' && hint.target) {
        const action = fsPath && editOfAnotherFile(hint, hint.target, diagnostic, context.fileNamed(hint.target.file, fsPath), context.files);
        if (action) actions.push(action);
      } else if (hint.kind === 'edit') {
        actions.push(editAction(hint, diagnostic, document, document.version));
      }
    }
    if (finding.category !== 'config') {
      const ignore = ignoreAction(document, fsPath ?? document.uri, finding.ruleId, finding.range.start.line, diagnostic, context.clientCanPlaceCursor);
      if (ignore) actions.push(ignore);
    }
  }
  return actions;
}

/**
 * A fix of another file (the query in the module a handler calls): offered only while that file
 * still holds the text the fix was made for, so it never lands on text that moved or changed.
 */
function editOfAnotherFile(hint: Extract<FixHint, { kind: 'edit' }>, target: FixTarget, diagnostic: Diagnostic, file: string, files: DocumentAccess): CodeAction | undefined {
  const current = files.read(file);
  if (!current || hint.edits.some((edit, index) => current.text.slice(edit.start, edit.end) !== target.originals[index])) return undefined;
  return editAction(hint, diagnostic, TextDocument.create(uriOf(file), '', 0, current.text), current.version);
}

/** An edit fix as a code action: its edits of `document` (at `version`, null for a file that is not open). */
function editAction(hint: Extract<FixHint, { kind: 'edit' }>, diagnostic: Diagnostic, document: TextDocument, version: number | null): CodeAction {
  return {
    title: hint.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: hint.preferred,
    edit: {
      documentChanges: [{
        textDocument: { uri: document.uri, version },
        edits: hint.edits.map((edit) => ({ range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText })),
      }],
    },
  };
}
