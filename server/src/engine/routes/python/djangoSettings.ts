import type { PyDict, PyExpr } from '../../python/ast';
import { stringValue } from '../../python/walk';
import type { ChainItem, FrameworkDefault } from '../routeFacts';
import type { PyFileContext } from './pyFileContext';
import { isPublicPermissionClass, permissionClass } from './pythonSignals';
import { listElements } from './pyViews';

/**
 * Project-wide defaults from Django settings: `REST_FRAMEWORK['DEFAULT_PERMISSION_CLASSES']`
 * (applies to every DRF view that sets no permission classes of its own) and
 * `MIDDLEWARE` with Django 5.1's `LoginRequiredMiddleware` (every view, unless
 * `@login_not_required`), or a project middleware whose code checks the caller.
 */
export function extractDjangoDefaults(context: PyFileContext): FrameworkDefault[] {
  if (!/REST_FRAMEWORK|MIDDLEWARE/.test(context.text)) return [];
  const defaults: FrameworkDefault[] = [];
  const drf: ChainItem[] = [];
  const django: ChainItem[] = [];
  for (const assign of context.assigns) {
    if (assign.parent?.type !== 'Module' || !assign.value) continue;
    for (const target of assign.targets) {
      if (target.type !== 'Name') continue;
      if (target.id === 'REST_FRAMEWORK' && assign.value.type === 'Dict') {
        const classes = dictValue(assign.value, 'DEFAULT_PERMISSION_CLASSES');
        for (const element of listElements(classes) ?? []) {
          const item = defaultPermission(element, context);
          if (item) drf.push(item);
        }
      } else if (target.id === 'MIDDLEWARE') {
        for (const element of listElements(assign.value.type === 'BinOp' ? assign.value.right : assign.value) ?? []) {
          const item = middlewareItem(element, context);
          if (item) django.push(item);
        }
      }
    }
  }
  if (drf.length) defaults.push({ scope: 'drf', chain: drf });
  if (django.length) defaults.push({ scope: 'django', chain: django });
  return defaults;
}

/** `'rest_framework.permissions.IsAuthenticated'` or the project's `'api.permissions.IsMember'`. */
function defaultPermission(element: PyExpr, context: PyFileContext): ChainItem | undefined {
  const dotted = stringValue(element);
  if (!dotted) return undefined;
  const span = context.span(element);
  const name = dotted.split('.').pop()!;
  if (isPublicPermissionClass(name)) return undefined;
  const known = permissionClass(name);
  if (known && (dotted === name || dotted.startsWith('rest_framework') || !dotted.includes('.') || /permissions/.test(dotted))) {
    return {
      label: name,
      span,
      authCheck: { description: `${known.description} (DEFAULT_PERMISSION_CLASSES in ${baseName(context.file.path)})`, span },
      ...(known.unsafeMethodsOnly ? { unsafeMethodsOnly: true } : {}),
    };
  }
  const module = dotted.slice(0, dotted.length - name.length - 1);
  if (!module) return { label: name, span };
  return { label: name, span, ref: { kind: 'import', module, imported: name, local: name } };
}

function middlewareItem(element: PyExpr, context: PyFileContext): ChainItem | undefined {
  const dotted = stringValue(element);
  if (!dotted) return undefined;
  const span = context.span(element);
  const name = dotted.split('.').pop()!;
  if (dotted === 'django.contrib.auth.middleware.LoginRequiredMiddleware') {
    return { label: name, span, authCheck: { description: `Django's LoginRequiredMiddleware (MIDDLEWARE in ${baseName(context.file.path)})`, span } };
  }
  if (/^(django|corsheaders|whitenoise|debug_toolbar|allauth|rest_framework|csp|django_|silk|simple_history|axes)/.test(dotted)) return undefined;
  const module = dotted.slice(0, dotted.length - name.length - 1);
  // A project middleware counts only when its code shows a check.
  return module ? { label: name, span, ref: { kind: 'import', module, imported: name, local: name }, optional: true } : undefined;
}

function dictValue(dict: PyDict, key: string): PyExpr | undefined {
  for (let index = 0; index < dict.keys.length; index++) {
    if (stringValue(dict.keys[index] ?? undefined) === key) return dict.values[index];
  }
  return undefined;
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
