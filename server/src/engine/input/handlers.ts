import ts = require('typescript');
import { decoratorCall, decoratorsOf, hasDirective, hasModifier, isFunctionNode, literalText, propertyNameText, typeReferenceName, unwrap, type FunctionNode } from '../js/flowSyntax';
import { fromFirebase, type FileFacts } from './fileFacts';
import { calleeLastName } from '../js/astUtil';
import { PAGES_FUNCTION_EXPORT } from '../routes/js/conventionPaths';
import type { InputRuleData, SourceEntry } from './ruleData';

/**
 * Which functions receive a request, and what each parameter is: Express/Fastify/Koa/Hono
 * route callbacks and controllers, Next.js route handlers, pages and server actions, NestJS
 * controller methods. Anything else is not a handler: frameworks we do not recognise get no
 * guesses.
 */

export type ParamRole =
  | { kind: 'root'; root: string }
  | { kind: 'source'; location: string; field?: string; structured?: boolean; whole?: boolean }
  | { kind: 'clean' };

export interface HandlerContext {
  fn: FunctionNode;
  framework: 'express' | 'koa' | 'hono' | 'next-route' | 'next-page' | 'server-action' | 'nest' | 'fetch' | 'firebase-callable' | 'netlify' | 'cloudflare-pages';
  roles: (ParamRole | undefined)[];
  /** Request locations a route schema or validation middleware already checked ('*': all). */
  validated: Set<string>;
  /** express-validator chains on the route: location → checked field names ('*' location: any). */
  fieldChecks?: Map<string, Set<string>>;
  /** The fields count as checked once validationResult(req) has been called (or a middleware did it). */
  fieldChecksActive: boolean;
  /** For names of generated schemas: handler or route name, HTTP method and path. */
  name?: string;
  method?: string;
  routePath?: string;
}

export interface HandlerEnvironment {
  data: InputRuleData;
  facts: FileFacts;
  /** Extra validator names from .shipshape.json. */
  validators: ReadonlySet<string>;
}

/** Whether any function of the file is a request handler (stops at the first). */
export function holdsHandler(sourceFile: ts.SourceFile, env: HandlerEnvironment): boolean {
  const visit = (node: ts.Node): boolean => (isFunctionNode(node) && detectHandler(node, env) !== undefined) || ts.forEachChild(node, visit) === true;
  return ts.forEachChild(sourceFile, visit) === true;
}

export function detectHandler(fn: FunctionNode, env: HandlerEnvironment): HandlerContext | undefined {
  if (!fn.body || fn.parameters.length === 0) return undefined;
  if (!mayBeHandler(fn, env)) return undefined;
  if (ts.isMethodDeclaration(fn)) {
    const nest = nestHandler(fn, env);
    if (nest) return nest;
  }
  const exported = exportedName(fn);
  if (isServerAction(fn, exported, env)) return serverAction(fn, env, exported?.name);
  const { handlers } = env.data;
  if (exported && handlers.nextRouteExports.includes(exported.name) && fn.parameters.length > 0) {
    return {
      fn,
      framework: 'next-route',
      roles: [{ kind: 'root', root: 'request' }, { kind: 'root', root: 'routeContext' }],
      validated: new Set(),
      fieldChecksActive: false,
      name: exported.name,
      method: exported.name,
    };
  }
  // Netlify functions: `export const handler = async (event) => …` (an API Gateway event), or a default export taking a web Request.
  if (env.facts.netlifyFunction && (exported?.name === 'handler' || exported?.name === 'default')) {
    return { fn, framework: 'netlify', roles: [{ kind: 'root', root: exported.name === 'handler' ? 'lambdaEvent' : 'request' }], validated: new Set(), fieldChecksActive: false, name: exported.name };
  }
  // Cloudflare Pages Functions: `export const onRequestPost = async ({ request, params }) => …`.
  if (env.facts.pagesFunction && exported && PAGES_FUNCTION_EXPORT.test(exported.name)) {
    return { fn, framework: 'cloudflare-pages', roles: [{ kind: 'root', root: 'pagesContext' }], validated: new Set(), fieldChecksActive: false, name: exported.name };
  }
  if (env.facts.pageFile && exported && handlers.pageExports.includes(exported.name) && fn.parameters.length > 0) {
    return { fn, framework: 'next-page', roles: [{ kind: 'root', root: 'pageProps' }], validated: new Set(), fieldChecksActive: false, name: exported.name === 'default' ? 'Page' : exported.name };
  }
  const callable = firebaseCallable(fn, env);
  if (callable) return callable;
  const registration = registrationOf(fn, env);
  const root = signatureRoot(fn, env, !!registration);
  if (!root) return undefined;
  const context: HandlerContext = {
    fn,
    framework: root.framework,
    roles: [{ kind: 'root', root: root.root }],
    validated: new Set(),
    fieldChecksActive: false,
    name: functionName(fn),
  };
  if (registration) applyRegistration(context, registration, fn, env);
  return context;
}

/**
 * Most functions are callbacks (`rows.map((row) => …)`): a cheap look at the first parameter
 * rules them out before the surrounding code is examined.
 */
function mayBeHandler(fn: FunctionNode, env: HandlerEnvironment): boolean {
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || env.facts.useServer || env.facts.pageFile || env.facts.netlifyFunction || env.facts.pagesFunction) return true;
  if (isOnCallArgument(fn, env)) return true;
  const first = fn.parameters[0];
  if (first.type) return true;
  if (ts.isIdentifier(first.name)) {
    const name = first.name.text;
    const { handlers } = env.data;
    if (handlers.requestNames.includes(name) || handlers.contextNames.includes(name)) return true;
  }
  return !!fn.body && ts.isBlock(fn.body) && hasDirective(fn.body.statements, 'use server');
}

// ---- Express / Fastify / Koa / Hono by signature ----

/** Type names that make a second parameter a response, whatever it is called. */
export const RESPONSE_TYPES: readonly string[] = ['Response', 'NextApiResponse', 'FastifyReply', 'ServerResponse'];

function paramName(parameter: ts.ParameterDeclaration | undefined): string | undefined {
  return parameter && ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
}

function signatureRoot(fn: FunctionNode, env: HandlerEnvironment, registered: boolean): { root: string; framework: HandlerContext['framework'] } | undefined {
  const { handlers } = env.data;
  const [first, second] = fn.parameters;
  const firstName = paramName(first);
  if (!firstName) return undefined;
  const firstType = typeReferenceName(first.type);
  const secondName = paramName(second);
  const secondType = typeReferenceName(second?.type);
  const requestLike = handlers.requestNames.includes(firstName) || (!!firstType && handlers.requestTypes.includes(firstType));
  if (requestLike) {
    const responseLike = (!!secondName && handlers.responseNames.includes(secondName)) || (!!secondType && RESPONSE_TYPES.includes(secondType));
    if (registered || responseLike || env.facts.frameworkImport) return { root: 'request', framework: 'express' };
    // A web-standard handler (Deno.serve, Supabase Edge Functions, Workers): `request.json()`, `new URL(request.url)`.
    if (env.facts.fetchServer) return { root: 'request', framework: 'fetch' };
    return undefined;
  }
  const contextLike = handlers.contextNames.includes(firstName) || (!!firstType && handlers.contextTypes.includes(firstType));
  if (contextLike) {
    const koaMiddleware = firstName === 'ctx' && secondName === 'next';
    if (registered || env.facts.contextImport || koaMiddleware) {
      return { root: 'context', framework: env.facts.modules.has('hono') || firstName === 'c' ? 'hono' : 'koa' };
    }
  }
  return undefined;
}

interface Registration {
  call: ts.CallExpression;
  method: string;
  path?: string;
  /** The arguments other than the handler (middleware, options). */
  others: ts.Expression[];
}

/** The route registration the function is passed to: `app.get('/x', mw, fn)`, `fastify.route({ handler })`. */
function registrationOf(fn: FunctionNode, env: HandlerEnvironment): Registration | undefined {
  let node: ts.Node = fn;
  for (let depth = 0; depth < 3; depth++) {
    const parent: ts.Node | undefined = node.parent;
    if (!parent) return undefined;
    if (ts.isParenthesizedExpression(parent)) {
      node = parent;
      continue;
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
      const registration = asRegistration(parent, node, env);
      if (registration) return registration;
      // A wrapper such as asyncHandler(fn): look one call further out.
      node = parent;
      continue;
    }
    if (ts.isPropertyAssignment(parent) && propertyNameText(parent.name) === 'handler' && ts.isObjectLiteralExpression(parent.parent) && ts.isCallExpression(parent.parent.parent)) {
      const registration = asRegistration(parent.parent.parent, parent.parent, env);
      if (registration) registration.others.push(parent.parent);
      return registration;
    }
    return undefined;
  }
  return undefined;
}

function asRegistration(call: ts.CallExpression, handlerArgument: ts.Node, env: HandlerEnvironment): Registration | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (!env.data.handlers.registrationMethods.includes(method)) return undefined;
  const path = literalText(call.arguments[0]);
  return { call, method, path, others: call.arguments.filter((argument) => argument !== handlerArgument) };
}

/** Route schemas (Fastify), validation middleware and express-validator chains on the route. */
function applyRegistration(context: HandlerContext, registration: Registration, fn: FunctionNode, env: HandlerEnvironment): void {
  context.method = registration.method;
  context.routePath = registration.path;
  const { data } = env;
  let chains = false;
  let otherMiddleware = false;
  const visit = (argument: ts.Expression): void => {
    const expression = unwrap(argument);
    if (ts.isArrayLiteralExpression(expression)) {
      expression.elements.forEach(visit);
      return;
    }
    if (ts.isObjectLiteralExpression(expression)) {
      for (const property of expression.properties) {
        if (propertyNameText(property.name) !== 'schema') continue;
        const schema = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
        if (schema && ts.isObjectLiteralExpression(schema)) {
          for (const part of schema.properties) {
            const key = propertyNameText(part.name);
            const location = key === 'querystring' ? 'query' : key;
            if (location && ['body', 'query', 'params', 'headers'].includes(location)) context.validated.add(location);
          }
        } else {
          context.validated.add('*');
        }
      }
      return;
    }
    const chain = expressValidatorChain(expression, env);
    if (chain) {
      chains = true;
      context.fieldChecks ??= new Map();
      for (const field of chain.fields) {
        const set = context.fieldChecks.get(chain.location) ?? new Set<string>();
        set.add(field);
        context.fieldChecks.set(chain.location, set);
      }
      return;
    }
    const name = middlewareName(expression);
    if (!name) return;
    if (data.middlewareNames.has(name) || data.middlewarePattern.test(name) || env.validators.has(name)) {
      context.validated.add('*');
    } else if (expression !== fn) {
      otherMiddleware = true;
    }
  };
  registration.others.forEach(visit);
  // express-validator chains only stop bad input when something checks validationResult().
  if (chains && otherMiddleware) context.fieldChecksActive = true;
}

function middlewareName(expression: ts.Expression): string | undefined {
  let current = expression;
  if (ts.isCallExpression(current)) current = current.expression;
  if (ts.isIdentifier(current)) return current.text;
  if (ts.isPropertyAccessExpression(current)) return current.name.text;
  return undefined;
}

/** `body('email').isEmail().normalizeEmail()` → { location: 'body', fields: ['email'] }. */
function expressValidatorChain(expression: ts.Expression, env: HandlerEnvironment): { location: string; fields: string[] } | undefined {
  let current: ts.Expression = expression;
  let innermost: ts.CallExpression | undefined;
  for (let depth = 0; depth < 40; depth++) {
    if (ts.isCallExpression(current)) {
      innermost = current;
      current = current.expression;
    } else if (ts.isPropertyAccessExpression(current)) {
      current = current.expression;
    } else {
      break;
    }
  }
  if (!innermost || !ts.isIdentifier(innermost.expression)) return undefined;
  const imported = env.facts.imports.get(innermost.expression.text);
  if (!imported || !env.data.expressValidator.modules.has(imported.module)) return undefined;
  const location = env.data.expressValidator.chains[imported.imported];
  if (!location) return undefined;
  const first = innermost.arguments[0];
  const fields: string[] = [];
  if (imported.imported === 'checkSchema' && first && ts.isObjectLiteralExpression(unwrap(first))) {
    for (const property of (unwrap(first) as ts.ObjectLiteralExpression).properties) {
      const key = propertyNameText(property.name);
      if (key) fields.push(key);
    }
  } else {
    const single = literalText(first);
    if (single !== undefined) fields.push(single);
    else if (first && ts.isArrayLiteralExpression(unwrap(first))) {
      for (const element of (unwrap(first) as ts.ArrayLiteralExpression).elements) {
        const text = literalText(element);
        if (text !== undefined) fields.push(text);
      }
    }
  }
  return { location: location === '*' ? '*' : location, fields };
}

// ---- Next.js ----

/** The name a function is exported under: `export function GET`, `export const POST = wrap(async …)`, `export default`. */
function exportedName(fn: FunctionNode): { name: string } | undefined {
  if (ts.isFunctionDeclaration(fn)) {
    if (!hasModifier(fn, ts.SyntaxKind.ExportKeyword) || !ts.isSourceFile(fn.parent)) return undefined;
    if (hasModifier(fn, ts.SyntaxKind.DefaultKeyword)) return { name: 'default' };
    return fn.name ? { name: fn.name.text } : undefined;
  }
  let node: ts.Node = fn;
  for (let depth = 0; depth < 4; depth++) {
    const parent: ts.Node | undefined = node.parent;
    if (!parent) return undefined;
    if (ts.isParenthesizedExpression(parent) || (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) {
      node = parent;
      continue;
    }
    if (ts.isExportAssignment(parent) && ts.isSourceFile(parent.parent)) return { name: 'default' };
    if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) {
      const statement = parent.parent?.parent;
      if (statement && ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent) && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) return { name: parent.name.text };
    }
    return undefined;
  }
  return undefined;
}

function isServerAction(fn: FunctionNode, exported: { name: string } | undefined, env: HandlerEnvironment): boolean {
  if (fn.body && ts.isBlock(fn.body) && hasDirective(fn.body.statements, 'use server')) return true;
  // Every export of a 'use server' file is an action the browser can call with any arguments.
  return env.facts.useServer && !!exported;
}

function serverAction(fn: FunctionNode, env: HandlerEnvironment, name: string | undefined): HandlerContext {
  const roles: ParamRole[] = fn.parameters.map((parameter) => {
    const typeName = typeReferenceName(parameter.type);
    const declaredName = paramName(parameter);
    const form = typeName === 'FormData' || (!!declaredName && env.data.handlers.formDataNames.includes(declaredName));
    return form ? { kind: 'source', location: 'form', whole: false, structured: false } : { kind: 'source', location: 'action' };
  });
  return { fn, framework: 'server-action', roles, validated: new Set(), fieldChecksActive: false, name: name ?? functionName(fn) };
}

// ---- Firebase callable functions ----

/** A function passed to something called `onCall`, or handed to one by name (v1's `(data, context)` has no request-like name to go by). */
function isOnCallArgument(fn: FunctionNode, env: HandlerEnvironment): boolean {
  const parent = fn.parent;
  if (parent && ts.isCallExpression(parent) && calleeLastName(parent.expression) === 'onCall') return true;
  const name = functionName(fn);
  return name !== undefined && env.facts.callableHandlers.has(name);
}

/**
 * The function given to a Firebase `onCall(…)` (`https.onCall`, `functions.https.onCall`, also with
 * options first, or by name: `onCall(handleCall)`): what the client sends is input. In
 * firebase-functions v2 the handler gets one `request` (`request.data`; `request.auth` says who
 * calls); v1's gets `(data, context)`.
 */
function firebaseCallable(fn: FunctionNode, env: HandlerEnvironment): HandlerContext | undefined {
  const call = fn.parent;
  const inline = !!call && ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression) && calleeLastName(call.expression) === 'onCall';
  const module = inline ? fromFirebase((call as ts.CallExpression).expression, env.facts, env.data) : undefined;
  const name = functionName(fn);
  if (module === undefined && !(name !== undefined && env.facts.callableHandlers.has(name))) return undefined;
  const [first, second] = fn.parameters.map(paramName);
  const v1 = !!module?.includes('/v1') || first === 'data' || (fn.parameters.length === 2 && (second === 'context' || second === 'ctx'));
  const roles: ParamRole[] = v1 ? [{ kind: 'source', location: 'callable' }, { kind: 'clean' }] : [{ kind: 'root', root: 'callableRequest' }];
  return { fn, framework: 'firebase-callable', roles, validated: new Set(), fieldChecksActive: false, name: name ?? (inline ? exportedCallableName(call as ts.CallExpression) : undefined) };
}

function exportedCallableName(call: ts.CallExpression): string | undefined {
  const declaration = call.parent;
  return declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
}

// ---- NestJS ----

function nestHandler(method: ts.MethodDeclaration, env: HandlerEnvironment): HandlerContext | undefined {
  const { data, facts } = env;
  const nestName = (local: string): string | undefined => {
    const imported = facts.imports.get(local);
    return imported && data.handlers.nestModules.includes(imported.module) ? imported.imported : undefined;
  };
  const roles: (ParamRole | undefined)[] = [];
  let any = false;
  const classNode = method.parent;
  const pipesOn = (node: ts.Node) => decoratorsOf(node).some((decorator) => {
    const call = decoratorCall(decorator);
    return !!call && data.nest.usePipes.has(nestName(call.name) ?? '');
  });
  const routePiped = pipesOn(method) || (ts.isClassDeclaration(classNode) && pipesOn(classNode));
  for (const parameter of method.parameters) {
    let role: ParamRole | undefined;
    for (const decorator of decoratorsOf(parameter)) {
      const call = decoratorCall(decorator);
      const name = call && nestName(call.name);
      const entry = name ? data.handlers.nestParamDecorators[name] : undefined;
      if (!call || !entry) continue;
      any = true;
      role = nestParamRole(entry, call.args, parameter, routePiped, env);
    }
    roles.push(role);
  }
  if (!any) return undefined;
  return { fn: method, framework: 'nest', roles, validated: new Set(), fieldChecksActive: false, name: propertyNameText(method.name) };
}

function nestParamRole(entry: SourceEntry, args: readonly ts.Expression[], parameter: ts.ParameterDeclaration, routePiped: boolean, env: HandlerEnvironment): ParamRole {
  if (typeof entry !== 'string' && entry.root) return { kind: 'root', root: entry.root };
  const location = typeof entry === 'string' ? entry : entry.location ?? 'body';
  const field = literalText(args[0]);
  // Any pipe on the parameter (ValidationPipe, ParseIntPipe, a zod pipe) or on the route validates it.
  const pipes = args.filter((argument) => literalText(argument) === undefined);
  if (routePiped || pipes.length > 0) return { kind: 'clean' };
  if (field === undefined && validatedDto(parameter.type, env)) return { kind: 'clean' };
  return field === undefined ? { kind: 'source', location } : { kind: 'source', location, field, whole: false };
}

/**
 * Whether `@Body() dto: T` is validated by a ValidationPipe: T is a class with class-validator
 * decorators in this file, or a class imported from elsewhere (the global ValidationPipe in
 * main.ts cannot be seen from here, so imported DTOs are trusted). Interfaces, type literals,
 * any and primitives are never validated.
 */
function validatedDto(type: ts.TypeNode | undefined, env: HandlerEnvironment): boolean {
  const name = typeReferenceName(type);
  if (!name || env.data.nest.notDto.has(name)) return false;
  if (env.facts.typeDeclarations.has(name)) return false;
  const declaration = env.facts.classes.get(name);
  if (!declaration) return true;
  return declaration.members.some((member) => decoratorsOf(member).some((decorator) => {
    const call = decoratorCall(decorator);
    if (!call) return false;
    const imported = env.facts.imports.get(call.name);
    return (imported && env.data.nest.classValidatorModules.has(imported.module)) || env.data.nest.classValidatorDecorator.test(call.name);
  }));
}

function functionName(fn: FunctionNode): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name) return propertyNameText(fn.name);
  let node: ts.Node = fn;
  for (let depth = 0; depth < 3; depth++) {
    const parent: ts.Node | undefined = node.parent;
    if (!parent) return undefined;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyAssignment(parent)) return propertyNameText(parent.name);
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
    if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
      node = parent;
      continue;
    }
    return undefined;
  }
  return undefined;
}
