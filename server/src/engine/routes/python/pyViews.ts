import type { PyClassDef, PyExpr, PyFunctionDef, PyStatement } from '../../python/ast';
import { dottedName, keywordArg, positionalArg, stringValue, walkPython } from '../../python/walk';
import type { HttpMethod } from '../routeTypes';
import type { AuthCheck, AuthInsertion, ChainItem, FrameworkDefault, ViewFact, ViewHandler } from '../routeFacts';
import { analyzePyFunction, type PyBodyAuth } from './pyBodyAuth';
import { baseItem, decoratorItem, permissionItem } from './pyChainItems';
import type { PyFileContext } from './pyFileContext';
import { authMixin, isPublicPermissionClass, permissionClass } from './pythonSignals';

/**
 * Views that URL patterns route to: Django function views and class-based views, Django REST
 * Framework APIViews, generic views and ViewSets, Flask MethodView and Flask-RESTful resources.
 * For each HTTP method (or ViewSet action) they answer: the checks that run first — decorators,
 * auth mixins, `permission_classes` (or the project default when the view sets none) — and the
 * handler's own body.
 */

const METHOD_NAMES: Record<string, HttpMethod> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', head: 'HEAD', options: 'OPTIONS' };
const SAFE_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS']);

/** Methods a generic view answers without defining them. */
const GENERIC_METHODS: Record<string, HttpMethod[]> = {
  TemplateView: ['GET'], ListView: ['GET'], DetailView: ['GET'], RedirectView: ['GET'], ArchiveIndexView: ['GET'], YearArchiveView: ['GET'],
  MonthArchiveView: ['GET'], DayArchiveView: ['GET'], DateDetailView: ['GET'], FormView: ['GET', 'POST'], CreateView: ['GET', 'POST'],
  UpdateView: ['GET', 'POST'], DeleteView: ['GET', 'POST'],
  ListAPIView: ['GET'], CreateAPIView: ['POST'], RetrieveAPIView: ['GET'], DestroyAPIView: ['DELETE'], UpdateAPIView: ['PUT', 'PATCH'],
  ListCreateAPIView: ['GET', 'POST'], RetrieveUpdateAPIView: ['GET', 'PUT', 'PATCH'], RetrieveDestroyAPIView: ['GET', 'DELETE'],
  RetrieveUpdateDestroyAPIView: ['GET', 'PUT', 'PATCH', 'DELETE'],
};

interface Action {
  method: HttpMethod;
  detail: boolean;
}

const VIEWSET_ACTIONS: Record<string, Action> = {
  list: { method: 'GET', detail: false },
  create: { method: 'POST', detail: false },
  retrieve: { method: 'GET', detail: true },
  update: { method: 'PUT', detail: true },
  partial_update: { method: 'PATCH', detail: true },
  destroy: { method: 'DELETE', detail: true },
};
const VIEWSET_BASE_ACTIONS: Record<string, string[]> = {
  ModelViewSet: ['list', 'create', 'retrieve', 'update', 'partial_update', 'destroy'],
  ReadOnlyModelViewSet: ['list', 'retrieve'],
  ListModelMixin: ['list'],
  CreateModelMixin: ['create'],
  RetrieveModelMixin: ['retrieve'],
  UpdateModelMixin: ['update', 'partial_update'],
  DestroyModelMixin: ['destroy'],
};

type Family = 'django' | 'drf' | 'flask';

/** A Django function view (`def detail(request, pk)`), with what restricts its methods and what guards it. */
export function functionView(fn: PyFunctionDef, context: PyFileContext, analysed?: PyBodyAuth): ViewFact | undefined {
  const first = fn.params[0]?.name;
  let methods: HttpMethod[] | undefined;
  let drf = false;
  let permissions: PyExpr[] | undefined;
  let permissionList: PyExpr | undefined;
  let publicByDesign: string | undefined;
  const chain: ChainItem[] = [];
  for (const decorator of fn.decorators) {
    const name = dottedName(decorator.type === 'Call' ? decorator.func : decorator) ?? '';
    const last = context.originalName(name).split('.').pop() ?? '';
    const call = decorator.type === 'Call' ? decorator : undefined;
    if (last === 'require_POST') methods = ['POST'];
    else if (last === 'require_GET' || last === 'require_safe') methods = ['GET'];
    else if (last === 'require_http_methods' && call) methods = methodList(positionalArg(call, 0)) ?? methods;
    else if (last === 'api_view') {
      drf = true;
      methods = (call && methodList(positionalArg(call, 0) ?? keywordArg(call, 'http_method_names'))) ?? ['GET'];
    } else if (last === 'permission_classes' && call) {
      permissionList = positionalArg(call, 0);
      permissions = listElements(permissionList);
    }
    else if (last === 'login_not_required') publicByDesign = '@login_not_required marks it public';
    else if (/^(authentication_classes|throttle_classes|renderer_classes|parser_classes|schema)$/.test(last)) continue;
    else chain.push(decoratorItem(decorator, context));
  }
  if (!methods && !drf && first !== 'request' && first !== 'req') return undefined;
  methods ??= inferredMethods(fn, context);
  const body = analysed ?? analyzePyFunction(fn, context);
  const drfRules = drf ? permissionRules(permissions, context) : undefined;
  const span = context.spanBetween(fn.start, fn.nameEnd);
  const insertion: AuthInsertion | undefined = permissionList
    ? listInsertion(permissionList)
    : { offset: context.lineStartAt(fn.start), kind: 'python-decorator', indent: context.indentAt(fn.start), style: drf ? 'drf-decorator' : 'decorator' };
  const handlers = methods.map((method): ViewHandler => {
    const rules = drfRules?.(method);
    const defaults: FrameworkDefault['scope'][] = publicByDesign ? [] : ['django', ...(drf && !rules?.own ? ['drf' as const] : [])];
    const designedPublic = publicByDesign ?? rules?.publicByDesign;
    return {
      method,
      handlerName: fn.name,
      span,
      chain: [...chain, ...(rules?.items ?? [])],
      handler: { label: 'handler', span, ...bodyFields(body) },
      ...(designedPublic ? { publicByDesign: designedPublic } : {}),
      ...(defaults.length ? { defaults } : {}),
      ...(insertion ? { insertion } : {}),
    };
  });
  return { handlers };
}

/** A class-based view: Django View and generic views, DRF APIView / generics / ViewSets, Flask MethodView / Resource. */
export function classView(cls: PyClassDef, context: PyFileContext): ViewFact | undefined {
  const bases = cls.bases.map((base) => ({ expr: base, name: baseName(base, context) }));
  const baseModules = cls.bases.map((base) => context.moduleOf((dottedName(base) ?? '').split('.')[0]) ?? '');
  const methods = new Map<string, PyFunctionDef>();
  for (const statement of cls.body) if (statement.type === 'FunctionDef') methods.set(statement.name, statement);
  const viewSet = bases.some((base) => /ViewSet$/.test(base.name) || (/ModelMixin$/.test(base.name) && bases.some((other) => /GenericViewSet|GenericAPIView/.test(other.name))));
  // Known by their bases: a model or a serializer from the same packages is not a view.
  const family: Family | undefined = bases.some((base, index) => /^(MethodView|Resource|View)$/.test(base.name) && /^(flask|quart|flask_restful|flask_restx|flask_smorest)/.test(baseModules[index]))
    ? 'flask'
    : bases.some((base) => /APIView$|ViewSet$|ModelMixin$/.test(base.name))
      ? 'drf'
      : bases.some((base) => base.name === 'View' || GENERIC_METHODS[base.name] || authMixin(base.name))
        ? 'django'
        : undefined;
  const definesHandlers = [...methods.keys()].some((name) => METHOD_NAMES[name] || (viewSet && VIEWSET_ACTIONS[name]));
  const projectBase = cls.bases.some((base) => {
    const ref = context.refOf(dottedName(base) ?? '');
    return ref !== undefined && (ref.kind === 'function' || (ref.kind === 'import' && ref.module.startsWith('.')));
  });
  if (!family && !(definesHandlers && (projectBase || bases.some((base) => /^(MethodView|Resource)$/.test(base.name))))) return undefined;
  const kind: Family = family ?? (/rest_framework/.test(context.text) ? 'drf' : /\bflask/.test(context.text) ? 'flask' : 'django');

  // Checks on the whole class, in the order they run: mixins and class decorators wrap dispatch.
  const classChain: ChainItem[] = [];
  for (const decorator of cls.decorators) {
    const item = decoratorItem(decorator, context);
    if (item.authCheck || item.ref) classChain.push(item);
  }
  for (const base of cls.bases) {
    const item = baseItem(base, context);
    if (item) classChain.push(item);
  }
  const flaskDecorators = kind === 'flask' ? classDecoratorList(cls, context) : undefined;
  if (flaskDecorators) classChain.push(...flaskDecorators.all);
  const dispatch = methods.get('dispatch');
  if (dispatch) {
    classChain.push(...dispatch.decorators.map((decorator) => decoratorItem(decorator, context)).filter((item) => item.authCheck || item.ref));
    const body = analyzePyFunction(dispatch, context);
    const span = context.spanBetween(dispatch.start, dispatch.nameEnd);
    if (body.authCheck) classChain.push({ label: `${cls.name}.dispatch`, span, authCheck: { ...body.authCheck, description: `${cls.name}.dispatch() ${body.authCheck.description}` } });
    else if (body.callsAtStart.length) classChain.push({ label: `${cls.name}.dispatch`, span, callsAtStart: body.callsAtStart });
  }

  const permissionsAttribute = classAttribute(cls, 'permission_classes');
  const classPermissions = kind === 'drf' && permissionsAttribute ? listElements(permissionsAttribute) ?? [] : undefined;
  const getPermissions = kind === 'drf' ? methods.get('get_permissions') : undefined;
  const actionRules = getPermissions ? actionPermissions(getPermissions, context) : undefined;
  const classRules = kind === 'drf' ? permissionRules(classPermissions, context) : undefined;
  const classSpan = context.spanBetween(cls.start, cls.nameEnd);
  const insertion = kind === 'drf'
    ? getPermissions ? undefined : permissionsAttribute ? listInsertion(permissionsAttribute) : classAttributeInsertion(cls, context)
    : kind === 'django' && cls.bases[0] && !cls.bases.some((base) => authMixin(baseName(base, context))) ? { offset: cls.bases[0].start, kind: 'python-base' as const, style: 'mixin' as const } : undefined;

  const handler = (method: HttpMethod, name: string, def: PyFunctionDef | undefined, action?: string, extraPermissions?: PyExpr[]): ViewHandler => {
    const chain = [...classChain];
    if (def) chain.push(...def.decorators.filter((decorator) => !isActionDecorator(decorator, context)).map((decorator) => decoratorItem(decorator, context)).filter((item) => !item.notAuth));
    if (flaskDecorators?.byMethod.get(name)) chain.push(...flaskDecorators.byMethod.get(name)!);
    let rules = extraPermissions ? permissionRules(extraPermissions, context)(method) : undefined;
    if (!rules && action && actionRules) rules = actionRules(action, method);
    rules ??= classRules?.(method);
    const body = def ? analyzePyFunction(def, context) : undefined;
    const span = def ? context.spanBetween(def.start, def.nameEnd) : classSpan;
    const defaults: FrameworkDefault['scope'][] = kind === 'flask' ? [] : ['django', ...(kind === 'drf' && !rules?.own ? ['drf' as const] : [])];
    return {
      method,
      ...(action ? { action } : {}),
      handlerName: `${cls.name}.${name}`,
      span,
      chain: [...chain, ...(rules?.items ?? [])],
      ...(body ? { handler: { label: 'handler', span, ...bodyFields(body) } } : {}),
      ...(rules?.publicByDesign ? { publicByDesign: rules.publicByDesign } : {}),
      ...(defaults.length ? { defaults } : {}),
      ...(insertion ? { insertion } : {}),
    };
  };

  const handlers: ViewHandler[] = [];
  if (viewSet) {
    const lookup = stringValue(classAttribute(cls, 'lookup_url_kwarg')) ?? stringValue(classAttribute(cls, 'lookup_field')) ?? 'pk';
    // What the router lets through for it (DRF's default, [^/.]+, when the class does not say).
    const lookupPattern = stringValue(classAttribute(cls, 'lookup_value_regex'));
    const withLookup = (entry: ViewHandler): ViewHandler => (lookupPattern !== undefined && entry.subPath?.startsWith(':') ? { ...entry, lookupPattern } : entry);
    const actions = new Set<string>();
    for (const base of bases) for (const action of VIEWSET_BASE_ACTIONS[base.name] ?? []) actions.add(action);
    for (const name of methods.keys()) if (VIEWSET_ACTIONS[name]) actions.add(name);
    for (const action of Object.keys(VIEWSET_ACTIONS)) {
      if (!actions.has(action)) continue;
      const { method, detail } = VIEWSET_ACTIONS[action];
      handlers.push(withLookup({ ...handler(method, action, methods.get(action), action), subPath: detail ? `:${lookup}` : '' }));
    }
    // @action(detail=True, methods=['post'], url_path='set-password')
    for (const [name, def] of methods) {
      const decorator = def.decorators.find((candidate) => isActionDecorator(candidate, context));
      if (!decorator) continue;
      const call = decorator.type === 'Call' ? decorator : undefined;
      const detail = call ? keywordArg(call, 'detail')?.type === 'Constant' && (keywordArg(call, 'detail') as { value: string }).value === 'True' : false;
      const urlPath = (call && stringValue(keywordArg(call, 'url_path'))) ?? name;
      const permissions = call ? keywordArg(call, 'permission_classes') : undefined;
      for (const method of (call && methodList(keywordArg(call, 'methods'))) ?? ['GET']) {
        handlers.push(withLookup({ ...handler(method, name, def, name, permissions ? listElements(permissions) ?? [] : undefined), subPath: detail ? `:${lookup}/${urlPath}` : urlPath }));
      }
    }
    return { viewSet: true, handlers };
  }
  const seen = new Set<HttpMethod>();
  for (const [name, def] of methods) {
    const method = METHOD_NAMES[name];
    if (!method || (method === 'HEAD' || method === 'OPTIONS')) continue;
    seen.add(method);
    handlers.push(handler(method, name, def));
  }
  for (const base of bases) {
    for (const method of GENERIC_METHODS[base.name] ?? []) {
      if (seen.has(method)) continue;
      seen.add(method);
      handlers.push(handler(method, method.toLowerCase(), undefined));
    }
  }
  return handlers.length ? { handlers } : undefined;
}

/** What a class contributes as a base of other views, or as a permission class / middleware: its own checks. */
export function classCheck(cls: PyClassDef, context: PyFileContext): AuthCheck | undefined {
  for (const base of cls.bases) {
    const name = baseName(base, context);
    const mixin = authMixin(name);
    if (mixin) return { description: `inherits ${mixin}`, span: context.span(base) };
  }
  for (const decorator of cls.decorators) {
    const item = decoratorItem(decorator, context);
    if (item.authCheck) return { description: item.authCheck.description, span: item.span };
  }
  const permissions = classAttribute(cls, 'permission_classes');
  if (permissions) {
    for (const element of listElements(permissions) ?? []) {
      const item = permissionItem(element, context);
      if (item && item !== 'public' && item.authCheck && !item.unsafeMethodsOnly) return { description: `sets ${item.authCheck.description}`, span: item.span };
    }
  }
  for (const attribute of ['decorators', 'method_decorators']) {
    const value = classAttribute(cls, attribute);
    for (const element of listElements(value) ?? []) {
      const item = decoratorItem(element, context);
      if (item.authCheck) return { description: `${attribute} = [${item.label}]: ${item.authCheck.description}`, span: item.span };
    }
  }
  for (const statement of cls.body) {
    if (statement.type !== 'FunctionDef') continue;
    if (statement.name === 'has_permission' && READS_IDENTITY.test(context.text.slice(statement.start, statement.end))) {
      return { description: 'has_permission checks who is calling', span: context.spanBetween(statement.start, statement.nameEnd) };
    }
    if (/^(dispatch|__call__|process_request|process_view)$/.test(statement.name)) {
      const body = analyzePyFunction(statement, context);
      if (body.authCheck) return { description: `${statement.name}() ${body.authCheck.description}`, span: body.authCheck.span, ...(body.authCheck.webhook ? { webhook: true } : {}) };
    }
  }
  return undefined;
}

const READS_IDENTITY = /\.user\b|is_authenticated|\.auth\b|authorization|token|api[-_]?key|session|has_perm|is_staff|is_superuser/i;

interface PermissionRules {
  items: ChainItem[];
  publicByDesign?: string;
  /** The view sets its own permission classes, so the project default does not apply. */
  own: boolean;
}

/** `permission_classes = [...]` read for one method: IsAuthenticatedOrReadOnly guards only writes; [AllowAny] is public by design. */
function permissionRules(elements: PyExpr[] | undefined, context: PyFileContext): (method: HttpMethod) => PermissionRules | undefined {
  if (elements === undefined) return () => undefined;
  const items = elements.map((element) => permissionItem(element, context));
  const allPublic = elements.length > 0 && items.every((item) => item === 'public');
  return (method) => ({
    own: true,
    items: items.filter((item): item is ChainItem => item !== undefined && item !== 'public' && !(item.unsafeMethodsOnly && SAFE_METHODS.has(method))),
    ...(allPublic ? { publicByDesign: 'permission_classes = [AllowAny]: anyone may call it' } : {}),
  });
}

/**
 * `get_permissions()` choosing classes by action: `if self.action in ['list', 'retrieve']: return [AllowAny()]`.
 * Actions named in a condition get the classes of that branch; the rest get what is returned outside the conditions.
 */
function actionPermissions(fn: PyFunctionDef, context: PyFileContext): (action: string, method: HttpMethod) => PermissionRules | undefined {
  const byAction = new Map<string, PyExpr[]>();
  const fallback: PyExpr[] = [];
  const classesIn = (node: PyStatement | PyExpr): PyExpr[] => {
    const found: PyExpr[] = [];
    walkPython(node, (child) => {
      if (child.type !== 'Name' && child.type !== 'Attribute') return undefined;
      const name = dottedName(child) ?? '';
      const last = context.originalName(name).split('.').pop() ?? '';
      if (permissionClass(last) || isPublicPermissionClass(last) || /Permission|^Is[A-Z]|^Has[A-Z]/.test(last)) found.push(child);
      return false;
    });
    return found;
  };
  const visit = (statements: PyStatement[]): void => {
    for (const statement of statements) {
      if (statement.type === 'If' && /self\.action|\.action\b/.test(context.text.slice(statement.test.start, statement.test.end))) {
        const actions: string[] = [];
        walkPython(statement.test, (node) => {
          const value = node.type === 'Str' ? node.value : undefined;
          if (value) actions.push(value);
        });
        const classes = statement.body.flatMap(classesIn);
        for (const action of actions) if (!byAction.has(action)) byAction.set(action, classes);
        visit(statement.orelse);
      } else {
        fallback.push(...classesIn(statement));
      }
    }
  };
  visit(fn.body);
  return (action, method) => {
    const classes = byAction.get(action) ?? fallback;
    if (classes.length === 0) return undefined;
    const rules = permissionRules(classes, context)(method);
    if (rules?.publicByDesign) rules.publicByDesign = `get_permissions() lets anyone call ${action}`;
    return rules;
  };
}

/** Flask MethodView `decorators = [login_required]`, Flask-RESTful `method_decorators = [...]` or `{'post': [...]}`. */
function classDecoratorList(cls: PyClassDef, context: PyFileContext): { all: ChainItem[]; byMethod: Map<string, ChainItem[]> } | undefined {
  const all: ChainItem[] = [];
  const byMethod = new Map<string, ChainItem[]>();
  for (const attribute of ['decorators', 'method_decorators']) {
    const value = classAttribute(cls, attribute);
    if (!value) continue;
    if (value.type === 'Dict') {
      value.keys.forEach((key, index) => {
        const method = stringValue(key ?? undefined);
        if (method) byMethod.set(method, (listElements(value.values[index]) ?? []).map((element) => decoratorItem(element, context)));
      });
    } else {
      all.push(...(listElements(value) ?? []).map((element) => decoratorItem(element, context)));
    }
  }
  return all.length || byMethod.size ? { all, byMethod } : undefined;
}

/** Just inside an existing `permission_classes = []` / `@permission_classes([...])` list: the new class goes first. */
function listInsertion(list: PyExpr): AuthInsertion | undefined {
  if (list.type !== 'List' && list.type !== 'Tuple') return undefined;
  if (list.type === 'Tuple' && !list.parenthesized) return undefined;
  return { offset: list.start + 1, kind: 'python-list', style: 'drf-list', ...(list.type === 'List' && list.elts.length === 0 ? { emptyList: true } : {}) };
}

/** Where `permission_classes = [...]` goes: the first line of the class body (after its docstring). */
function classAttributeInsertion(cls: PyClassDef, context: PyFileContext): AuthInsertion | undefined {
  const first = cls.body[0];
  if (!first) return undefined;
  const docstring = first.type === 'ExprStatement' && first.value.type === 'Str';
  const anchor = docstring ? cls.body[1] : first;
  if (!anchor) return undefined;
  if (context.file.lines.positionAt(anchor.start).line === context.file.lines.positionAt(cls.start).line) return undefined;
  return { offset: context.lineStartAt(anchor.start), kind: 'python-class-attribute', indent: context.indentAt(anchor.start), style: 'drf-class' };
}

/** Methods a function view handles when nothing restricts them: GET, plus the ones its body branches on. */
function inferredMethods(fn: PyFunctionDef, context: PyFileContext): HttpMethod[] {
  const text = context.text.slice(fn.start, fn.end);
  const methods: HttpMethod[] = ['GET'];
  if (/request\.(POST|FILES|body)\b|request\.method\s*(==|!=|in)\s*[\s\S]{0,40}["']POST["']|request\.data\b/.test(text)) methods.push('POST');
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    if (new RegExp(`request\\.method\\s*(==|!=|in)[^\\n]{0,60}["']${method}["']`).test(text)) methods.push(method);
  }
  return methods;
}

function bodyFields(body: ReturnType<typeof analyzePyFunction>): Partial<ChainItem> {
  return {
    ...(body.authCheck ? { authCheck: body.authCheck } : {}),
    ...(body.checkAfterWork ? { checkAfterWork: body.checkAfterWork } : {}),
    ...(body.callsAtStart.length ? { callsAtStart: body.callsAtStart } : {}),
  };
}

function isActionDecorator(decorator: PyExpr, context: PyFileContext): boolean {
  const name = dottedName(decorator.type === 'Call' ? decorator.func : decorator) ?? '';
  return context.originalName(name).split('.').pop() === 'action';
}

/** The last part of a base class's name as imported: `generics.ListCreateAPIView` → 'ListCreateAPIView'. */
function baseName(base: PyExpr, context: PyFileContext): string {
  const name = dottedName(base.type === 'Subscript' ? base.value : base) ?? '';
  return context.originalName(name).split('.').pop() ?? '';
}

/** `name = value` in a class body. */
export function classAttribute(cls: PyClassDef, name: string): PyExpr | undefined {
  for (const statement of cls.body) {
    if (statement.type === 'Assign' && statement.value && statement.targets.some((target) => target.type === 'Name' && target.id === name)) return statement.value;
  }
  return undefined;
}

/** Elements of a list or tuple literal. */
export function listElements(expr: PyExpr | undefined): PyExpr[] | undefined {
  if (!expr) return undefined;
  if (expr.type === 'List' || expr.type === 'Tuple' || expr.type === 'Set') return expr.elts;
  return undefined;
}

/** `['GET', 'post']` → ['GET', 'POST']. */
export function methodList(expr: PyExpr | undefined): HttpMethod[] | undefined {
  const elements = listElements(expr) ?? (expr && stringValue(expr) !== undefined ? [expr] : undefined);
  if (!elements) return undefined;
  const methods = elements.map((element) => METHOD_NAMES[(stringValue(element) ?? '').toLowerCase()]).filter((method): method is HttpMethod => method !== undefined);
  return methods.length ? methods : undefined;
}
