import ts = require('typescript');

/**
 * Pure helpers over TypeScript syntax used by data-flow analysis: unwrapping type-only
 * wrappers, reading names, recognising functions and directives, and finding references.
 */

// Helpers that mean the same here as for the route detectors are astUtil's.
export { decoratorsOf, hasDirective, hasModifier } from './astUtil';

export type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

// Unlike astUtil.isFunctionLike: constructors and accessors count, since their bodies are analysed too.
export function isFunctionNode(node: ts.Node): node is FunctionNode {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

const { ParenthesizedExpression, AsExpression, NonNullExpression, SatisfiesExpression, TypeAssertionExpression } = ts.SyntaxKind;

/** Strips parentheses and type-only wrappers (`x as T`, `x!`, `<T>x`, `x satisfies T`). Called on most nodes, so a plain kind switch. */
export function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  for (let depth = 0; depth < 32; depth++) {
    switch (current.kind) {
      case ParenthesizedExpression:
      case AsExpression:
      case NonNullExpression:
      case SatisfiesExpression:
      case TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        continue;
      default:
        return current;
    }
  }
  return current;
}

/** Text of a property name that is written literally (`a`, `'a'`, `1`), undefined when computed. */
export function propertyNameText(name: ts.PropertyName | ts.MemberName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const inner = unwrap(name.expression);
    if (ts.isStringLiteralLike(inner)) return inner.text;
  }
  return undefined;
}

/** The value of a string literal or substitution-free template (through parentheses and casts). */
// Unlike astUtil.stringValue: sees through every wrapper unwrap() strips (`!` and `<T>x` too).
export function literalText(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) ? inner.text : undefined;
}

/** `a.b.c` for identifier/property chains (`this` included), undefined for anything else. */
// Unlike astUtil.dottedName: stops at calls; sees through every type-only wrapper, around element keys too (`x[('a' as const)]`).
export function dottedPath(node: ts.Expression): string | undefined {
  const parts: string[] = [];
  let current: ts.Expression = node;
  for (let depth = 0; depth < 24; depth++) {
    current = unwrap(current);
    if (ts.isIdentifier(current)) {
      parts.push(current.text);
      return parts.reverse().join('.');
    }
    if (current.kind === ts.SyntaxKind.ThisKeyword) {
      parts.push('this');
      return parts.reverse().join('.');
    }
    if (ts.isPropertyAccessExpression(current)) {
      parts.push(current.name.text);
      current = current.expression;
      continue;
    }
    if (ts.isElementAccessExpression(current)) {
      const key = literalText(current.argumentExpression);
      if (key === undefined) return undefined;
      parts.push(key);
      current = current.expression;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** The identifier a decorator is called by (`Body` for `@Body('x')`), and its arguments. */
export function decoratorCall(decorator: ts.Decorator): { name: string; args: readonly ts.Expression[] } | undefined {
  const expression = decorator.expression;
  const callee = ts.isCallExpression(expression) ? expression.expression : expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name ? { name, args: ts.isCallExpression(expression) ? expression.arguments : [] } : undefined;
}

/** The right-most name of a type reference (`Request` for `express.Request`), undefined otherwise. */
export function typeReferenceName(type: ts.TypeNode | undefined): string | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  return ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
}

/** Normalised module specifier: `node:fs` → `fs`. */
/**
 * The package a specifier names, as npm would: `node:fs` → `fs`; and the forms Deno code (Supabase
 * Edge Functions) imports packages by — `npm:stripe@14`, `https://esm.sh/@supabase/supabase-js@2`
 * (and other npm CDNs), `jsr:@std/http`, `https://deno.land/std@0.168.0/http/server.ts` → `stripe`,
 * `@supabase/supabase-js`, `@std/http`, `@std/http/server` — so the rules that name packages hold there.
 */
export function moduleName(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier.slice(5);
  if (specifier.length > 300 || !/^(?:npm|jsr|https?):/.test(specifier)) return specifier;
  const npm = NPM_SPECIFIER.exec(specifier);
  if (npm) return `${npm[1]}${npm[2] ?? ''}`;
  const std = DENO_STD.exec(specifier);
  if (std) return `@std/${std[1]}`;
  return specifier;
}

/** A package (scoped or not) with an optional version and subpath, behind `npm:`, `jsr:` or an npm CDN's address. */
export const NPM_SPECIFIER = /^(?:npm:|jsr:|https?:\/\/(?:esm\.sh|cdn\.skypack\.dev|esm\.run|cdn\.jsdelivr\.net\/npm|unpkg\.com)\/(?:v\d+\/)?)((?:@[\w.-]+\/)?[\w.-]+?)(?:@[^/?#]*)?(\/[^?#]*?)?(?:\.(?:m?js|ts))?(?:[?#].*)?$/;
/** Deno's standard library by address: `https://deno.land/std@0.168.0/http/server.ts`. */
export const DENO_STD = /^https?:\/\/deno\.land\/std(?:@[^/]+)?\/([\w/-]+?)(?:\/mod)?\.ts$/;

/** Whether an identifier is read as a variable (not a property name, key or declaration). */
export function isVariableReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === id) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassDeclaration(parent)) && parent.name === id) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isExportSpecifier(parent)) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent) || ts.isJsxAttribute(parent)) return false;
  if (ts.isJsxOpeningElement(parent) || ts.isJsxClosingElement(parent) || ts.isJsxSelfClosingElement(parent)) return false;
  return true;
}

/** Every variable reference to `name` inside `root` (shadowing is not tracked). */
export function referencesTo(root: ts.Node, name: string): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      if (node.text === name && isVariableReference(node)) found.push(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** The statement directly inside the source file that contains `node`. */
export function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current.parent && ts.isSourceFile(current.parent) ? (current as ts.Statement) : undefined;
}

/** A valid JavaScript identifier (so `{ name: x.name }` can be written without quotes). */
export function isIdentifierText(text: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(text);
}
