import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { ServerCommands } from '../protocol';

/**
 * For a key in browser code there is no edit that fixes it: an environment variable would
 * still be copied into the page. The action explains what to do instead.
 */
export function explainServerOnlyAction(explanation: string, diagnostic: Diagnostic): CodeAction {
  return {
    title: 'This key must move to server code — show how',
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title: 'Show how', command: ServerCommands.explain, arguments: [explanation] },
  };
}
