import ts = require('typescript');
import { calleeName, isFunctionLike, stringValue } from '../../js/astUtil';
import { pathOf } from './pathValue';
import { NameMentions } from '../../js/nameMentions';
import type { Framework, HttpMethod } from '../routeTypes';
import type { AuthInsertion, ChainItem, Registration, RouterFact } from '../routeFacts';
import { chainItemsOf } from './chainItems';
import { requiredModule, skipWrappers, type JsFileContext } from './jsFileContext';
import { cachedEffects, knownWithoutFactory, nodeId, registrationEnvironment, rememberWithoutFactory, storeEffects, type RouterEffect } from './registrationCache';

/**
 * Routers and apps built by calls — Express, Koa (@koa/router), Hono, Fastify — and what is
 * registered on them, in source order (order decides which middleware runs before a route).
 */

const HTTP_METHODS: Record<string, HttpMethod> = {
  get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', del: 'DELETE', head: 'HEAD', options: 'OPTIONS', all: 'ALL',
};

/** Modules whose imports create apps and routers (see factoryOf). */
const FACTORY_MODULES = new Set(['express', '@koa/router', 'koa-router', 'koa', 'hono', 'fastify']);

interface Factory {
  framework: Framework;
  isApp: boolean;
}

/** Which call creates an app or router, given what the callee was imported from. */
function factoryOf(node: ts.Expression, context: JsFileContext): { factory: Factory; prefix?: string } | undefined {
  let current = skipWrappers(node);
  let prefix: string | undefined;
  // new Hono().basePath('/api')
  if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === 'basePath') {
    prefix = pathOf(current.arguments[0], context, true);
    current = current.expression.expression;
  }
  if (!ts.isCallExpression(current) && !ts.isNewExpression(current)) return undefined;
  const inline = inlineRequire(current.expression);
  const callee = inline ? undefined : calleeName(current);
  if (!callee && !inline) return undefined;
  const [root, member] = inline ? [undefined, inline.member] : callee!.split('.');
  const module = inline ? inline.module : context.importOf(root!)?.module;
  const imported = inline ? 'default' : context.imports.get(root!)?.imported;
  const options = current.arguments?.[0];
  const optionPrefix = options && ts.isObjectLiteralExpression(options) ? pathOf(propertyNamed(options, 'prefix')?.initializer, context, true) : undefined;

  if (module === 'express') {
    if (!member && (imported === 'default' || imported === '*')) return { factory: { framework: 'express', isApp: true } };
    if ((member === 'Router' && !imported?.match(/^Router$/)) || (!member && imported === 'Router')) return { factory: { framework: 'express', isApp: false } };
  }
  if ((module === '@koa/router' || module === 'koa-router') && !member) return { factory: { framework: 'koa', isApp: false }, prefix: optionPrefix };
  if (module === 'koa' && !member) return { factory: { framework: 'koa', isApp: true } };
  if (module === 'hono' && (imported === 'Hono' || member === 'Hono')) return { factory: { framework: 'hono', isApp: true }, prefix };
  if (module === 'fastify' && !member) return { factory: { framework: 'fastify', isApp: true } };
  return undefined;
}

/** `require('express')()` and `require('express').Router()`: the module, and the member called if any. */
function inlineRequire(callee: ts.Expression): { module: string; member?: string } | undefined {
  const direct = requiredModule(callee);
  if (direct !== undefined) return { module: direct };
  if (ts.isPropertyAccessExpression(callee)) {
    const module = requiredModule(callee.expression);
    if (module !== undefined) return { module, member: callee.name.text };
  }
  return undefined;
}

/** A framework module required in place rather than bound to a name first. */
const INLINE_FACTORY_REQUIRE = /\brequire\(\s*['"](?:express|@koa\/router|koa-router|koa|hono|fastify)['"]\s*\)\s*[(.]/;

export function extractCallRouters(context: JsFileContext): RouterFact[] {
  const routers = new Map<string, RouterFact>();
  const sourceFile = context.sourceFile;

  // 1. Variables holding apps and routers (top level, or inside a setup function). A factory
  // call names an import from a framework module, so only subtrees mentioning one are walked,
  // and a statement found without one is skipped until it or those imports change.
  const factoryImports = [...context.imports.values()].filter((entry) => FACTORY_MODULES.has(entry.module));
  const factoryNames = factoryImports.map((entry) => entry.local);
  const inlineFactories = INLINE_FACTORY_REQUIRE.test(context.file.text);
  if (inlineFactories) factoryNames.push('require');
  const factoryEnvironment = registrationEnvironment(JSON.stringify([...factoryImports.map((entry) => `${entry.local}=${entry.module}#${entry.imported}`), inlineFactories]));
  let declaresFactory = false;
  const findFactories = (node: ts.Node, depth: number, mentions: NameMentions): void => {
    if (depth > 60 || !mentions.within(node.pos, node.end)) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const found = factoryOf(node.initializer, context);
      if (found) declaresFactory = true;
      if (found && !routers.has(node.name.text)) {
        routers.set(node.name.text, { name: node.name.text, ...found.factory, ...(found.prefix ? { prefix: found.prefix } : {}), span: context.span(node.name), registrations: [] });
        context.routerNames.add(node.name.text);
      }
    }
    ts.forEachChild(node, (child) => findFactories(child, depth + 1, mentions));
  };
  for (const statement of factoryNames.length > 0 ? sourceFile.statements : []) {
    if (knownWithoutFactory(statement, factoryEnvironment)) continue;
    declaresFactory = false;
    const mentions = NameMentions.in(context.file.text, factoryNames, statement.pos, statement.end);
    if (!mentions.none) findFactories(statement, 1, mentions);
    if (!declaresFactory) rememberWithoutFactory(statement, factoryEnvironment);
  }

  // 2. Fastify plugins: functions whose first parameter is the instance they register routes on.
  const plugins = new Map<string, string>();
  const pluginFunctions: { instance: string; name: string; fn: ts.FunctionLikeDeclaration }[] = [];
  for (const [name, fn] of context.functions) {
    const first = fn.parameters[0];
    if (!first || !ts.isIdentifier(first.name) || routers.has(name)) continue;
    const instance = first.name.text;
    if (!/^(fastify|app|server|instance|router|api)$/.test(instance) || !fn.body) continue;
    if (!new RegExp(`\\b${instance}\\.(get|post|put|patch|delete|route|register|addHook)\\s*\\(`).test(fn.body.getText(sourceFile))) continue;
    plugins.set(instance + '@' + fn.pos, name);
    pluginFunctions.push({ instance, name, fn });
    routers.set(name, { name, framework: 'fastify', isApp: false, span: context.span(fn.name ?? fn), registrations: [] });
    context.routerNames.add(name);
  }

  if (routers.size === 0) return [];

  // 3. Registrations, in source order.
  const routerOf = (expression: ts.Expression, node: ts.Node): RouterFact | undefined => {
    if (!ts.isIdentifier(expression)) return undefined;
    const direct = routers.get(expression.text);
    if (direct) return direct;
    // Inside a Fastify plugin, the instance parameter stands for the plugin's router.
    for (let parent: ts.Node | undefined = node.parent; parent; parent = parent.parent) {
      if ((ts.isFunctionDeclaration(parent) || ts.isArrowFunction(parent) || ts.isFunctionExpression(parent)) && parent.parameters[0] && ts.isIdentifier(parent.parameters[0].name) && parent.parameters[0].name.text === expression.text) {
        const name = plugins.get(expression.text + '@' + parent.pos);
        return name ? routers.get(name) : undefined;
      }
    }
    return undefined;
  };

  const visit = (node: ts.Node, depth: number, mentions: NameMentions, effects: RouterEffect[]): void => {
    if (depth > 200 || !mentions.within(node.pos, node.end)) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const registration = registrationOf(node, node.expression, routerOf, context);
      if (registration) effects.push({ router: registration.router.name, registrations: registration.registrations, ...(registration.prefix !== undefined ? { prefix: registration.prefix } : {}) });
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1, mentions, effects));
  };

  const environment = registrationEnvironment(JSON.stringify([
    context.symbolSignature,
    [...routers.values()].map((router) => `${router.name}:${router.framework}`),
    pluginFunctions.map((plugin) => `${plugin.instance}>${plugin.name}#${nodeId(plugin.fn)}`),
    [...context.callAliases].map(([name, alias]) => `${name}#${nodeId(alias)}`),
    // Paths read through the file's constants (pathValue.ts): an edit of one re-reads every registration.
    [...context.constants].map(([name, value]) => `${name}#${nodeId(value)}`),
  ]));
  // A registration's callee starts with a router's name or a plugin's instance parameter.
  const registeringNames = [...routers.keys(), ...pluginFunctions.map((plugin) => plugin.instance)];
  for (const statement of sourceFile.statements) {
    let effects = cachedEffects(statement, environment, context);
    if (!effects) {
      effects = [];
      const mentions = NameMentions.in(context.file.text, registeringNames, statement.pos, statement.end);
      if (!mentions.none) visit(statement, 1, mentions, effects);
      storeEffects(statement, environment, effects, context);
    }
    for (const effect of effects) {
      const router = routers.get(effect.router)!;
      router.registrations.push(...effect.registrations);
      if (effect.prefix !== undefined) router.prefix = effect.prefix;
    }
  }
  return [...routers.values()];
}

function registrationOf(
  call: ts.CallExpression,
  access: ts.PropertyAccessExpression,
  routerOf: (expression: ts.Expression, node: ts.Node) => RouterFact | undefined,
  context: JsFileContext,
): { router: RouterFact; registrations: Registration[]; prefix?: string } | undefined {
  const methodName = access.name.text;
  const target = access.expression;

  // app.route('/x').get(h).post(h) — Express route chains.
  const chained = routeChainBase(target, context);
  if (chained && HTTP_METHODS[methodName]) {
    const router = routerOf(chained.object, call);
    if (!router) return undefined;
    const items = call.arguments.flatMap((argument) => chainItemsOf(argument, context));
    return { router, registrations: [routeRegistration([HTTP_METHODS[methodName]], chained.path, items, call, context)] };
  }

  const router = routerOf(target, call);
  if (!router) return undefined;
  const args = call.arguments;
  const span = context.span(call);

  if (HTTP_METHODS[methodName]) {
    const path = pathOf(args[0], context, args.length > 1);
    if (path === undefined) return undefined; // app.get('setting') in Express reads a setting
    const rest = args.slice(1);
    if (router.framework === 'fastify') {
      const options = rest.length > 1 && ts.isObjectLiteralExpression(rest[0]) ? rest[0] : undefined;
      const handler = rest[rest.length - 1];
      const chain = options ? fastifyHooks(options, context) : [];
      const optionHandler = options && !handler ? propertyNamed(options, 'handler')?.initializer : undefined;
      const handlerItems = handler ? chainItemsOf(handler, context) : optionHandler ? chainItemsOf(optionHandler, context) : [];
      const insertion = options ? undefined : afterArgument(call, 0, 'fastify-options');
      return { router, registrations: [routeRegistration([HTTP_METHODS[methodName]], path, [...chain, ...handlerItems], call, context, insertion)] };
    }
    const items = rest.flatMap((argument) => chainItemsOf(argument, context));
    return { router, registrations: [routeRegistration([HTTP_METHODS[methodName]], path, items, call, context, afterArgument(call, 0))] };
  }

  if (methodName === 'route' && router.framework === 'fastify' && args[0] && ts.isObjectLiteralExpression(args[0])) {
    const options = args[0];
    const url = pathOf(propertyNamed(options, 'url')?.initializer ?? propertyNamed(options, 'path')?.initializer, context, true);
    const methods = methodsOf(propertyNamed(options, 'method')?.initializer);
    const handler = propertyNamed(options, 'handler')?.initializer;
    if (url === undefined || methods.length === 0) return undefined;
    const items = [...fastifyHooks(options, context), ...(handler ? chainItemsOf(handler, context) : [])];
    return { router, registrations: [routeRegistration(methods, url, items, call, context)] };
  }

  if (methodName === 'route' && router.framework === 'hono' && args.length >= 2) {
    const path = pathOf(args[0], context, true);
    const [target] = chainItemsOf(args[1], context);
    if (path === undefined || !target.ref) return undefined;
    return { router, registrations: [{ kind: 'mount', path, chain: [], target: target.ref, span }] };
  }

  if (methodName === 'use') {
    const path = pathOf(args[0], context, args.length > 1);
    const itemArgs = path === undefined ? args : args.slice(1);
    const chain: ChainItem[] = [];
    const registrations: Registration[] = [];
    for (const argument of itemArgs) {
      // app.use(router.routes()) — Koa mounts a router through .routes().
      const unwrapped = skipWrappers(argument);
      if (ts.isCallExpression(unwrapped) && ts.isPropertyAccessExpression(unwrapped.expression) && /^(routes|middleware)$/.test(unwrapped.expression.name.text)) {
        const [mounted] = chainItemsOf(unwrapped.expression.expression, context);
        if (mounted.ref) registrations.push({ kind: 'mount', path, chain: [...chain], target: mounted.ref, span });
        continue;
      }
      if (ts.isCallExpression(unwrapped) && ts.isPropertyAccessExpression(unwrapped.expression) && unwrapped.expression.name.text === 'allowedMethods') continue;
      chain.push(...chainItemsOf(argument, context));
    }
    if (chain.length > 0) registrations.unshift({ kind: 'use', ...(path !== undefined ? { path } : {}), chain, span });
    return { router, registrations };
  }

  if (methodName === 'register' && router.framework === 'fastify' && args[0]) {
    const options = args[1] && ts.isObjectLiteralExpression(args[1]) ? args[1] : undefined;
    const prefix = options ? pathOf(propertyNamed(options, 'prefix')?.initializer, context, true) : undefined;
    const [target] = chainItemsOf(args[0], context);
    if (!target.ref) return undefined;
    return { router, registrations: [{ kind: 'mount', ...(prefix !== undefined ? { path: prefix } : {}), chain: [], target: target.ref, span }] };
  }

  if (methodName === 'addHook' && router.framework === 'fastify' && /^(onRequest|preHandler|preValidation|preParsing)$/.test(stringValue(args[0]) ?? '') && args[1]) {
    return { router, registrations: [{ kind: 'use', chain: chainItemsOf(args[1], context), span }] };
  }

  if (methodName === 'prefix' && router.framework === 'koa') {
    const prefix = pathOf(args[0], context, true);
    if (prefix !== undefined) return { router, registrations: [], prefix };
  }
  return undefined;
}

function routeRegistration(methods: HttpMethod[], path: string, items: ChainItem[], call: ts.CallExpression, context: JsFileContext, insertion?: AuthInsertion): Registration {
  const handler = items.length > 0 ? items[items.length - 1] : undefined;
  // The squiggle covers `router.post('/orders'`, not the whole (often long) call.
  const head = call.arguments[0] && !isFunctionLike(call.arguments[0]) ? context.spanBetween(call.getStart(context.sourceFile), call.arguments[0].getEnd()) : context.span(call.expression);
  return { kind: 'route', methods, path, chain: items.slice(0, -1), ...(handler ? { handler } : {}), span: head, ...(insertion ? { insertion } : {}) };
}

/** Right after the path argument: where a middleware goes in `router.post('/x', …)`. */
function afterArgument(call: ts.CallExpression, index: number, kind: AuthInsertion['kind'] = 'argument'): AuthInsertion | undefined {
  const argument = call.arguments[index];
  return argument ? { offset: argument.getEnd(), kind } : undefined;
}

/** `X.route('/path')` at the start of a chain of `.get(…).post(…)`. */
function routeChainBase(node: ts.Expression, context: JsFileContext): { object: ts.Expression; path: string } | undefined {
  let current = node;
  for (let depth = 0; depth < 12; depth++) {
    if (!ts.isCallExpression(current) || !ts.isPropertyAccessExpression(current.expression)) return undefined;
    const name = current.expression.name.text;
    if (name === 'route') {
      const path = pathOf(current.arguments[0], context, true);
      return path === undefined ? undefined : { object: current.expression.expression, path };
    }
    if (!HTTP_METHODS[name]) return undefined;
    current = current.expression.expression;
  }
  return undefined;
}

/** Fastify route options: preHandler / onRequest / preValidation hooks, in the order Fastify runs them. */
function fastifyHooks(options: ts.ObjectLiteralExpression, context: JsFileContext): ChainItem[] {
  const items: ChainItem[] = [];
  for (const hook of ['onRequest', 'preParsing', 'preValidation', 'preHandler']) {
    const value = propertyNamed(options, hook)?.initializer;
    if (value) items.push(...chainItemsOf(value, context));
  }
  return items;
}

function methodsOf(node: ts.Expression | undefined): HttpMethod[] {
  if (!node) return [];
  const single = stringValue(node);
  if (single) return HTTP_METHODS[single.toLowerCase()] ? [HTTP_METHODS[single.toLowerCase()]] : [];
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((element) => methodsOf(element));
  return [];
}


export function propertyNamed(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === name) return property;
  }
  return undefined;
}
