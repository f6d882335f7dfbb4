import ts = require('typescript');
import { calleeLastName, hasDirective, isExported, isFunctionLike, rootIdentifier, stringValue } from '../../js/astUtil';
import type { HttpMethod } from '../routeTypes';
import type { ChainItem, DeclaredRoute } from '../routeFacts';
import { analyzeBody } from './bodyAuth';
import { readsMethod } from './requestMethod';
import { chainItemsOf } from './chainItems';
import { firebaseCallableCheck, supabaseUserCheck } from './platformAuthChecks';
import { PAGES_FUNCTION_EXPORT, netlifyFunctionPath, nextAppRoutePath, nextPagesApiPath, pagesFunctionPath, remixPath, supabaseFunctionPath, svelteKitPath, vercelFunctionPath } from './conventionPaths';
import { skipWrappers, type JsFileContext } from './jsFileContext';

/**
 * Routes declared by where a file is and what it exports: Next.js route handlers, pages/api
 * and server actions, SvelteKit endpoints and form actions, Remix actions and loaders.
 */

const METHOD_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function extractConventionRoutes(context: JsFileContext): DeclaredRoute[] {
  const path = context.file.projectPath;
  const exported = exportedFunctions(context);
  const routes: DeclaredRoute[] = [];

  const remix = remixPath(path);
  const isRemix = remix !== undefined && (exported.has('action') || exported.has('loader'));
  const nextApp = !isRemix ? nextAppRoutePath(path) : undefined;
  if (nextApp !== undefined) {
    const nextAuth = /\/\[\.\.\.nextauth\]\/route\.\w+$/.test(path) ? "NextAuth's own sign-in endpoints" : undefined;
    for (const [name, value] of exported) {
      if (METHOD_EXPORTS.has(name)) routes.push(routeFor(name as HttpMethod, nextApp, 'nextjs-app', name, value, context, nextAuth));
    }
  }

  const pagesApi = nextPagesApiPath(path);
  const defaultHandler = exported.get('default');
  if (pagesApi !== undefined && defaultHandler) {
    const methods = methodsHandled(defaultHandler.handler ?? defaultHandler.node, context);
    const publicByDesign = /\/api\/auth\/\[\.\.\.nextauth\]\.\w+$/.test(path) ? "NextAuth's own sign-in endpoints" : undefined;
    for (const method of methods) routes.push(routeFor(method, pagesApi, 'nextjs-pages', 'default', defaultHandler, context, publicByDesign, true));
  }

  const svelte = svelteKitPath(path);
  if (svelte !== undefined) {
    if (/\+server\.\w+$/.test(path)) {
      for (const [name, value] of exported) if (METHOD_EXPORTS.has(name)) routes.push(routeFor(name as HttpMethod, svelte, 'sveltekit', name, value, context));
    } else {
      routes.push(...svelteFormActions(context, svelte));
    }
  }

  if (isRemix) {
    const action = exported.get('action');
    const loader = exported.get('loader');
    if (action) routes.push(routeFor('POST', remix, 'remix', 'action', action, context));
    if (loader) routes.push(routeFor('GET', remix, 'remix', 'loader', loader, context));
  }

  const edgeFunction = supabaseFunctionPath(path);
  if (edgeFunction !== undefined) routes.push(...supabaseFunctionRoutes(context, edgeFunction));
  routes.push(...firebaseFunctionRoutes(context, exported));

  const netlify = netlifyFunctionPath(path);
  const netlifyHandler = exported.get('handler') ?? exported.get('default');
  if (netlify !== undefined && netlifyHandler) {
    // A v2 function can choose its own address: `export const config = { path: '/api/search' }`.
    const routePath = configuredPath(context) ?? netlify;
    routes.push(...handledMethods(netlifyHandler, context).map((method) => routeFor(method, routePath, 'netlify-functions', exported.has('handler') ? 'handler' : 'default', netlifyHandler, context, undefined, true)));
  }

  const pages = pagesFunctionPath(path);
  if (pages !== undefined) {
    for (const [name, value] of exported) {
      const match = PAGES_FUNCTION_EXPORT.exec(name);
      if (match && value.handler) routes.push(routeFor((match[1]?.toUpperCase() ?? 'ALL') as HttpMethod, pages, 'cloudflare-pages', name, value, context));
    }
  }

  const vercel = vercelFunctionPath(path);
  if (vercel !== undefined) {
    const methodExports = [...exported].filter(([name]) => METHOD_EXPORTS.has(name));
    if (methodExports.length) for (const [name, value] of methodExports) routes.push(routeFor(name as HttpMethod, vercel, 'vercel-functions', name, value, context));
    // One default handler function; a default-exported Express app or router (Express on Vercel) is that app's own routes.
    else if (defaultHandler?.handler && defaultHandler.handler.parameters.length > 0) routes.push(...handledMethods(defaultHandler, context).map((method) => routeFor(method, vercel, 'vercel-functions', 'default', defaultHandler, context, undefined, true)));
  }

  routes.push(...serverActions(context, exported));
  return routes;
}

/**
 * A Supabase Edge Function: the handler given to `Deno.serve(…)` or std/http's `serve(…)`, one route for the methods it compares `req.method` with — every method when
 * it compares none (answering the CORS preflight `OPTIONS` does not count). Supabase lets a call
 * through with any valid JWT, the public anon key included, so only a check in the handler
 * (`supabase.auth.getUser()`, a verified token) makes it authenticated.
 */
function supabaseFunctionRoutes(context: JsFileContext, path: string): DeclaredRoute[] {
  const served = servedHandler(context);
  if (!served) return [];
  const check = served.handler && supabaseUserCheck(served.handler, context);
  return handledMethods(served, context).map((method) => ({ ...routeFor(method, path, 'supabase-functions', 'handler', served, context, undefined, true), ...(check ? { insertion: check } : {}) }));
}

/**
 * Firebase Cloud Functions: an exported `onCall(handler)` is a callable function (POST, at the
 * export's name), an exported `onRequest(handler)` an HTTP one (its methods from `req.method`
 * checks) — from firebase-functions, v1 (`functions.https.onCall`, with `.region(…)` or
 * `.runWith(…)`) or v2 (`onCall` from firebase-functions/v2/https), options first or not. A
 * callable is authenticated only when it checks `request.auth` (`context.auth` in v1) and refuses
 * without it; Firebase lets anyone call it. `onRequest(app)` of an Express app is that app's routes.
 */
function firebaseFunctionRoutes(context: JsFileContext, exported: Map<string, ExportedValue>): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  const locals = localFunctions(context);
  for (const [name, exportedValue] of exported) {
    const [outer] = exportedValue.wrappers;
    const kind = outer && firebaseTrigger(outer.expression, context);
    if (!kind) continue;
    // `onCall(handleCall)`: the handler is a function of the file.
    const named = exportedValue.handler ? undefined : outer.arguments.map((argument) => skipWrappers(argument)).find(ts.isIdentifier);
    const declared = named && locals.get(named.text);
    const local = declared && ts.isExpression(declared) ? skipWrappers(declared) : declared;
    const value = local && isFunctionLike(local) ? { ...exportedValue, handler: local as ts.SignatureDeclaration } : exportedValue;
    if (!value.handler) continue;
    const handler = handlerItem(value.handler, context);
    const check = kind === 'onCall' ? firebaseCallableCheck(value.handler, outer.expression, context) : undefined;
    for (const method of kind === 'onCall' ? ['POST' as const] : handledMethods(value, context)) {
      routes.push({ method, path: `/${name}`, framework: 'firebase-functions', span: context.span(declarationNameNode(value.node) ?? value.node), handlerName: name, chain: [], handler, ...(check ? { insertion: check } : {}) });
    }
  }
  return routes;
}

/** `onCall` or `onRequest` when the callee is one of firebase-functions' (`onCall`, `https.onRequest`, `functions.region('x').https.onCall`). */
function firebaseTrigger(callee: ts.Expression, context: JsFileContext): 'onCall' | 'onRequest' | undefined {
  const last = calleeLastName(callee);
  if (last !== 'onCall' && last !== 'onRequest') return undefined;
  const root = rootIdentifier(callee);
  const module = root ? context.importOf(root.text)?.module : undefined;
  return module === 'firebase-functions' || module?.startsWith('firebase-functions/') ? last : undefined;
}

/** The methods a one-function handler serves, from its `req.method` checks (the CORS preflight does not count): every method when it checks none. */
function handledMethods(value: ExportedValue, context: JsFileContext): HttpMethod[] {
  const methods = methodsHandled(value.handler ?? value.node, context).filter((method) => method !== 'OPTIONS');
  return methods.length ? methods : ['ALL'];
}

/** `export const config = { path: '/api/search' }` (Netlify functions v2). */
function configuredPath(context: JsFileContext): string | undefined {
  for (const statement of context.sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !isExported(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const value = declaration.initializer && skipWrappers(declaration.initializer);
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== 'config' || !value || !ts.isObjectLiteralExpression(value)) continue;
      const pathProperty = value.properties.find((property) => ts.isPropertyAssignment(property) && property.name.getText(context.sourceFile) === 'path');
      const routePath = pathProperty && ts.isPropertyAssignment(pathProperty) ? stringValue(pathProperty.initializer) : undefined;
      if (routePath?.startsWith('/')) return routePath;
    }
  }
  return undefined;
}

/** The file's top-level functions and constants by name. */
function localFunctions(context: JsFileContext): Map<string, ts.Node> {
  const locals = new Map<string, ts.Node>();
  for (const statement of context.sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) locals.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.initializer) locals.set(declaration.name.text, declaration.initializer);
  }
  return locals;
}

/** The function a top-level `Deno.serve(…)` / `serve(…)` call is given (the last function argument, or a local function by name). */
function servedHandler(context: JsFileContext): ExportedValue | undefined {
  const locals = localFunctions(context);
  for (const statement of context.sourceFile.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    let call: ts.Expression = skipWrappers(statement.expression);
    if (ts.isAwaitExpression(call)) call = skipWrappers(call.expression);
    if (!ts.isCallExpression(call)) continue;
    const callee = context.text(call.expression);
    if (callee !== 'Deno.serve' && callee !== 'serve') continue;
    for (let index = call.arguments.length - 1; index >= 0; index--) {
      const argument = skipWrappers(call.arguments[index]);
      const declared = ts.isIdentifier(argument) ? locals.get(argument.text) : argument;
      const target = declared && ts.isExpression(declared) ? skipWrappers(declared) : declared;
      if (target && (isFunctionLike(target) || ts.isCallExpression(target))) return { ...unwrap(target), node: call.expression };
      if (ts.isObjectLiteralExpression(argument)) {
        const handler = argument.properties.find((property) => property.name !== undefined && ts.isIdentifier(property.name) && property.name.text === 'handler');
        const value = handler && (ts.isPropertyAssignment(handler) ? skipWrappers(handler.initializer) : ts.isMethodDeclaration(handler) ? handler : undefined);
        if (value) return { ...unwrap(ts.isIdentifier(value) ? locals.get(value.text) ?? value : value), node: call.expression };
      }
    }
  }
  return undefined;
}

interface ExportedValue {
  node: ts.Node;
  /** The function doing the work: the export itself, or the function a wrapper was given. */
  handler?: ts.SignatureDeclaration;
  /** Wrappers around it (`withAuth(handler)`), outermost first. */
  wrappers: ts.CallExpression[];
}

/** Exported functions by exported name, seeing through wrappers and `export { a as GET }`. */
function exportedFunctions(context: JsFileContext): Map<string, ExportedValue> {
  const result = new Map<string, ExportedValue>();
  const locals = localFunctions(context);
  for (const statement of context.sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && isExported(statement)) {
      result.set(statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ? 'default' : statement.name?.text ?? 'default', unwrap(statement));
    } else if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) result.set(declaration.name.text, unwrap(declaration.initializer));
      }
    }
  }
  for (const statement of context.sourceFile.statements) {
    if (ts.isExportAssignment(statement)) {
      const value = ts.isIdentifier(statement.expression) ? locals.get(statement.expression.text) ?? statement.expression : statement.expression;
      result.set('default', unwrap(value));
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        const local = locals.get((element.propertyName ?? element.name).text);
        if (local) result.set(element.name.text, unwrap(local));
      }
    }
  }
  return result;
}

function unwrap(node: ts.Node): ExportedValue {
  const wrappers: ts.CallExpression[] = [];
  let current: ts.Node = ts.isExpression(node) ? skipWrappers(node) : node;
  for (let depth = 0; depth < 6 && ts.isCallExpression(current); depth++) {
    wrappers.push(current);
    const inner = current.arguments.find((argument) => isFunctionLike(skipWrappers(argument)) || ts.isIdentifier(argument));
    if (!inner) break;
    current = skipWrappers(inner);
  }
  return { node, handler: isFunctionLike(current) ? current : undefined, wrappers };
}

/** `branchesOnMethod`: the handler serves several methods from one function (pages/api): read it for `method` alone. */
function routeFor(method: HttpMethod, path: string, framework: DeclaredRoute['framework'], name: string, value: ExportedValue, context: JsFileContext, publicByDesign?: string, branchesOnMethod = false): DeclaredRoute {
  const chain: ChainItem[] = value.wrappers.map((wrapper) => {
    const [item] = chainItemsOf(wrapper.expression, context);
    return { ...item, label: context.text(wrapper.expression), span: context.span(wrapper) };
  });
  const handler = value.handler ? handlerItem(value.handler, context, branchesOnMethod && method !== 'ALL' ? method : undefined) : undefined;
  return {
    method,
    path,
    framework,
    span: context.span(declarationNameNode(value.node) ?? value.node),
    handlerName: name,
    chain,
    ...(handler ? { handler } : {}),
    ...(publicByDesign ? { publicByDesign } : {}),
  };
}

function handlerItem(fn: ts.SignatureDeclaration, context: JsFileContext, method?: string): ChainItem {
  const body = analyzeBody(fn, context, method);
  return {
    label: 'handler',
    span: context.span(fn),
    ...(body.authCheck ? { authCheck: body.authCheck } : {}),
    ...(body.checkAfterWork ? { checkAfterWork: body.checkAfterWork } : {}),
    ...(body.callsAtStart.length ? { callsAtStart: body.callsAtStart } : {}),
  };
}

function declarationNameNode(node: ts.Node): ts.Node | undefined {
  if (ts.isFunctionDeclaration(node)) return node.name;
  if (ts.isVariableDeclaration(node.parent)) return node.parent.name;
  return undefined;
}

/** pages/api handlers and edge functions: the methods compared against req.method, or every method when none are. */
function methodsHandled(node: ts.Node, context: JsFileContext): HttpMethod[] {
  const found = new Set<HttpMethod>();
  const visit = (current: ts.Node, depth: number): void => {
    if (depth > 100) return;
    // `req.method === 'POST'`, and `req.method !== 'POST'` (answering 405 to every other method) alike.
    if (ts.isBinaryExpression(current) && /^(===|==|!==|!=)$/.test(current.operatorToken.getText(context.sourceFile))) {
      const sides = [current.left, current.right];
      if (sides.some((side) => readsMethod(side, context.sourceFile))) {
        for (const side of sides) {
          const value = stringValue(side)?.toUpperCase();
          if (value && METHOD_EXPORTS.has(value)) found.add(value as HttpMethod);
        }
      }
    }
    if (ts.isSwitchStatement(current) && readsMethod(current.expression, context.sourceFile)) {
      for (const clause of current.caseBlock.clauses) {
        const value = ts.isCaseClause(clause) ? stringValue(clause.expression)?.toUpperCase() : undefined;
        if (value && METHOD_EXPORTS.has(value)) found.add(value as HttpMethod);
      }
    }
    ts.forEachChild(current, (child) => visit(child, depth + 1));
  };
  visit(node, 0);
  return found.size > 0 ? [...found] : ['ALL'];
}

/** `export const actions = { default: async (event) => {…}, create: … }` in +page.server.ts. */
function svelteFormActions(context: JsFileContext, path: string): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const statement of context.sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !isExported(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== 'actions' || !declaration.initializer) continue;
      const object = skipWrappers(declaration.initializer);
      if (!ts.isObjectLiteralExpression(object)) continue;
      for (const property of object.properties) {
        const fn = ts.isPropertyAssignment(property) ? skipWrappers(property.initializer) : ts.isMethodDeclaration(property) ? property : undefined;
        if (!fn || !isFunctionLike(fn) || !property.name) continue;
        const actionName = property.name.getText(context.sourceFile);
        routes.push({
          method: 'POST',
          path: actionName === 'default' ? path : `${path}?/${actionName}`,
          framework: 'sveltekit',
          span: context.span(property.name),
          handlerName: actionName,
          chain: [],
          handler: handlerItem(fn, context),
        });
      }
    }
  }
  return routes;
}

/**
 * Server actions: every exported async function of a 'use server' file, and functions
 * whose body starts with 'use server'. Each can be called by anyone with a POST request.
 */
function serverActions(context: JsFileContext, exported: Map<string, ExportedValue>): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  const sourceFile = context.sourceFile;
  if (hasDirective(sourceFile.statements, 'use server')) {
    for (const [name, value] of exported) {
      if (!value.handler || !isAsync(value.handler)) continue;
      routes.push({ method: 'ACTION', path: name, framework: 'nextjs-server-action', span: context.span(declarationNameNode(value.node) ?? value.node), handlerName: name, chain: [], handler: handlerItem(value.handler, context) });
    }
    return routes;
  }
  if (!context.file.text.includes('use server')) return routes;
  const visit = (node: ts.Node, depth: number): void => {
    if (depth > 100) return;
    if (isFunctionLike(node) && node.body && ts.isBlock(node.body) && hasDirective(node.body.statements, 'use server')) {
      const name = functionName(node) ?? 'inline server action';
      routes.push({ method: 'ACTION', path: name, framework: 'nextjs-server-action', span: context.span(node.name ?? node), handlerName: name, chain: [], handler: handlerItem(node, context) });
      return;
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(sourceFile, 0);
  return routes;
}

function isAsync(fn: ts.SignatureDeclaration): boolean {
  return (ts.getModifiers(fn as ts.FunctionDeclaration) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword);
}

function functionName(node: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name) return node.name.text;
  if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
  if (ts.isPropertyAssignment(node.parent)) return node.parent.name.getText();
  return undefined;
}
