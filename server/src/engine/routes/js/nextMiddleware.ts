import ts = require('typescript');
import { calleeName, isFunctionLike, stringValue } from '../../js/astUtil';
import type { PathGuardFact } from '../routeFacts';
import { analyzeBody } from './bodyAuth';
import { skipWrappers, type JsFileContext } from './jsFileContext';
import { propertyNamed } from './callRouters';

/**
 * Next.js middleware.ts: which paths it runs on (`config.matcher`) and which of those it
 * protects — Clerk (`clerkMiddleware` + `createRouteMatcher`, `authMiddleware`), NextAuth
 * (`next-auth/middleware`, `withAuth`), Auth.js v5 (`auth` as middleware) or the project's own
 * code that redirects anonymous visitors or answers 401.
 */
export function extractNextMiddleware(context: JsFileContext): PathGuardFact | undefined {
  if (!/(^|\/)(src\/)?middleware\.(m?[jt]s)$/.test(context.file.projectPath)) return undefined;
  const sourceFile = context.sourceFile;
  const matcher = matcherOf(sourceFile);
  const matchers = routeMatchers(context);

  for (const statement of sourceFile.statements) {
    // export { default } from 'next-auth/middleware'; export { auth as middleware } from '@/auth'
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      const module = statement.moduleSpecifier.text;
      for (const element of statement.exportClause.elements) {
        const exported = element.name.text;
        if (exported !== 'default' && exported !== 'middleware') continue;
        if (module === 'next-auth/middleware') return guard(matcher, { kind: 'all' }, 'NextAuth middleware', statement, context);
        const imported = (element.propertyName ?? element.name).text;
        if (imported === 'auth') return guard(matcher, { kind: 'all' }, 'Auth.js middleware (auth)', statement, context);
      }
    }
  }

  const middleware = middlewareExpression(context);
  if (!middleware) return undefined;
  const value = ts.isExpression(middleware) ? skipWrappers(middleware) : middleware;

  if (ts.isCallExpression(value)) {
    const callee = calleeName(value) ?? '';
    const callback = value.arguments.find((argument) => isFunctionLike(skipWrappers(argument)));
    if (callee === 'clerkMiddleware') {
      if (!callback) return undefined; // Clerk's default makes every route public.
      return clerkCallbackGuard(skipWrappers(callback) as ts.FunctionLikeDeclaration, matchers, matcher, value, context);
    }
    if (callee === 'authMiddleware') {
      const options = value.arguments[0] && ts.isObjectLiteralExpression(value.arguments[0]) ? value.arguments[0] : undefined;
      const publicRoutes = options ? stringList(propertyNamed(options, 'publicRoutes')?.initializer) : [];
      return guard(matcher, publicRoutes.length ? { kind: 'except', patterns: publicRoutes } : { kind: 'all' }, 'Clerk authMiddleware', value, context);
    }
    if (callee === 'withAuth' || callee === 'auth') return guard(matcher, { kind: 'all' }, callee === 'auth' ? 'Auth.js middleware (auth)' : 'NextAuth withAuth', value, context);
  }

  if (isFunctionLike(value)) {
    const body = analyzeBody(value, context);
    if (body.authCheck) return { ...guard(matcher, prefixesChecked(value, context), body.authCheck.description, value, context), check: body.authCheck };
    const delegate = body.callsAtStart.find((ref) => ref.kind === 'import' || ref.kind === 'function');
    if (delegate) return { framework: 'nextjs-middleware', ...(matcher ? { matcher } : {}), protects: { kind: 'all' }, delegate, span: context.span(value) };
  }
  return undefined;
}

function guard(matcher: string[] | undefined, protects: PathGuardFact['protects'], description: string, node: ts.Node, context: JsFileContext): PathGuardFact {
  const span = context.span(node);
  return { framework: 'nextjs-middleware', ...(matcher ? { matcher } : {}), protects, check: { description, span }, span };
}

/** `export default …` or `export function middleware` / `export const middleware = …`. */
function middlewareExpression(context: JsFileContext): ts.Node | undefined {
  for (const statement of context.sourceFile.statements) {
    if (ts.isExportAssignment(statement)) return statement.expression;
    if (ts.isFunctionDeclaration(statement) && (statement.name?.text === 'middleware' || !statement.name) && statement.body) return statement;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === 'middleware' && declaration.initializer) return declaration.initializer;
      }
    }
  }
  return undefined;
}

/** `const isProtected = createRouteMatcher(['/dashboard(.*)'])` → name → patterns. */
function routeMatchers(context: JsFileContext): Map<string, string[]> {
  const matchers = new Map<string, string[]>();
  for (const [name, call] of context.callAliases) {
    if (calleeName(call) === 'createRouteMatcher') matchers.set(name, stringList(call.arguments?.[0]));
  }
  return matchers;
}

/** Clerk: `if (isProtectedRoute(req)) await auth.protect()` or `if (!isPublicRoute(req)) …`. */
function clerkCallbackGuard(callback: ts.FunctionLikeDeclaration, matchers: Map<string, string[]>, matcher: string[] | undefined, node: ts.Node, context: JsFileContext): PathGuardFact | undefined {
  let result: PathGuardFact | undefined;
  const visit = (current: ts.Node, condition: { name: string; negated: boolean } | undefined, depth: number): void => {
    if (result || depth > 60) return;
    if (ts.isIfStatement(current)) {
      const test = conditionMatcher(current.expression);
      visit(current.thenStatement, test ?? condition, depth + 1);
      if (current.elseStatement) visit(current.elseStatement, test ? { ...test, negated: !test.negated } : condition, depth + 1);
      return;
    }
    if (ts.isCallExpression(current) && /(^|\.)protect$|^redirectToSignIn$/.test(calleeName(current) ?? '')) {
      const description = `Clerk ${calleeName(current)}() in middleware`;
      if (!condition) result = guard(matcher, { kind: 'all' }, description, node, context);
      else {
        const patterns = matchers.get(condition.name) ?? [];
        result = guard(matcher, condition.negated ? { kind: 'except', patterns } : { kind: 'only', patterns }, description, node, context);
      }
      return;
    }
    ts.forEachChild(current, (child) => visit(child, condition, depth + 1));
  };
  if (callback.body) visit(callback.body, undefined, 0);
  return result;
}

function conditionMatcher(expression: ts.Expression): { name: string; negated: boolean } | undefined {
  let negated = false;
  let current = skipWrappers(expression);
  if (ts.isPrefixUnaryExpression(current) && current.operator === ts.SyntaxKind.ExclamationToken) {
    negated = true;
    current = skipWrappers(current.operand);
  }
  if (ts.isCallExpression(current) && ts.isIdentifier(current.expression)) return { name: current.expression.text, negated };
  return undefined;
}

/** A custom middleware that only checks some prefixes: `if (pathname.startsWith('/admin') && !token)`. */
function prefixesChecked(fn: ts.Node, context: JsFileContext): PathGuardFact['protects'] {
  const prefixes: string[] = [];
  const visit = (node: ts.Node, depth: number): void => {
    if (depth > 60) return;
    if (ts.isCallExpression(node) && /\.startsWith$/.test(calleeName(node) ?? '') && /pathname/.test(node.expression.getText(context.sourceFile))) {
      const prefix = stringValue(node.arguments[0]);
      if (prefix) prefixes.push(prefix);
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(fn, 0);
  return prefixes.length ? { kind: 'prefixes', prefixes } : { kind: 'all' };
}

/** `export const config = { matcher: [...] }`. */
function matcherOf(sourceFile: ts.SourceFile): string[] | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== 'config' || !declaration.initializer) continue;
      const object = skipWrappers(declaration.initializer);
      if (!ts.isObjectLiteralExpression(object)) continue;
      const value = propertyNamed(object, 'matcher')?.initializer;
      if (!value) return undefined;
      const single = stringValue(value);
      if (single) return [single];
      if (ts.isArrayLiteralExpression(value)) {
        return value.elements.flatMap((element) => {
          const direct = stringValue(element);
          if (direct) return [direct];
          if (ts.isObjectLiteralExpression(element)) {
            const source = stringValue(propertyNamed(element, 'source')?.initializer);
            return source ? [source] : [];
          }
          return [];
        });
      }
    }
  }
  return undefined;
}

function stringList(node: ts.Node | undefined): string[] {
  if (!node) return [];
  const single = stringValue(node);
  if (single) return [single];
  if (ts.isArrayLiteralExpression(node)) return node.elements.map((element) => stringValue(element)).filter((value): value is string => value !== undefined);
  return [];
}
