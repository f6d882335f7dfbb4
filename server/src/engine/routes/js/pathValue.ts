import ts = require('typescript');
import { stringValue } from '../../js/astUtil';
import type { JsFileContext } from './jsFileContext';

/**
 * A route path argument as the inventory writes it: a literal; a constant of the file
 * (`const API = '/api'`, `${API}/users`, `API + '/users'`, `PATHS.api` of a const object); or,
 * for a name it cannot see the value of (imported, computed) that reads like a path constant
 * (`API_PREFIX`, `basePath`), a `{API_PREFIX}` placeholder that linking may fill in — as a
 * Python prefix from settings reads. Undefined when the argument is not a path at all.
 *
 * `placeholders`: whether an unknown name may stand for a path. Only where a path is expected
 * and something follows it (`app.use(API_PREFIX, router)`): `app.get(SETTING)` reads a setting.
 */
export function pathOf(node: ts.Expression | undefined, context: JsFileContext, placeholders = false): string | undefined {
  if (!node) return undefined;
  if (ts.isRegularExpressionLiteral(node)) return `<${node.text}>`;
  // A template is a path whatever it starts with (`${base}/users`).
  if (ts.isTemplateExpression(node)) return textOf(node, context, placeholders, 0);
  const value = textOf(node, context, placeholders, 0);
  if (value === undefined) return undefined;
  return value.startsWith('/') || value.startsWith('{') || value === '' || value === '*' ? value : undefined;
}

/** Names that hold a path by convention: upper-case constants (`USERS_ROUTE`), `apiPrefix`, `basePath`. */
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;
const PATH_WORD_SUFFIX = /(?:path|prefix|url|base|route|root|endpoint)s?$/i;
const pathLikeName = (name: string) => CONSTANT_NAME.test(name) || PATH_WORD_SUFFIX.test(name);
const MAX_DEPTH = 8;

function textOf(node: ts.Expression, context: JsFileContext, placeholders: boolean, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const literal = stringValue(node);
  if (literal !== undefined) return literal;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return textOf(node.expression, context, placeholders, depth + 1);
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      // A name that reads like a path constant keeps its name; any other part it cannot know is a parameter.
      text += (textOf(span.expression, context, true, depth + 1) ?? ':param') + span.literal.text;
    }
    return text;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = textOf(node.left, context, placeholders, depth + 1);
    const right = left === undefined ? undefined : textOf(node.right, context, false, depth + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  if (ts.isIdentifier(node)) {
    const constant = context.constants.get(node.text);
    if (constant) return textOf(constant, context, false, depth + 1);
    return placeholders && pathLikeName(node.text) && !context.functions.has(node.text) && !context.routerNames.has(node.text) ? `{${node.text}}` : undefined;
  }
  if (ts.isPropertyAccessExpression(node)) {
    const owner = objectLiteralOf(node.expression, context, depth + 1);
    const property = owner?.properties.find((candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && (ts.isIdentifier(candidate.name) || ts.isStringLiteral(candidate.name)) && candidate.name.text === node.name.text);
    if (property) return textOf(property.initializer, context, false, depth + 1);
    return placeholders && pathLikeName(node.name.text) ? `{${node.name.text}}` : undefined;
  }
  return undefined;
}

/** `PATHS` in `PATHS.api` when the file declares `const PATHS = { api: '/api' }` (nested objects too). */
function objectLiteralOf(node: ts.Expression, context: JsFileContext, depth: number): ts.ObjectLiteralExpression | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let value: ts.Expression | undefined;
  if (ts.isIdentifier(node)) value = context.constants.get(node.text);
  else if (ts.isPropertyAccessExpression(node)) {
    const owner = objectLiteralOf(node.expression, context, depth + 1);
    const property = owner?.properties.find((candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && ts.isIdentifier(candidate.name) && candidate.name.text === node.name.text);
    value = property?.initializer;
  }
  while (value && (ts.isParenthesizedExpression(value) || ts.isAsExpression(value) || ts.isSatisfiesExpression(value))) value = value.expression;
  return value && ts.isObjectLiteralExpression(value) ? value : undefined;
}

/**
 * The file's exported upper-case constants whose value is a path, what another file's
 * `{API_PREFIX}` placeholder stands for: `export const API_PREFIX = '/api/v1'`, and in CommonJS
 * `exports.API_PREFIX = '/api/v1'` or `module.exports = { API_PREFIX: '/api/v1' }` (a shorthand
 * `{ API_PREFIX }` names a constant of the file); the upper-case keys of an exported const object
 * (`export const PATHS = { API: '/api' }`, which another file reads as `PATHS.API`, `{API}`).
 */
export function exportedPathConstants(context: JsFileContext): Record<string, string> | undefined {
  const constants: Record<string, string> = {};
  const take = (name: string, value: ts.Expression | undefined) => {
    if (!CONSTANT_NAME.test(name) || !value) return;
    const text = textOf(value, context, false, 0);
    if (text !== undefined && text.startsWith('/') && !text.includes('{')) constants[name] = text;
  };
  const takeProperties = (object: ts.ObjectLiteralExpression) => {
    for (const property of object.properties) {
      if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) take(property.name.text, property.initializer);
      else if (ts.isShorthandPropertyAssignment(property)) take(property.name.text, context.constants.get(property.name.text));
    }
  };
  for (const statement of context.sourceFile.statements) {
    if (ts.isVariableStatement(statement) && statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        const value = context.constants.get(declaration.name.text);
        // `export const PATHS = { API: '/api' }`: another file's `PATHS.API` reads `{API}`.
        if (value && ts.isObjectLiteralExpression(value)) takeProperties(value);
        else take(declaration.name.text, value);
      }
      continue;
    }
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const { left, right } = statement.expression;
    const target = left.getText(context.sourceFile);
    if (ts.isPropertyAccessExpression(left) && /^(?:module\.)?exports$/.test(left.expression.getText(context.sourceFile))) {
      take(left.name.text, right);
    } else if (target === 'module.exports' && ts.isObjectLiteralExpression(right)) {
      takeProperties(right);
    }
  }
  return Object.keys(constants).length ? constants : undefined;
}
