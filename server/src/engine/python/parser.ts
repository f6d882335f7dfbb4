import type { PyComment, PyModule } from './ast';
import { linkParents } from './children';
import { StatementParser } from './statementParser';
import { tokenizePython } from './tokenizer';
import type { PyToken } from './tokens';

export type * from './ast';

/**
 * Parses Python source into a `PyModule` (see ast.ts for the node shapes). Runs on every
 * keystroke, so it is linear-time, recursion-bounded and never throws: code mid-edit gives a
 * best-effort tree with ErrorStatement/ErrorExpr nodes and `errors` saying what went wrong.
 */
export function parsePython(text: string): PyModule {
  try {
    const comments: PyComment[] = [];
    const tokens: PyToken[] = [];
    for (const token of tokenizePython(text)) {
      if (token.kind === 'COMMENT') comments.push({ start: token.start, end: token.end, text: token.value });
      else if (token.kind !== 'NL') tokens.push(token);
    }
    const parser = new StatementParser(text, tokens);
    const body = parser.parseModule();
    const module: PyModule = { type: 'Module', parent: undefined, start: 0, end: text.length, body, comments, errors: parser.errors };
    linkParents(module);
    return module;
  } catch (error) {
    // A bug here must cost the user one file's Python analysis, never the language server.
    const message = `internal parser error: ${error instanceof Error ? error.message : String(error)}`;
    return { type: 'Module', parent: undefined, start: 0, end: text.length, body: [], comments: [], errors: [{ start: 0, end: 0, message }] };
  }
}
