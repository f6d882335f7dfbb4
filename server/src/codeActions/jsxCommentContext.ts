import ts = require('typescript');
import { parseScript } from '../engine/js/parseScript';

/**
 * In a JSX/TSX file a `//` comment line is only valid between statements: inside JSX children
 * it would be rendered as text, and between a tag's attributes it would comment out the rest
 * of the tag. This decides which comment form is valid at the start of a line.
 */
export type JsxCommentForm = 'line' | 'jsx-child' | 'block';

export function commentFormAt(filePath: string, text: string, languageId: string, lineStart: number): JsxCommentForm {
  if (languageId !== 'typescriptreact' && languageId !== 'javascriptreact' && !/\.[jt]sx$/.test(filePath)) return 'line';
  const sourceFile = parseScript(filePath, text, languageId);
  if (!sourceFile) return 'line';
  // The token that starts the line is where the comment goes in front of.
  const firstNonSpace = lineStart + (/^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))?.[0].length ?? 0);
  let form: JsxCommentForm = 'line';
  const visit = (node: ts.Node): void => {
    if (firstNonSpace < node.getStart(sourceFile) || firstNonSpace >= node.getEnd()) return;
    if (ts.isJsxElement(node) || ts.isJsxFragment(node)) {
      const openingEnd = ts.isJsxElement(node) ? node.openingElement.getEnd() : node.openingFragment.getEnd();
      const closingStart = ts.isJsxElement(node) ? node.closingElement.getStart(sourceFile) : node.closingFragment.getStart(sourceFile);
      if (firstNonSpace >= openingEnd && firstNonSpace <= closingStart) form = 'jsx-child';
    } else if (ts.isJsxAttributes(node)) {
      form = 'block';
    } else if (ts.isJsxExpression(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      // Back in JavaScript: a line inside {…} takes an ordinary comment.
      form = 'line';
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return form;
}
