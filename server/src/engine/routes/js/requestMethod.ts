import ts = require('typescript');
import { stringValue } from '../../js/astUtil';

/**
 * Which code of a Next.js `pages/api` handler runs for one HTTP method: such a handler serves
 * every method and branches on `req.method`, so a public GET branch before the session check
 * must not make the POST below it look unprotected, nor a DELETE branch before the check look
 * protected. Only literal comparisons are read; anything else runs for every method.
 */

/** `req.method` (any object): the expression a method test compares. */
export function readsMethod(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  // `req.method`, and `event.httpMethod` (Netlify, AWS Lambda).
  return /\.(?:method|httpMethod)$/.test(node.getText(sourceFile));
}

/**
 * For an `if` condition: true when its then-branch runs for `method`, false when its
 * else-branch does, undefined when the condition is not a test of the request method.
 * Understood: `req.method === 'POST'` (either side, `==` too), `!==`, `||` and `&&` (other
 * conditions unknown), `['PUT', 'PATCH'].includes(req.method)`, parentheses and `!`.
 */
export function thenRunsFor(condition: ts.Expression, method: string, sourceFile: ts.SourceFile): boolean | undefined {
  const node = skipParentheses(condition);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = thenRunsFor(node.operand, method, sourceFile);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.AmpersandAmpersandToken) {
      // Three-valued: `req.method === 'POST' && isAdmin` is surely false for GET, unknown for POST.
      const left = thenRunsFor(node.left, method, sourceFile);
      const right = thenRunsFor(node.right, method, sourceFile);
      const decisive = operator === ts.SyntaxKind.BarBarToken;
      if (left === decisive || right === decisive) return decisive;
      return left === undefined || right === undefined ? undefined : !decisive;
    }
    const equal = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
    const notEqual = operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
    if (!equal && !notEqual) return undefined;
    const compared = readsMethod(node.left, sourceFile) ? node.right : readsMethod(node.right, sourceFile) ? node.left : undefined;
    const value = compared && stringValue(compared)?.toUpperCase();
    if (value === undefined) return undefined;
    return (value === method) === equal;
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'includes' && node.arguments.length === 1 && readsMethod(node.arguments[0], sourceFile)) {
    const list = skipParentheses(node.expression.expression);
    if (!ts.isArrayLiteralExpression(list)) return undefined;
    const values = list.elements.map((element) => stringValue(element)?.toUpperCase());
    if (values.some((value) => value === undefined)) return undefined;
    return values.includes(method);
  }
  return undefined;
}

/**
 * For `switch (req.method)`: the statements that run for `method` — from its case (or
 * `default` when no case names it) through the cases it falls into — or undefined when the
 * switch is not on the request method or a case label is not a literal.
 */
export function switchStatementsFor(statement: ts.SwitchStatement, method: string, sourceFile: ts.SourceFile): ts.Statement[] | undefined {
  if (!readsMethod(statement.expression, sourceFile)) return undefined;
  const clauses = statement.caseBlock.clauses;
  const labels = clauses.map((clause) => (ts.isCaseClause(clause) ? stringValue(clause.expression)?.toUpperCase() : 'default'));
  if (labels.some((label) => label === undefined)) return undefined;
  let start = labels.indexOf(method);
  if (start === -1) start = labels.indexOf('default');
  if (start === -1) return [];
  const statements: ts.Statement[] = [];
  for (const clause of clauses.slice(start)) {
    statements.push(...clause.statements);
    const last = clause.statements[clause.statements.length - 1];
    if (last && endsClause(last)) break;
  }
  return statements;
}

function endsClause(statement: ts.Statement): boolean {
  if (ts.isBreakStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && endsClause(last);
  }
  return alwaysExits(statement);
}

/** Whether running the statement always leaves the function (return or throw on every path). */
export function alwaysExits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some(alwaysExits);
  if (ts.isIfStatement(statement)) return !!statement.elseStatement && alwaysExits(statement.thenStatement) && alwaysExits(statement.elseStatement);
  return false;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}
