import type { PyCall, PyExpr, PyParam } from '../../python/ast';
import { dottedName, keywordArg, positionalArg, walkPython } from '../../python/walk';
import type { ChainItem } from '../routeFacts';
import { authMixin, isPublicPermissionClass, knownAuthDecorator, knownDependencyCall, knownNotAuthDecorator, permissionClass, securityScheme } from './pythonSignals';
import type { PyFileContext } from './pyFileContext';

/**
 * Turns what guards a Python route into chain items: decorators (`@login_required`,
 * `@jwt_required()`, the project's own `@admin_required`), FastAPI dependencies
 * (`Depends(get_current_user)`, `Security(…)`, `Annotated[User, Depends(…)]`), DRF permission
 * classes and Django mixins. Decided in place when known, otherwise a reference to resolve.
 */

/** A decorator (or a wrapper call in urls.py: `login_required(views.detail)`). */
export function decoratorItem(expr: PyExpr, context: PyFileContext): ChainItem {
  const span = context.span(expr);
  const label = context.label(expr);
  const name = dottedName(expr.type === 'Call' ? expr.func : expr);
  if (!name) return { label, span };
  const root = name.split('.')[0];
  const original = name.includes('.') ? name : context.originalName(name);
  // The project's own `def login_required(f)` is judged by its code, not by its name.
  const known = context.defines(root) && !name.includes('.') ? undefined : knownAuthDecorator(original, context.moduleOf(root));
  if (known) return { label, span, authCheck: { description: known, span } };
  if (context.authFunctionNames.has(name) || context.authFunctionNames.has(name.split('.').pop() ?? '')) {
    return { label, span, authCheck: { description: `${name} (an auth check named in .shipshape.json)`, span } };
  }
  if (knownNotAuthDecorator(original)) return { label, span, notAuth: true };
  // `@method_decorator(login_required, name='dispatch')`: the decorator it applies.
  if (name.split('.').pop() === 'method_decorator' && expr.type === 'Call' && expr.args[0]) {
    const inner = expr.args[0].type === 'List' || expr.args[0].type === 'Tuple' ? expr.args[0].elts : [expr.args[0]];
    const items = inner.map((element) => decoratorItem(element, context));
    const check = items.find((item) => item.authCheck);
    if (check) return { label, span, authCheck: { description: `@method_decorator(${check.label})`, span } };
    const referenced = items.find((item) => item.ref);
    return referenced ? { label, span, ref: referenced.ref } : { label, span, notAuth: true };
  }
  const ref = context.refOf(name);
  return ref ? { label, span, ref } : { label, span };
}

/** The dependency a `Depends(…)` / `Security(…)` call names, as a chain item (undefined for `Depends()` without a type to use). */
export function dependencyItem(call: PyCall, context: PyFileContext, annotation?: PyExpr): ChainItem | undefined {
  const target = positionalArg(call, 0) ?? keywordArg(call, 'dependency') ?? annotation;
  if (!target) return undefined;
  const span = context.span(call);
  if (target.type === 'Call') {
    const callee = dottedName(target.func) ?? '';
    const scheme = securityScheme(context.originalName(callee));
    if (scheme && isSecurityModule(context.moduleOf(callee.split('.')[0]))) return { label: context.label(target), span, authCheck: { description: scheme, span } };
    const known = knownDependencyCall(callee);
    if (known) return { label: context.label(target), span, authCheck: { description: known, span } };
    // `Depends(RoleChecker(['admin']))`: the class's __call__ decides.
    const ref = callee ? context.refOf(callee) : undefined;
    return ref ? { label: context.label(target), span, ref } : { label: context.label(target), span };
  }
  const name = dottedName(target);
  if (!name) return { label: context.label(target), span };
  if (context.authFunctionNames.has(name)) return { label: name, span, authCheck: { description: `${name} (an auth check named in .shipshape.json)`, span } };
  const ref = context.refOf(name);
  return ref ? { label: name, span, ref } : { label: name, span };
}

/** Whether a call is FastAPI's `Depends`/`Security` (by name, as fastapi exports them). */
export function isDependsCall(expr: PyExpr | undefined, context: PyFileContext): expr is PyCall {
  if (!expr || expr.type !== 'Call') return false;
  const name = dottedName(expr.func) ?? '';
  const last = context.originalName(name).split('.').pop();
  return last === 'Depends' || last === 'Security';
}

/**
 * The dependencies a handler or dependency parameter declares: `= Depends(x)`, `Annotated[T, Depends(x)]`,
 * and — as optional items, since the type may be a plain model — an Annotated alias named as the type (`user: CurrentUser`).
 */
export function parameterItems(param: PyParam, context: PyFileContext): ChainItem[] {
  const items: ChainItem[] = [];
  if (isDependsCall(param.default, context)) {
    const item = dependencyItem(param.default, context, param.annotation);
    if (item) items.push(item);
  }
  const annotation = param.annotation;
  if (!annotation) return items;
  let sawDepends = false;
  walkPython(annotation, (node) => {
    if (node.type === 'Call' && isDependsCall(node, context)) {
      sawDepends = true;
      const item = dependencyItem(node, context);
      if (item) items.push(item);
      return false;
    }
    return undefined;
  });
  if (!sawDepends && items.length === 0 && (annotation.type === 'Name' || annotation.type === 'Attribute')) {
    const name = dottedName(annotation);
    if (name && !BUILTIN_TYPES.has(name)) {
      const ref = context.refOf(name);
      if (ref && ref.kind !== 'router') items.push({ label: name, span: context.span(annotation), ref, optional: true });
    }
  }
  return items;
}

/** A DRF permission class (`IsAuthenticated`, `permissions.IsAdminUser`, the project's `IsOwner`); 'public' for AllowAny. */
export function permissionItem(expr: PyExpr, context: PyFileContext): ChainItem | 'public' | undefined {
  // `IsAuthenticated & IsAdminUser`, `IsAuthenticated | ReadOnly`: composed permissions — the first class decides the label.
  const element = expr.type === 'BinOp' ? expr.left : expr.type === 'Call' ? expr.func : expr;
  const name = dottedName(element);
  if (!name) return undefined;
  const original = name.includes('.') ? name : context.originalName(name);
  const span = context.span(expr);
  if (isPublicPermissionClass(original) && expr.type !== 'BinOp') return 'public';
  const known = permissionClass(original);
  if (known) {
    const orReadOnly = expr.type === 'BinOp' && expr.op === '|';
    return { label: original.split('.').pop()!, span, authCheck: { description: `permission_classes: ${known.description}`, span }, ...(known.unsafeMethodsOnly || orReadOnly ? { unsafeMethodsOnly: true } : {}) };
  }
  if (context.authFunctionNames.has(name)) return { label: name, span, authCheck: { description: `${name} (an auth check named in .shipshape.json)`, span } };
  const ref = context.refOf(name);
  return ref ? { label: name, span, ref } : { label: name, span };
}

/** A base class that guards a Django class-based view (LoginRequiredMixin…), or a project base that may. */
export function baseItem(expr: PyExpr, context: PyFileContext): ChainItem | undefined {
  const name = dottedName(expr);
  if (!name) return undefined;
  const span = context.span(expr);
  const mixin = authMixin(name.includes('.') ? name : context.originalName(name));
  if (mixin) return { label: name, span, authCheck: { description: mixin, span } };
  const ref = context.refOf(name);
  if (!ref || ref.kind === 'router') return undefined;
  // A base from a package (View, APIView) is not a check; one of the project's own may carry one.
  return { label: name, span, ref, optional: true };
}

function isSecurityModule(module: string | undefined): boolean {
  return module === undefined || /^(fastapi|fastapi\.security|starlette|flask_httpauth)/.test(module);
}

const BUILTIN_TYPES = new Set([
  'str', 'int', 'float', 'bool', 'bytes', 'dict', 'list', 'set', 'tuple', 'Any', 'Optional', 'Request', 'Response', 'BackgroundTasks', 'UploadFile', 'WebSocket', 'HTTPConnection',
]);
