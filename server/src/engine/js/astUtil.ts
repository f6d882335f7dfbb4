import ts = require('typescript');

/** Small, allocation-light helpers over TypeScript syntax trees shared by detectors. */

// The helpers called on every call are plain kind switches: each `ts.isX` or `ts.SyntaxKind.X`
// is a property look-up on a very large object.
const { Identifier, PrivateIdentifier, ThisKeyword, PropertyAccessExpression, ElementAccessExpression, NonNullExpression, ParenthesizedExpression, CallExpression, AwaitExpression, AsExpression } = ts.SyntaxKind;

/** `a.b.c` for identifier/property-access chains (also through `this`), undefined otherwise. */
// Unlike flowSyntax.dottedPath: reads calls (`auth().protect`); sees through only `!` and parentheses, and not around element keys.
export function dottedName(node: ts.Node): string | undefined {
  return dottedNameWithin(node, 32);
}

// Called for every call the detectors see: the name is built by concatenation, not from an array.
function dottedNameWithin(node: ts.Node, steps: number): string | undefined {
  if (steps <= 0) return undefined;
  switch (node.kind) {
    case Identifier:
    case PrivateIdentifier:
      return (node as ts.Identifier | ts.PrivateIdentifier).text;
    case ThisKeyword:
      return 'this';
    case PropertyAccessExpression: {
      const access = node as ts.PropertyAccessExpression;
      const inner = dottedNameWithin(access.expression, steps - 1);
      return inner === undefined ? undefined : `${inner}.${access.name.text}`;
    }
    case ElementAccessExpression: {
      const access = node as ts.ElementAccessExpression;
      if (!ts.isStringLiteralLike(access.argumentExpression)) return undefined;
      const inner = dottedNameWithin(access.expression, steps - 1);
      return inner === undefined ? undefined : `${inner}.${access.argumentExpression.text}`;
    }
    case NonNullExpression:
    case ParenthesizedExpression:
      return dottedNameWithin((node as ts.NonNullExpression | ts.ParenthesizedExpression).expression, steps - 1);
    case CallExpression: {
      // `auth().protect` reads as "auth().protect".
      const inner = dottedName((node as ts.CallExpression).expression);
      return inner ? `${inner}()` : undefined;
    }
    default:
      return undefined;
  }
}

/** The callee of a call as a dotted name: `router.get`, `jwt.verify`, `auth().protect`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  return dottedName(call.expression);
}

/** The name a callee ends in: `onCall`, `https.onCall`, `functions.region('x').https.onCall` → 'onCall'. */
export function calleeLastName(callee: ts.Expression): string | undefined {
  let target: ts.Node = callee;
  while (ts.isParenthesizedExpression(target) || ts.isNonNullExpression(target) || ts.isAsExpression(target)) target = target.expression;
  return ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : undefined;
}

/** The leftmost identifier of an expression chain (`req` in `req.body.name`). */
export function rootIdentifier(node: ts.Node): ts.Identifier | undefined {
  let current: ts.Node = node;
  for (let depth = 0; depth < 64; depth++) {
    switch (current.kind) {
      case Identifier:
        return current as ts.Identifier;
      case PropertyAccessExpression:
      case ElementAccessExpression:
      case CallExpression:
      case NonNullExpression:
      case ParenthesizedExpression:
      case AwaitExpression:
      case AsExpression:
        current = (current as ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression | ts.NonNullExpression | ts.ParenthesizedExpression | ts.AwaitExpression | ts.AsExpression).expression;
        continue;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The value of a string literal or a template without substitutions. */
// Unlike flowSyntax.literalText: sees through parentheses, `as` and `satisfies`, not through `!` or `<T>x`.
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return stringValue(node.expression);
  return undefined;
}

/** A numeric literal's value (`401`), undefined otherwise. */
export function numberValue(node: ts.Node | undefined): number | undefined {
  if (node && ts.isNumericLiteral(node)) return Number(node.text);
  return undefined;
}

/** Whether a node is a function value: arrow, function expression or declaration, or method. */
// Unlike flowSyntax.isFunctionNode: no constructors or accessors, which cannot be passed as a handler.
export function isFunctionLike(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node);
}

/** Whether the file or function starts with the directive (`'use server'`, `'use client'`). */
export function hasDirective(statements: readonly ts.Statement[] | undefined, directive: string): boolean {
  for (const statement of statements ?? []) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === directive) return true;
  }
  return false;
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

/** Whether a declaration carries the `export` modifier. */
export function isExported(node: ts.Node): boolean {
  return hasModifier(node, ts.SyntaxKind.ExportKeyword);
}

export function isDefaultExport(node: ts.Node): boolean {
  return hasModifier(node, ts.SyntaxKind.DefaultKeyword);
}

/** Decorators of a class, method, property or parameter (TypeScript 5 API). */
export function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : [];
}

/** The name a decorator is called by: `UseGuards` for `@UseGuards(AuthGuard('jwt'))`. */
export function decoratorName(decorator: ts.Decorator): string | undefined {
  const expression = decorator.expression;
  return dottedName(ts.isCallExpression(expression) ? expression.expression : expression);
}

export function decoratorArguments(decorator: ts.Decorator): readonly ts.Expression[] {
  return ts.isCallExpression(decorator.expression) ? decorator.expression.arguments : [];
}
