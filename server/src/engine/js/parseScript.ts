import ts = require('typescript');

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
 * Parses JS/TS with TypeScript's own parser. Code mid-edit yields a tree with error nodes, and
 * detectors simply find less in the broken part. The parser has had assertion failures on odd
 * input (TypeScript 5.9 on `@x await y`); then there is no tree and structural detectors skip the file.
 */
export function parseScript(filePath: string, text: string, languageId?: string): ts.SourceFile | undefined {
  const kind = scriptKindOf(filePath, languageId);
  // Read outside the try: the first use loads the parser bundle, and a missing one is a broken
  // installation to report, not odd input to skip quietly.
  const createSourceFile = ts.createSourceFile;
  try {
    // No detector reads JSDoc, and skipping it makes parsing comment-heavy library code ~20 % faster.
    return createSourceFile(filePath, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, /* setParentNodes */ true, kind);
  } catch {
    return undefined;
  }
}
