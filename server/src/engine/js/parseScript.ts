import * as ts from 'typescript';

/** Which TypeScript script kind a file is, from its language id or extension. */
export function scriptKindOf(filePath: string, languageId?: string): ts.ScriptKind {
  switch (languageId) {
    case 'typescriptreact':
      return ts.ScriptKind.TSX;
    case 'javascriptreact':
      return ts.ScriptKind.JSX;
    case 'typescript':
      return ts.ScriptKind.TS;
    case 'javascript':
      return /\.jsx$/i.test(filePath) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  }
  if (/\.tsx$/i.test(filePath)) return ts.ScriptKind.TSX;
  if (/\.[mc]?ts$/i.test(filePath)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(filePath)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/**
 * Parses JS/TS with TypeScript's own parser. It never throws: code mid-edit yields a tree
 * with error nodes, and detectors simply find less in the broken part.
 */
export function parseScript(filePath: string, text: string, languageId?: string): ts.SourceFile {
  const kind = scriptKindOf(filePath, languageId);
  // Vue/Svelte files are not scripts as a whole; the caller decides whether to parse them.
  return ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, /* setParentNodes */ true, kind);
}
