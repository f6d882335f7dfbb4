import type { PyExpr } from '../../python/ast';
import { dottedName, keywordArg, positionalArg, stringValue } from '../../python/walk';
import type { ChainItem, Registration, RouterFact, ValueRef } from '../routeFacts';
import { decoratorItem } from './pyChainItems';
import type { PyFileContext } from './pyFileContext';
import { pathFromExpr, urlParameterTypes } from './pyPaths';

/**
 * Django URL configuration: `urlpatterns` lists of `path()` / `re_path()` / `url()` entries —
 * each routing to a view (a function, `View.as_view()`, possibly wrapped in `login_required(…)`)
 * or including another URLconf (`include('app.urls')`, a module, a list, a DRF router's
 * `router.urls`) — and DRF routers with their `router.register(prefix, ViewSet)` calls.
 */

const DRF_ROUTERS = /^(DefaultRouter|SimpleRouter|ExtendedSimpleRouter|ExtendedDefaultRouter|NestedSimpleRouter|NestedDefaultRouter|NestedRouterMixin)$/;

export function extractDjangoUrls(context: PyFileContext): RouterFact[] {
  if (!/urlpatterns|Router\s*\(/.test(context.text)) return [];
  const routers = new Map<string, RouterFact>();
  let synthetic = 0;

  // DRF routers first, so `include(router.urls)` below knows them.
  for (const assign of context.assigns) {
    const value = assign.value;
    if (!value || value.type !== 'Call') continue;
    const callee = dottedName(value.func) ?? '';
    if (!DRF_ROUTERS.test(context.originalName(callee).split('.').pop() ?? '')) continue;
    for (const target of assign.targets) {
      if (target.type !== 'Name' || routers.has(target.id)) continue;
      // NestedSimpleRouter(router, r'users', lookup='user') → users/:user_pk
      const parentPrefix = pathFromExpr(positionalArg(value, 1), context, 'django-regex');
      const lookup = stringValue(keywordArg(value, 'lookup'));
      routers.set(target.id, { name: target.id, framework: 'django', isApp: false, span: context.span(target), registrations: [], ...(parentPrefix !== undefined && lookup ? { prefix: `${parentPrefix}/:${lookup}_pk` } : {}) });
      context.routerNames.add(target.id);
    }
  }

  const urlpatterns = (name: string, span: PyExpr): RouterFact => {
    let router = routers.get(name);
    if (!router) {
      router = { name, framework: 'django', isApp: false, span: context.span(span), registrations: [] };
      routers.set(name, router);
      context.routerNames.add(name);
    }
    return router;
  };

  /** A URLconf list (or `a + b`, or `router.urls`) appended to a router's registrations. */
  const addPatterns = (router: RouterFact, value: PyExpr | undefined, depth = 0): void => {
    if (!value || depth > 20) return;
    if (value.type === 'List' || value.type === 'Tuple') {
      for (const element of value.elts) {
        const registration = patternOf(element);
        if (registration) router.registrations.push(registration);
      }
    } else if (value.type === 'BinOp' && value.op === '+') {
      addPatterns(router, value.left, depth + 1);
      addPatterns(router, value.right, depth + 1);
    } else if (value.type === 'Attribute' && value.attr === 'urls') {
      const target = includeTarget(value);
      if (target) router.registrations.push({ kind: 'mount', chain: [], target, span: context.span(value) });
    } else if (value.type === 'Call' && (dottedName(value.func) ?? '').split('.').pop() === 'format_suffix_patterns') {
      addPatterns(router, positionalArg(value, 0), depth + 1);
    }
  };

  const patternOf = (element: PyExpr): Registration | undefined => {
    if (element.type !== 'Call') return undefined;
    const callee = dottedName(element.func) ?? '';
    const kind = context.originalName(callee).split('.').pop();
    if (kind !== 'path' && kind !== 're_path' && kind !== 'url') return undefined;
    const routeArgument = positionalArg(element, 0) ?? keywordArg(element, 'route') ?? keywordArg(element, 'regex');
    const style = kind === 'path' ? 'django' : 'django-regex';
    const path = pathFromExpr(routeArgument, context, style);
    const view = positionalArg(element, 1) ?? keywordArg(element, 'view');
    if (path === undefined || !view) return undefined;
    const span = context.spanBetween(element.start, routeArgument ? routeArgument.end : element.end);
    const types = urlParameterTypes(routeArgument, context, style === 'django' ? 'brackets' : 'regex');
    const parameterTypes = types ? { parameterTypes: types } : {};
    if (view.type === 'Attribute' && view.attr === 'urls') {
      // `path('admin/', admin.site.urls)`: Django's admin, behind its own staff sign-in.
      if (/(^|\.)site$/.test(dottedName(view.value) ?? '') && context.moduleOf('admin')?.startsWith('django')) {
        return { kind: 'route', methods: ['ALL'], path, chain: [{ label: 'admin.site', span, authCheck: { description: 'the Django admin site requires a staff sign-in', span } }], span };
      }
      const target = includeTarget(view);
      return target ? { kind: 'mount', path, chain: [], target, span, ...parameterTypes } : undefined;
    }
    const chain: ChainItem[] = [];
    let current: PyExpr = view;
    for (let depth = 0; depth < 6; depth++) {
      if (current.type !== 'Call') break;
      const name = dottedName(current.func) ?? '';
      const last = context.originalName(name).split('.').pop();
      if (last === 'include') {
        const target = includeTarget(positionalArg(current, 0) ?? keywordArg(current, 'arg'));
        return target ? { kind: 'mount', path, chain, target, span, ...parameterTypes } : undefined;
      }
      if (last === 'as_view' && current.func.type === 'Attribute') {
        const viewName = dottedName(current.func.value);
        const ref = viewName ? context.refOf(viewName) : undefined;
        if (!ref) return undefined;
        const actions = actionMap(positionalArg(current, 0) ?? keywordArg(current, 'actions'));
        return { kind: 'route', methods: [], path, chain, span, view: { ref, ...(actions ? { actions } : {}) }, ...parameterTypes };
      }
      // `login_required(views.profile)`, `permission_required('x')(views.edit)`, `csrf_exempt(View.as_view())`.
      const wrapped = positionalArg(current, 0);
      if (!wrapped) return undefined;
      chain.push(decoratorItem(current.func, context));
      current = wrapped;
    }
    const viewName = dottedName(current);
    const ref = viewName ? context.refOf(viewName) : undefined;
    return ref ? { kind: 'route', methods: [], path, chain: chain.filter((item) => !item.notAuth), span, view: { ref }, ...parameterTypes } : undefined;
  };

  /** What `include(…)` points at: a dotted module string, a module, an inline list, `router.urls`. */
  const includeTarget = (argument: PyExpr | undefined): ValueRef | undefined => {
    if (!argument) return undefined;
    if (argument.type === 'Tuple' && argument.elts[0]) return includeTarget(argument.elts[0]);
    const module = stringValue(argument);
    if (module !== undefined) return { kind: 'member', object: { kind: 'import', module, imported: '*', local: module }, property: 'urlpatterns' };
    if (argument.type === 'List') {
      const name = `urlpatterns@${synthetic++}`;
      const router = urlpatterns(name, argument);
      addPatterns(router, argument);
      return { kind: 'router', name };
    }
    if (argument.type === 'Attribute' && argument.attr === 'urls') {
      const owner = dottedName(argument.value);
      if (!owner) return undefined;
      if (routers.has(owner)) return { kind: 'router', name: owner };
      const ref = context.refOf(owner);
      return ref && ref.kind === 'import' ? ref : undefined;
    }
    const name = dottedName(argument);
    if (!name) return undefined;
    // A list of patterns in this file.
    const local = context.assignments.get(name);
    if (local && (local.type === 'List' || local.type === 'BinOp')) {
      if (!routers.has(name)) addPatterns(urlpatterns(name, argument), local);
      return { kind: 'router', name };
    }
    const ref = context.refOf(name);
    return ref ? { kind: 'member', object: ref, property: 'urlpatterns' } : undefined;
  };

  // urlpatterns = […]; urlpatterns += […]; urlpatterns.append(path(…)); urlpatterns.extend(…)
  for (const assign of context.assigns) {
    if (!assign.targets.some((target) => target.type === 'Name' && target.id === 'urlpatterns')) continue;
    addPatterns(urlpatterns('urlpatterns', assign.targets[0]), assign.value);
  }
  for (const call of context.calls) {
    if (call.func.type !== 'Attribute') continue;
    const receiver = dottedName(call.func.value) ?? '';
    if (receiver === 'urlpatterns' && (call.func.attr === 'append' || call.func.attr === 'extend')) {
      const router = urlpatterns('urlpatterns', call.func.value);
      if (call.func.attr === 'extend') addPatterns(router, positionalArg(call, 0));
      else for (const argument of call.args) {
        const registration = patternOf(argument);
        if (registration) router.registrations.push(registration);
      }
    } else if (call.func.attr === 'register' && routers.has(receiver)) {
      const router = routers.get(receiver)!;
      const prefixArgument = positionalArg(call, 0) ?? keywordArg(call, 'prefix');
      const prefix = pathFromExpr(prefixArgument, context, 'django-regex');
      const viewSet = positionalArg(call, 1) ?? keywordArg(call, 'viewset');
      const name = dottedName(viewSet);
      const ref = name ? context.refOf(name) : undefined;
      if (prefix === undefined || !ref) continue;
      const parameterTypes = urlParameterTypes(prefixArgument, context, 'regex');
      router.registrations.push({ kind: 'route', methods: [], path: prefix, chain: [], span: context.spanBetween(call.start, prefixArgument!.end), view: { ref, viewSet: true }, ...(parameterTypes ? { parameterTypes } : {}) });
    }
  }
  return [...routers.values()];
}

/** `{'get': 'list', 'post': 'create'}` */
function actionMap(expr: PyExpr | undefined): Record<string, string> | undefined {
  if (!expr || expr.type !== 'Dict') return undefined;
  const map: Record<string, string> = {};
  expr.keys.forEach((key, index) => {
    const method = stringValue(key ?? undefined);
    const action = stringValue(expr.values[index]);
    if (method && action) map[method.toLowerCase()] = action;
  });
  return Object.keys(map).length ? map : undefined;
}
