import type { AuthInsertion, ChainItem, FileRouteFacts, FrameworkDefault, FunctionFact, ParameterTypes, Registration, SourceSpan, ViewHandler } from '../routeFacts';
import type { HttpMethod } from '../routeTypes';
import type { RefResolver, Resolved } from '../link/resolveRefs';
import { joinRoutePath } from '../link/pathPatterns';
import { packageView } from './pythonSignals';

/**
 * Linking URL patterns to the views they route to (Django `path()`, DRF `router.register`,
 * Flask `add_url_rule(view_func=View.as_view())`, Flask-RESTful resources): one route per
 * method or ViewSet action the view answers, located at the view's method (where a fix can add
 * a decorator), with the checks that run before it — the URL pattern's wrappers, the project's
 * defaults (DRF DEFAULT_PERMISSION_CLASSES, LoginRequiredMiddleware) and the view's own.
 */

export interface Located {
  file: string;
  item: ChainItem;
}

export interface ViewRouteSpec {
  method: HttpMethod;
  path: string;
  file: string;
  span: SourceSpan;
  handlerName?: string;
  insertion?: AuthInsertion;
  chain: Located[];
  handler?: Located;
  publicByDesign?: string;
  parameterTypes?: ParameterTypes;
}

/** DRF's lookup_value_regex default: what a ViewSet's `pk` (or `lookup_field`) matches unless the class sets its own. */
const DRF_LOOKUP = 'regex:[^/.]+';

const SAFE_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS']);
const METHOD_NAMES: Record<string, HttpMethod> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', head: 'HEAD', options: 'OPTIONS' };

/** The project-wide defaults of every file's settings, by scope. */
export function collectFrameworkDefaults(facts: ReadonlyMap<string, FileRouteFacts>): Map<FrameworkDefault['scope'], Located[]> {
  const defaults = new Map<FrameworkDefault['scope'], Located[]>();
  for (const [file, fileFacts] of facts) {
    for (const entry of fileFacts.frameworkDefaults ?? []) {
      const list = defaults.get(entry.scope) ?? [];
      list.push(...entry.chain.map((item) => ({ file, item })));
      defaults.set(entry.scope, list);
    }
  }
  return defaults;
}

export function viewRoutes(
  resolver: RefResolver,
  file: string,
  registration: Extract<Registration, { kind: 'route' }>,
  base: string,
  before: Located[],
  defaults: ReadonlyMap<FrameworkDefault['scope'], Located[]>,
  prefixTypes: ParameterTypes = {},
): ViewRouteSpec[] {
  const view = registration.view!;
  const path = joinRoutePath(base, registration.path);
  const types = { ...prefixTypes, ...registration.parameterTypes };
  const typesFor = (handler: ViewHandler | undefined): ParameterTypes | undefined => {
    const all: Record<string, string> = { ...types };
    // A ViewSet action's own parameters (`:pk`) come from the router's lookup.
    for (const match of (handler?.subPath ?? '').matchAll(/:([A-Za-z_]\w*)/g)) all[match[1]] ??= handler?.lookupPattern !== undefined ? `regex:${handler.lookupPattern}` : DRF_LOOKUP;
    return Object.keys(all).length ? all : undefined;
  };
  const wrappers = registration.chain.map((item) => ({ file, item }));
  const { resolved, aliasChecks } = resolveView(resolver, file, registration);
  const atPattern = (method: HttpMethod, chain: Located[], extra: Partial<ViewRouteSpec> = {}): ViewRouteSpec => ({
    method, path, file, span: registration.span, chain: [...before, ...wrappers, ...aliasChecks, ...chain], ...extra,
  });

  if (resolved.kind === 'function' && resolved.fn.view) {
    const handlers = resolved.fn.view.handlers;
    const chosen: { handler: ViewHandler; method: HttpMethod; path: string; viewSet?: boolean }[] = [];
    if (view.viewSet) {
      for (const handler of handlers) if (handler.action !== undefined) chosen.push({ handler, method: handler.method, path: joinRoutePath(path, handler.subPath), viewSet: true });
    } else if (view.actions) {
      for (const [method, action] of Object.entries(view.actions)) {
        const handler = handlers.find((candidate) => candidate.action === action);
        const httpMethod = METHOD_NAMES[method];
        if (handler && httpMethod) chosen.push({ handler, method: httpMethod, path });
      }
    } else {
      for (const handler of handlers) if (handler.action === undefined) chosen.push({ handler, method: handler.method, path });
    }
    const allowed = registration.methods.length ? new Set(registration.methods) : undefined;
    return chosen
      .filter((entry) => !allowed || allowed.has(entry.method))
      .map(({ handler, method, path: routePath, viewSet }) => {
        const parameterTypes = typesFor(viewSet ? handler : undefined);
        const located = (item: ChainItem): Located => ({ file: resolved.file, item });
        const defaultChain = (handler.defaults ?? []).flatMap((scope) => defaults.get(scope) ?? []);
        const chain = [...before, ...wrappers, ...aliasChecks, ...defaultChain, ...handler.chain.map(located)]
          .filter((entry) => !(entry.item.unsafeMethodsOnly && SAFE_METHODS.has(method)));
        return {
          method,
          path: routePath,
          file: resolved.file,
          span: handler.span,
          handlerName: handler.handlerName,
          ...(handler.insertion ? { insertion: handler.insertion } : {}),
          chain,
          ...(handler.handler ? { handler: located(handler.handler) } : {}),
          ...(handler.publicByDesign ? { publicByDesign: handler.publicByDesign } : {}),
          ...(parameterTypes ? { parameterTypes } : {}),
        };
      });
  }
  if (resolved.kind === 'function') {
    // A function that is not recognisably a view: judged by what its facts say, at the URL pattern.
    return (registration.methods.length ? registration.methods : ['GET' as HttpMethod]).map((method) =>
      atPattern(method, [...(defaults.get('django') ?? [])], { handler: { file: resolved.file, item: { label: resolved.fn.name, span: resolved.fn.span, ...(resolved.fn.authCheck ? { authCheck: resolved.fn.authCheck } : {}), callsAtStart: resolved.fn.callsAtStart } }, handlerName: resolved.fn.name }));
  }
  if (resolved.kind === 'package') {
    // A view from a package: Django's auth views, DRF's token views, TemplateView.
    const known = packageView(resolved.name);
    const methods = known?.methods ?? ['GET'];
    const name = resolved.name.split('.').pop()!;
    return methods.map((method) => atPattern(method, known?.check ? [{ file, item: { label: name, span: registration.span, authCheck: { description: known.check, span: registration.span } } }] : [], {
      handlerName: name,
      ...(known?.signIn ? { publicByDesign: `${name} signs people in: it has to work before anyone is signed in` } : {}),
    }));
  }
  if (resolved.kind === 'unresolved') {
    // Its code could not be found: Shipshape cannot tell what it answers or checks.
    return [atPattern('ALL', [{ file, item: { label: resolved.name, span: registration.span, ref: view.ref } }])];
  }
  return [];
}

/** The view a pattern names, through `x = View.as_view()` and `x = login_required(view)` aliases. */
function resolveView(resolver: RefResolver, file: string, registration: Extract<Registration, { kind: 'route' }>): { resolved: Resolved & { file?: string }; aliasChecks: Located[] } {
  const aliasChecks: Located[] = [];
  let resolved = resolver.resolve(file, registration.view!.ref);
  for (let depth = 0; depth < 4 && resolved.kind === 'function' && resolved.fn.alias && !resolved.fn.view; depth++) {
    const alias: FunctionFact = resolved.fn;
    if (alias.authCheck) aliasChecks.push({ file: resolved.file, item: { label: alias.name, span: alias.span, authCheck: alias.authCheck } });
    const next = alias.callsAtStart[0];
    if (!next) break;
    resolved = resolver.resolve(resolved.file, next);
  }
  return { resolved, aliasChecks };
}
