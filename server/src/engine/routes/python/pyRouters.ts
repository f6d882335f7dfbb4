import type { PyCall, PyClassDef, PyExpr, PyFunctionDef } from '../../python/ast';
import { dottedName, keywordArg, positionalArg, stringValue } from '../../python/walk';
import type { Framework, HttpMethod } from '../routeTypes';
import type { AuthInsertion, ChainItem, ParameterTypes, Registration, RouterFact, SourceSpan } from '../routeFacts';
import { analyzePyFunction } from './pyBodyAuth';
import { decoratorItem, dependencyItem, isDependsCall, parameterItems } from './pyChainItems';
import type { PyFileContext } from './pyFileContext';
import { listElements, methodList } from './pyViews';
import { pathFromExpr, urlParameterTypes } from './pyPaths';

/**
 * Flask (and Quart, APIFlask) apps and blueprints, Flask-RESTful / Flask-RESTX APIs, FastAPI
 * apps and routers: what is registered on them, in source order — route decorators with the
 * decorators or dependencies under them, `before_request` hooks and middleware (which guard
 * the whole app or blueprint), blueprints and routers mounted with a prefix.
 */

interface Factory {
  framework: Framework;
  isApp: boolean;
  /** Where the router's own prefix is: `url_prefix=` (Blueprint), `prefix=` (APIRouter), `path=` (Namespace). */
  prefixKeyword?: string;
  modules: RegExp;
}

const FACTORIES: Record<string, Factory> = {
  Flask: { framework: 'flask', isApp: true, modules: /^(flask|quart)$/ },
  Quart: { framework: 'flask', isApp: true, modules: /^quart$/ },
  APIFlask: { framework: 'flask', isApp: true, modules: /^apiflask$/ },
  Blueprint: { framework: 'flask', isApp: false, prefixKeyword: 'url_prefix', modules: /^(flask|quart|flask_smorest|apiflask)$/ },
  APIBlueprint: { framework: 'flask', isApp: false, prefixKeyword: 'url_prefix', modules: /^apiflask$/ },
  Namespace: { framework: 'flask', isApp: false, prefixKeyword: 'path', modules: /^flask_restx|^flask_restplus/ },
  FastAPI: { framework: 'fastapi', isApp: true, modules: /^fastapi$/ },
  APIRouter: { framework: 'fastapi', isApp: false, prefixKeyword: 'prefix', modules: /^fastapi/ },
};

const ROUTE_METHODS: Record<string, HttpMethod | 'route'> = {
  route: 'route', api_route: 'route', get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', head: 'HEAD', options: 'OPTIONS',
};

const NOT_AUTH_MIDDLEWARE = /^(CORSMiddleware|GZipMiddleware|TrustedHostMiddleware|HTTPSRedirectMiddleware|SessionMiddleware|AuthenticationMiddleware|ProxyHeadersMiddleware|BaseHTTPMiddleware|SlowAPIMiddleware|PrometheusMiddleware)$/;

interface Event {
  offset: number;
  router: string;
  registrations: Registration[];
}

export interface PyRouters {
  routers: RouterFact[];
  /** Functions that are route handlers (their decorators are the route's chain, not theirs). */
  handlers: Set<PyFunctionDef>;
}

export function extractPyRouters(context: PyFileContext): PyRouters {
  const routers = new Map<string, RouterFact>();
  const handlers = new Set<PyFunctionDef>();
  /** Flask-RESTful / Flask-RESTX `Api(app)` objects: routers of their own, mounted on their app. */
  const apis = new Set<string>();
  const namespaceMounts: { offset: number; api: string; namespace: string; span: SourceSpan }[] = [];
  const apiMounts: { offset: number; api: string; owner: string; span: SourceSpan }[] = [];

  // 1. Variables holding apps and routers, wherever they are assigned (app factories assign inside create_app).
  for (const assign of context.assigns) {
    const value = assign.value;
    if (!value || value.type !== 'Call') continue;
    for (const target of assign.targets) {
      if (target.type !== 'Name' || routers.has(target.id)) continue;
      const made = factoryOf(value, context);
      if (made) {
        const prefix = made.factory.prefixKeyword ? routePath(keywordArg(value, made.factory.prefixKeyword), context) : undefined;
        const namespacePrefix = made.name === 'Namespace' && prefix === undefined ? `/${stringValue(positionalArg(value, 0)) ?? ''}` : undefined;
        const router: RouterFact = { name: target.id, framework: made.factory.framework, isApp: made.factory.isApp, span: context.span(target), registrations: [] };
        if (prefix ?? namespacePrefix) router.prefix = prefix ?? namespacePrefix;
        // FastAPI(dependencies=[…]), APIRouter(dependencies=[…]): every route of it depends on them.
        const dependencies = dependencyList(keywordArg(value, 'dependencies'), context);
        if (dependencies.length) router.registrations.push({ kind: 'use', chain: dependencies, span: context.span(value) });
        routers.set(target.id, router);
        context.routerNames.add(target.id);
        continue;
      }
      // Flask-RESTX `ns = api.namespace('todos')`: a namespace at /todos of the API.
      const namespaceOf = value.func.type === 'Attribute' && value.func.attr === 'namespace' ? dottedName(value.func.value) : undefined;
      const apiRouter = namespaceOf && apis.has(namespaceOf) ? namespaceOf : undefined;
      if (apiRouter) {
        const path = routePath(keywordArg(value, 'path'), context) ?? `/${stringValue(positionalArg(value, 0)) ?? ''}`;
        routers.set(target.id, { name: target.id, framework: 'flask', isApp: false, prefix: path, span: context.span(target), registrations: [] });
        context.routerNames.add(target.id);
        namespaceMounts.push({ offset: value.start, api: apiRouter, namespace: target.id, span: context.span(value) });
        continue;
      }
      const api = apiOwner(value, context);
      if (api) {
        // Flask-RESTful / Flask-RESTX `Api(app, prefix='/v1')`: a router of its own, mounted on its app here,
        // joined to an app from another file when linking, or mounted by a later `api.init_app(app)`.
        const ownerRef = api.owner && !routers.has(api.owner) ? context.refOf(api.owner) : undefined;
        routers.set(target.id, { name: target.id, framework: 'flask', isApp: false, span: context.span(target), registrations: [], ...(api.prefix ? { prefix: api.prefix } : {}), ...(ownerRef && ownerRef.kind !== 'router' ? { extends: ownerRef } : {}) });
        apis.add(target.id);
        context.routerNames.add(target.id);
        if (api.owner && routers.has(api.owner)) apiMounts.push({ offset: value.start, api: target.id, owner: api.owner, span: context.span(value) });
      }
    }
  }

  // `register_blueprints(app)` helpers: a function whose first parameter is the app it registers on.
  const helpers = new Map<PyFunctionDef, string>();
  for (const [name, fn] of context.functions) {
    const first = fn.params[0]?.name;
    if (!first || !/^(app|application|api|router|server|bp|blueprint)$/.test(first) || routers.has(name)) continue;
    const text = context.text.slice(fn.start, fn.end);
    if (!new RegExp(`\\b${first}\\.(register_blueprint|include_router|before_request|add_url_rule|add_middleware|mount|add_resource|add_namespace)\\s*\\(`).test(text)) continue;
    helpers.set(fn, name);
    routers.set(name, { name, framework: /include_router|add_middleware/.test(text) ? 'fastapi' : 'flask', isApp: false, span: context.spanBetween(fn.nameStart, fn.nameEnd), registrations: [] });
    context.routerNames.add(name);
  }

  /** The router a receiver name stands for here: a local one, a helper's parameter, or (made on first use) one from another file. */
  const routerFor = (receiver: string, node: { start: number; parent?: unknown }, framework: Framework): RouterFact | undefined => {
    for (const [fn, name] of helpers) if (fn.params[0]?.name === receiver && node.start > fn.start && node.start < fn.end) return routers.get(name);
    const local = routers.get(receiver);
    if (local) return local;
    if (receiver.includes('.') && !context.importOf(receiver)) return undefined;
    // `from app.main import bp` then `@bp.route(…)`: these routes join that blueprint.
    const ref = context.refOf(receiver);
    const extension: RouterFact = { name: receiver, framework, isApp: false, span: context.spanBetween(node.start, node.start), registrations: [], ...(ref && ref.kind !== 'router' ? { extends: ref } : {}) };
    routers.set(receiver, extension);
    context.routerNames.add(receiver);
    return extension;
  };
  // For a router from another file the framework is its own when linking; here it decides how the routes read.
  const guessFramework: Framework = /\bfastapi\b|\bDepends\(/.test(context.text) || (!/\bflask\b/i.test(context.text) && /\bAPIRouter\b|@router\./.test(context.text)) ? 'fastapi' : 'flask';

  const events: Event[] = [];
  const push = (offset: number, router: RouterFact, registrations: Registration[]) => {
    if (registrations.length) events.push({ offset, router: router.name, registrations });
  };
  for (const mount of namespaceMounts) push(mount.offset, routers.get(mount.api)!, [{ kind: 'mount', chain: [], target: { kind: 'router', name: mount.namespace }, span: mount.span }]);
  for (const mount of apiMounts) push(mount.offset, routers.get(mount.owner)!, [{ kind: 'mount', chain: [], target: { kind: 'router', name: mount.api }, span: mount.span }]);

  // 2. Decorators: routes, before_request hooks, HTTP middleware; Flask-RESTX resources on classes.
  for (const fn of context.allFunctions) {
    fn.decorators.forEach((decorator, index) => {
      const call = decorator.type === 'Call' ? decorator : undefined;
      const target = call ? call.func : decorator;
      if (target.type !== 'Attribute') return;
      const receiver = dottedName(target.value);
      if (!receiver) return;
      const attr = target.attr;
      const method = ROUTE_METHODS[attr];
      if (method && call) {
        const path = routePath(positionalArg(call, 0) ?? keywordArg(call, 'path') ?? keywordArg(call, 'rule'), context);
        if (path === undefined) return;
        const router = routerFor(receiver, decorator, guessFramework);
        if (!router) return;
        handlers.add(fn);
        push(decorator.start, router, [routeRegistration(fn, index, call, method, path, router.framework, context)]);
      } else if (/^(before_request|before_app_request)$/.test(attr) && !call) {
        const router = routerFor(receiver, decorator, 'flask');
        if (router) push(decorator.start, router, [{ kind: 'use', chain: [hookItem(fn, 'before_request', context)], span: context.span(decorator) }]);
      } else if (attr === 'middleware' && call && stringValue(positionalArg(call, 0)) === 'http') {
        const router = routerFor(receiver, decorator, 'fastapi');
        if (router) push(decorator.start, router, [{ kind: 'use', chain: [hookItem(fn, 'middleware', context)], span: context.span(decorator) }]);
      }
    });
  }
  for (const cls of context.allClasses) {
    for (const decorator of cls.decorators) {
      if (decorator.type !== 'Call' || decorator.func.type !== 'Attribute' || decorator.func.attr !== 'route') continue;
      const receiver = dottedName(decorator.func.value);
      const path = routePath(positionalArg(decorator, 0), context);
      if (!receiver || path === undefined) continue;
      const router = routerFor(receiver, decorator, 'flask');
      if (router) push(decorator.start, router, [classRoute(cls, decorator, path, context)]);
    }
  }

  // 3. Calls: blueprints and routers mounted, hooks and views registered by call.
  for (const call of context.calls) {
    if (call.func.type !== 'Attribute') continue;
    const receiver = dottedName(call.func.value);
    if (!receiver) continue;
    const attr = call.func.attr;
    const span = context.span(call);
    switch (attr) {
      case 'register_blueprint': {
        const target = refArgument(positionalArg(call, 0), context);
        const router = target && routerFor(receiver, call, 'flask');
        if (!router || !target) break;
        const prefixArgument = keywordArg(call, 'url_prefix');
        const prefix = routePath(prefixArgument, context);
        push(call.start, router, [{ kind: 'mount', ...(prefix !== undefined ? { path: prefix } : {}), chain: [], target, span, ...(prefixArgument ? { replacesPrefix: true } : {}) }]);
        break;
      }
      case 'include_router': {
        const target = refArgument(positionalArg(call, 0) ?? keywordArg(call, 'router'), context);
        const router = target && routerFor(receiver, call, 'fastapi');
        if (!router || !target) break;
        const prefix = routePath(keywordArg(call, 'prefix'), context);
        push(call.start, router, [{ kind: 'mount', ...(prefix !== undefined ? { path: prefix } : {}), chain: dependencyList(keywordArg(call, 'dependencies'), context), target, span }]);
        break;
      }
      case 'mount': {
        const path = routePath(positionalArg(call, 0), context);
        const target = refArgument(positionalArg(call, 1) ?? keywordArg(call, 'app'), context);
        const router = routers.get(receiver);
        if (router && target && path !== undefined) push(call.start, router, [{ kind: 'mount', path, chain: [], target, span }]);
        break;
      }
      case 'add_namespace': {
        const target = refArgument(positionalArg(call, 0), context);
        const router = target && routerFor(receiver, call, 'flask');
        const prefixArgument = keywordArg(call, 'path');
        const prefix = routePath(prefixArgument, context);
        if (router && target) push(call.start, router, [{ kind: 'mount', ...(prefix !== undefined ? { path: prefix } : {}), chain: [], target, span, ...(prefixArgument ? { replacesPrefix: true } : {}) }]);
        break;
      }
      case 'before_request': {
        const fn = positionalArg(call, 0);
        const name = dottedName(fn);
        const router = name && routers.has(receiver) ? routers.get(receiver) : undefined;
        if (router && fn && name) {
          const item = decoratorItem(fn, context);
          push(call.start, router, [{ kind: 'use', chain: [{ ...item, label: `before_request ${name}` }], span }]);
        }
        break;
      }
      case 'add_middleware': {
        const cls = positionalArg(call, 0);
        const name = dottedName(cls);
        const router = name && routers.get(receiver);
        if (!router || !cls || !name) break;
        const original = context.originalName(name).split('.').pop() ?? '';
        const item: ChainItem = NOT_AUTH_MIDDLEWARE.test(original) ? { label: `add_middleware ${name}`, span: context.span(cls), notAuth: true } : { ...decoratorItem(cls, context), label: `add_middleware ${name}` };
        push(call.start, router, [{ kind: 'use', chain: [item], span }]);
        break;
      }
      case 'add_url_rule': {
        const router = routerFor(receiver, call, 'flask');
        const rule = positionalArg(call, 0) ?? keywordArg(call, 'rule');
        const path = routePath(rule, context);
        const view = keywordArg(call, 'view_func') ?? positionalArg(call, 2);
        if (router && path !== undefined && view) push(call.start, router, [viewRegistration(view, path, methodList(keywordArg(call, 'methods')), span, context, urlParameterTypes(rule, context, 'brackets'))]);
        break;
      }
      case 'add_api_route': {
        const router = routerFor(receiver, call, 'fastapi');
        const path = routePath(positionalArg(call, 0) ?? keywordArg(call, 'path'), context);
        const endpoint = positionalArg(call, 1) ?? keywordArg(call, 'endpoint');
        if (!router || path === undefined || !endpoint) break;
        const handler = decoratorItem(endpoint, context);
        for (const method of methodList(keywordArg(call, 'methods')) ?? ['GET']) {
          push(call.start, router, [{ kind: 'route', methods: [method], path, chain: dependencyList(keywordArg(call, 'dependencies'), context), handler: { ...handler, label: dottedName(endpoint) ?? handler.label }, span }]);
        }
        break;
      }
      case 'add_resource': {
        const router = apis.has(receiver) ? routers.get(receiver) : undefined;
        const resource = positionalArg(call, 0);
        if (!router || !resource) break;
        const registrations = call.args.slice(1).flatMap((argument) => {
          const path = routePath(argument, context);
          return path === undefined ? [] : [viewRegistration(resource, path, undefined, span, context, urlParameterTypes(argument, context, 'brackets'))];
        });
        push(call.start, router, registrations);
        break;
      }
      case 'init_app': {
        // `api = Api(); api.init_app(app)`: the API's resources are the app's.
        const app = dottedName(positionalArg(call, 0));
        const api = routers.get(receiver);
        const router = app ? routers.get(app) : undefined;
        if (api && apis.has(receiver) && router) push(call.start, router, [{ kind: 'mount', chain: [], target: { kind: 'router', name: receiver }, span }]);
        break;
      }
    }
  }

  // `app.register_blueprint` in a helper called as `register_blueprints(app)`: a mount of the helper's router.
  for (const call of context.calls) {
    if (call.func.type !== 'Name') continue;
    const helper = routers.get(call.func.id);
    const app = dottedName(positionalArg(call, 0));
    if (!helper || ![...helpers.values()].includes(helper.name) || !app) continue;
    const router = routers.get(app);
    if (router && router !== helper) push(call.start, router, [{ kind: 'mount', chain: [], target: { kind: 'router', name: helper.name }, span: context.span(call) }]);
  }
  for (const call of context.calls) {
    // `register_blueprints(app)` where the helper lives in another file.
    if (call.func.type !== 'Name' || routers.has(call.func.id)) continue;
    const app = dottedName(positionalArg(call, 0));
    const router = app ? routers.get(app) : undefined;
    if (!router || !router.isApp || !/register|init|setup|configure|include|blueprint|route/i.test(call.func.id)) continue;
    const ref = context.refOf(call.func.id);
    if (ref && ref.kind === 'import') push(call.start, router, [{ kind: 'mount', chain: [], target: ref, span: context.span(call) }]);
  }

  events.sort((a, b) => a.offset - b.offset);
  for (const event of events) routers.get(event.router)?.registrations.push(...event.registrations);
  return { routers: [...routers.values()], handlers };
}

function routeRegistration(fn: PyFunctionDef, index: number, call: PyCall, method: HttpMethod | 'route', path: string, framework: Framework, context: PyFileContext): Registration {
  const methods = method === 'route' ? methodList(keywordArg(call, 'methods')) ?? (keywordArg(call, 'methods') ? ['ALL' as HttpMethod] : ['GET' as HttpMethod]) : [method];
  // Only decorators under the route's own run for it: one above wraps the function after it was registered.
  const below = fn.decorators.slice(index + 1).filter((decorator) => !isRouteDecorator(decorator));
  const chain: ChainItem[] = [];
  if (framework === 'fastapi') chain.push(...dependencyList(keywordArg(call, 'dependencies'), context));
  chain.push(...below.map((decorator) => decoratorItem(decorator, context)).filter((item) => !item.notAuth));
  const dependencies = framework === 'fastapi' || fn.params.some((param) => /\b(Depends|Security)\(/.test(context.text.slice(param.start, param.end)));
  if (dependencies) for (const param of fn.params) chain.push(...parameterItems(param, context));
  const body = analyzePyFunction(fn, context);
  const nameSpan = context.spanBetween(fn.nameStart, fn.nameEnd);
  const pathArgument = positionalArg(call, 0) ?? keywordArg(call, 'path') ?? keywordArg(call, 'rule');
  const span = context.spanBetween(call.start, pathArgument ? pathArgument.end : call.end);
  const insertion = insertionFor(fn, call, pathArgument, framework, context);
  return {
    kind: 'route',
    methods,
    path,
    chain,
    handler: {
      label: fn.name,
      span: nameSpan,
      ...(body.authCheck ? { authCheck: body.authCheck } : {}),
      ...(body.checkAfterWork ? { checkAfterWork: body.checkAfterWork } : {}),
      ...(body.callsAtStart.length ? { callsAtStart: body.callsAtStart } : {}),
    },
    span,
    ...(insertion ? { insertion } : {}),
  };
}

/** Where "Require authentication" writes: a decorator line under the route's (Flask), `dependencies=[…]` after the path (FastAPI). */
function insertionFor(fn: PyFunctionDef, call: PyCall, pathArgument: PyExpr | undefined, framework: Framework, context: PyFileContext): AuthInsertion | undefined {
  if (framework === 'fastapi') {
    if (keywordArg(call, 'dependencies') || !pathArgument) return undefined;
    return { offset: pathArgument.end, kind: 'python-dependencies', style: 'dependency' };
  }
  const lines = context.file.lines;
  const nextLine = lines.positionAt(call.end).line + 1;
  if (nextLine > lines.positionAt(fn.nameStart).line) return undefined;
  return { offset: lines.lineStart(nextLine), kind: 'python-decorator', indent: context.indentAt(fn.start), style: 'decorator' };
}

/** `@ns.route('/todos/<int:id>') class Todo(Resource)`: Flask-RESTX resources. */
function classRoute(cls: PyClassDef, decorator: PyCall, path: string, context: PyFileContext): Registration {
  return { kind: 'route', methods: [], path, chain: [], span: context.spanBetween(decorator.start, positionalArg(decorator, 0)?.end ?? decorator.end), view: { ref: { kind: 'function', name: cls.name } } };
}

/** `view_func=ItemAPI.as_view('items')` (a class view) or `view_func=list_items` (a function with its own decorators). */
/** `parameterTypes`: the rule's converters, which the view (a function, or a class's methods) receives as arguments. */
function viewRegistration(view: PyExpr, path: string, methods: HttpMethod[] | undefined, span: SourceSpan, context: PyFileContext, parameterTypes?: ParameterTypes): Registration {
  const types = parameterTypes ? { parameterTypes } : {};
  if (view.type === 'Call' && view.func.type === 'Attribute' && view.func.attr === 'as_view') {
    const ref = context.refOf(dottedName(view.func.value) ?? '');
    if (ref) return { kind: 'route', methods: methods ?? [], path, chain: [], span, view: { ref }, ...types };
  }
  const name = dottedName(view);
  const ref = name ? context.refOf(name) : undefined;
  if (ref && ref.kind === 'function' && context.classes.has(name!)) return { kind: 'route', methods: methods ?? [], path, chain: [], span, view: { ref }, ...types };
  const handler: ChainItem = { label: name ?? context.label(view), span: context.span(view), ...(ref ? { ref } : {}) };
  return { kind: 'route', methods: methods ?? ['GET'], path, chain: [], handler, span, ...types };
}

/** A before_request hook or HTTP middleware function, judged by its body where it is. */
function hookItem(fn: PyFunctionDef, kind: string, context: PyFileContext): ChainItem {
  const body = analyzePyFunction(fn, context);
  const span = context.spanBetween(fn.nameStart, fn.nameEnd);
  return {
    label: `${kind} ${fn.name}`,
    span,
    ...(body.authCheck ? { authCheck: { ...body.authCheck, description: `${fn.name} (${kind === 'middleware' ? 'HTTP middleware' : 'before_request'}) ${body.authCheck.description}` } } : {}),
    ...(body.callsAtStart.length ? { callsAtStart: body.callsAtStart } : {}),
  };
}

function dependencyList(expr: PyExpr | undefined, context: PyFileContext): ChainItem[] {
  const items: ChainItem[] = [];
  for (const element of listElements(expr) ?? []) {
    if (isDependsCall(element, context)) {
      const item = dependencyItem(element, context);
      if (item) items.push(item);
    }
  }
  return items;
}

function isRouteDecorator(decorator: PyExpr): boolean {
  return decorator.type === 'Call' && decorator.func.type === 'Attribute' && ROUTE_METHODS[decorator.func.attr] !== undefined && stringValue(decorator.args[0])?.startsWith('/') === true;
}

function refArgument(expr: PyExpr | undefined, context: PyFileContext) {
  const name = dottedName(expr);
  return name ? context.refOf(name) : undefined;
}

function factoryOf(call: PyCall, context: PyFileContext): { factory: Factory; name: string } | undefined {
  const callee = dottedName(call.func);
  if (!callee) return undefined;
  const original = context.originalName(callee);
  const name = original.split('.').pop() ?? '';
  const factory = FACTORIES[name];
  if (!factory) return undefined;
  const module = context.moduleOf(callee.split('.')[0]);
  if (module !== undefined && !factory.modules.test(module)) return undefined;
  return { factory, name };
}

/** `Api(app)`, `Api(bp, prefix='/v1')`, `Api()` (Flask-RESTful / Flask-RESTX). */
function apiOwner(call: PyCall, context: PyFileContext): { owner?: string; prefix?: string } | undefined {
  const callee = dottedName(call.func);
  if (!callee || context.originalName(callee).split('.').pop() !== 'Api') return undefined;
  const module = context.moduleOf(callee.split('.')[0]);
  if (module !== undefined && !/^(flask_restful|flask_restx|flask_restplus)/.test(module)) return undefined;
  const owner = dottedName(positionalArg(call, 0) ?? keywordArg(call, 'app'));
  const prefix = routePath(keywordArg(call, 'prefix'), context);
  return { ...(owner ? { owner } : {}), ...(prefix ? { prefix } : {}) };
}

/** A route path or prefix argument as the inventory writes it (`<int:id>` and `{id}` become `:id`); undefined when it is not a path. */
function routePath(expr: PyExpr | undefined, context: PyFileContext): string | undefined {
  return pathFromExpr(expr, context, 'brackets');
}
