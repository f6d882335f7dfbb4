import type { PyExpr, PyFunctionDef } from '../../python/ast';
import { dottedName, walkPython } from '../../python/walk';
import type { ChainItem, FunctionFact, ValueRef } from '../routeFacts';
import { analyzePyFunction } from './pyBodyAuth';
import { decoratorItem, dependencyItem, isDependsCall, parameterItems } from './pyChainItems';
import type { PyFileContext } from './pyFileContext';
import { classCheck, classView, functionView } from './pyViews';
import { securityScheme } from './pythonSignals';

/**
 * What each top-level name of a Python file says about auth, for references from other files:
 * functions (a decorator judged by the wrapper it returns, a FastAPI dependency by its
 * parameters and body, a view by its methods), classes (permission classes, middleware, view
 * bases, class-based views), security-scheme objects and `Annotated` dependency aliases.
 */

/** Module-level names with facts of their own; recorded first so references to them resolve in the file. */
export function collectDefinedNames(context: PyFileContext): void {
  for (const [name, value] of context.assignments) {
    if (schemeOf(value, context) || aliasTargets(value, context).length > 0 || asViewClass(value, context)) context.definedNames.add(name);
  }
}

export function functionFacts(context: PyFileContext, routeHandlers: ReadonlySet<PyFunctionDef>): FunctionFact[] {
  const facts: FunctionFact[] = [];
  for (const [name, fn] of context.functions) facts.push(functionFact(name, fn, context, routeHandlers.has(fn)));
  for (const [name, cls] of context.classes) {
    const check = classCheck(cls, context);
    const view = classView(cls, context);
    const bases: ValueRef[] = [];
    for (const base of cls.bases) {
      const ref = context.refOf(dottedName(base) ?? '');
      if (ref && ref.kind !== 'router') bases.push(ref);
    }
    // Project bases come first in callsAtStart: a subclass inherits their checks.
    facts.push({ name, span: context.spanBetween(cls.nameStart, cls.nameEnd), ...(check ? { authCheck: check } : {}), callsAtStart: bases, ...(view ? { view } : {}) });
  }
  for (const name of context.definedNames) {
    const value = context.assignments.get(name);
    if (!value) continue;
    const span = context.span(value);
    const scheme = schemeOf(value, context);
    if (scheme) {
      facts.push({ name, span, authCheck: { description: scheme, span }, callsAtStart: [] });
      continue;
    }
    const viewClass = asViewClass(value, context);
    const targets: ChainItem[] = viewClass ? [{ label: 'as_view', span, ref: viewClass }] : aliasTargets(value, context);
    const refs: ValueRef[] = [];
    let authCheck: FunctionFact['authCheck'];
    for (const target of targets) {
      if (target.authCheck && !authCheck) authCheck = target.authCheck;
      if (target.ref) refs.push(target.ref);
    }
    facts.push({ name, span, alias: true, ...(authCheck ? { authCheck } : {}), callsAtStart: refs });
  }
  return facts;
}

function functionFact(name: string, fn: PyFunctionDef, context: PyFileContext, isRouteHandler: boolean): FunctionFact {
  const wrapper = decoratorWrapper(fn);
  const target = wrapper ?? fn;
  const body = analyzePyFunction(target, context);
  const decorators = [...(isRouteHandler ? [] : fn.decorators), ...(wrapper?.decorators ?? [])].map((decorator) => decoratorItem(decorator, context));
  const dependencies = target.params.flatMap((param) => parameterItems(param, context)).filter((item) => !item.optional || item.ref?.kind === 'function');
  const first = [...decorators, ...dependencies].find((item) => item.authCheck);
  const authCheck = decorators.find((item) => item.authCheck)?.authCheck ?? body.authCheck ?? first?.authCheck;
  const callsAtStart: ValueRef[] = [];
  for (const item of [...decorators, ...dependencies]) if (item.ref && !item.notAuth) callsAtStart.push(item.ref);
  callsAtStart.push(...body.callsAtStart);
  const view = isRouteHandler ? undefined : functionView(fn, context, wrapper ? undefined : body);
  return {
    name,
    span: context.spanBetween(fn.nameStart, fn.nameEnd),
    ...(authCheck ? { authCheck } : {}),
    callsAtStart,
    ...(view ? { view } : {}),
  };
}

/**
 * The function a decorator returns in place of the one it decorates — `def login_required(f):
 * @wraps(f) def decorated(*a, **k): …; return decorated` — through a factory level
 * (`def roles_required(*roles): def decorator(f): …`), so its checks are judged where they run.
 */
export function decoratorWrapper(fn: PyFunctionDef, depth = 0): PyFunctionDef | undefined {
  if (depth > 3) return undefined;
  const nested = new Map<string, PyFunctionDef>();
  for (const statement of fn.body) if (statement.type === 'FunctionDef') nested.set(statement.name, statement);
  if (nested.size === 0) return undefined;
  for (const statement of fn.body) {
    if (statement.type !== 'Return' || statement.value?.type !== 'Name') continue;
    const inner = nested.get(statement.value.id);
    if (inner) return decoratorWrapper(inner, depth + 1) ?? inner;
  }
  return undefined;
}

/** `OAuth2PasswordBearer(tokenUrl=…)`, `HTTPBearer()`, `APIKeyHeader(name=…)`, Flask-HTTPAuth's `HTTPTokenAuth()`: the scheme's description. */
function schemeOf(value: PyExpr, context: PyFileContext): string | undefined {
  if (value.type !== 'Call') return undefined;
  const name = dottedName(value.func);
  if (!name) return undefined;
  const module = context.moduleOf(name.split('.')[0]);
  if (module !== undefined && !/^(fastapi|starlette|flask_httpauth)/.test(module)) return undefined;
  // `APIKeyHeader(name='X-API-Key', auto_error=False)` lets requests without the header through.
  if (value.keywords.some((keyword) => keyword.arg === 'auto_error' && keyword.value.type === 'Constant' && keyword.value.value === 'False')) return undefined;
  return securityScheme(context.originalName(name));
}

/** `Annotated[User, Depends(get_current_user)]`: the dependencies an alias stands for. */
function aliasTargets(value: PyExpr, context: PyFileContext): ChainItem[] {
  if (value.type !== 'Subscript' || !/(^|\.)Annotated$/.test(dottedName(value.value) ?? '')) return [];
  const items: ChainItem[] = [];
  walkPython(value.slice, (node) => {
    if (node.type === 'Call' && isDependsCall(node, context)) {
      const item = dependencyItem(node, context);
      if (item) items.push(item);
      return false;
    }
    return undefined;
  });
  return items;
}

/** `item_detail = ItemDetail.as_view()`: the class it makes a view of. */
function asViewClass(value: PyExpr, context: PyFileContext): ValueRef | undefined {
  if (value.type !== 'Call' || value.func.type !== 'Attribute' || value.func.attr !== 'as_view') return undefined;
  const name = dottedName(value.func.value);
  const ref = name ? context.refOf(name) : undefined;
  return ref && ref.kind !== 'router' ? ref : undefined;
}
