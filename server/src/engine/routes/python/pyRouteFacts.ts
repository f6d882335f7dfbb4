import type { FileContext } from '../../fileContext';
import { parseDirectives } from '../../suppression/inlineSuppressions';
import type { PyModule, PyStatement } from '../../python/ast';
import { dottedName } from '../../python/walk';
import type { ExportFact, FileRouteFacts } from '../routeFacts';
import { extractDjangoDefaults } from './djangoSettings';
import { extractDjangoUrls } from './djangoUrls';
import { PyFileContext } from './pyFileContext';
import { collectDefinedNames, functionFacts } from './pyFunctions';
import { findUnverifiedPythonJwtDecodes } from './pyJwtDecode';
import { extractPyRouters } from './pyRouters';

const ROUTE_TOKENS = /flask|Flask|Blueprint|fastapi|FastAPI|APIRouter|django|urlpatterns|rest_framework|login_required|permission_classes|Depends|before_request|as_view|REST_FRAMEWORK|MIDDLEWARE|has_permission|jwt|quart|Resource\b|MethodView|@\w+\.(?:route|get|post|put|patch|delete|api_route)\(|register_blueprint|include_router|add_url_rule/;
const AUTH_HINTS = /session|token|user|authoriz|api_?key|signature|credential/i;
const REJECTION_HINTS = /\b40[13]\b|abort\(|HTTPException|PermissionDenied|Unauthorized|Forbidden|redirect|NotAuthenticated|AuthenticationFailed|verify|wraps/;

/** Whether a Python file can hold routes, URL patterns, auth settings or auth helpers: decided from text, before parsing. */
export function mayHoldPythonRouteFacts(projectPath: string, text: string): boolean {
  return ROUTE_TOKENS.test(text) || (AUTH_HINTS.test(text) && REJECTION_HINTS.test(text)) || (/(^|\/)__init__\.py$/.test(projectPath) && /\bimport\b/.test(text)) || SETTINGS_CLASS.test(text) || PATH_CONSTANT.test(text);
}

/** A pydantic settings class, where FastAPI apps keep their path prefixes (`API_V1_STR`). */
const SETTINGS_CLASS = /\bBaseSettings\b/;
/** A module-level upper-case constant holding a path (`API_PREFIX = "/api/v1"`), which a prefix elsewhere may name. */
export const PATH_CONSTANT = /^[A-Z][A-Z0-9_]*[ \t]*(?::[ \t]*str[ \t]*)?=[ \t]*["']\//m;
/** Names of settings a path may hold: upper case, as settings are written. */
const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;
const PATH_VALUE = /^(?:\/[\w.~-]*)*\/?$/;

/** Everything one Python file says about routes and auth; undefined when it says nothing. */
export function extractPythonRouteFacts(file: FileContext): FileRouteFacts | undefined {
  if (file.language.id !== 'python' || !mayHoldPythonRouteFacts(file.projectPath, file.text)) return undefined;
  const module = file.pythonModule();
  if (!module) return undefined;
  const context = new PyFileContext(file, module);

  collectDefinedNames(context);
  const { routers: callRouters, handlers } = extractPyRouters(context);
  const routers = [...callRouters, ...extractDjangoUrls(context)];
  const functions = functionFacts(context, handlers);
  const frameworkDefaults = extractDjangoDefaults(context);
  const jwtDecodes = findUnverifiedPythonJwtDecodes(context);
  const exports = exportsOf(context);

  const pathSettings = pathSettingsOf(module);
  const saysSomething = routers.length > 0 || frameworkDefaults.length > 0 || jwtDecodes.length > 0 || Object.keys(pathSettings).length > 0
    || functions.some((fn) => fn.authCheck || fn.view || fn.alias || fn.callsAtStart.length > 0);
  // A package's __init__.py may only re-export what its modules define: other files import through it.
  const reExports = /(^|\/)__init__\.py$/.test(file.projectPath) && exports.some((entry) => 'module' in entry);
  if (!saysSomething && !reExports) return undefined;
  return {
    file: file.path,
    language: 'python',
    imports: [...context.imports.values()],
    exports,
    functions,
    routers,
    routes: [],
    pathGuards: [],
    directives: parseDirectives(file.text, file.lines),
    jwtDecodes,
    ...(frameworkDefaults.length ? { frameworkDefaults } : {}),
    ...(Object.keys(pathSettings).length ? { pathSettings } : {}),
    importsEnd: importsEnd(module, file),
    moduleStyle: 'esm',
  };
}

/**
 * Upper-case settings whose value is a URL path: the fields of a `BaseSettings` class
 * (`API_V1_STR: str = "/api/v1"`) and module-level constants (`API_PREFIX = "/api"`, in a
 * config module or beside the routes).
 */
function pathSettingsOf(module: PyModule): Record<string, string> {
  const settings: Record<string, string> = {};
  const take = (statement: PyStatement) => {
    if (statement.type !== 'Assign' || (statement.kind !== 'plain' && statement.kind !== 'annotated') || statement.targets.length !== 1) return;
    const [target] = statement.targets;
    const value = statement.value;
    if (target.type !== 'Name' || !SETTING_NAME.test(target.id) || value?.type !== 'Str' || value.value === undefined || value.isBytes) return;
    // Only what reads as a URL path: a setting such as SECRET_KEY never leaves the file.
    if (!PATH_VALUE.test(value.value)) return;
    settings[target.id] = value.value;
  };
  for (const statement of module.body) {
    if (statement.type !== 'ClassDef' || !statement.bases.some((base) => (dottedName(base) ?? '').split('.').pop() === 'BaseSettings')) continue;
    statement.body.forEach(take);
  }
  module.body.forEach(take);
  return settings;
}

/** In Python every top-level name can be imported: functions, classes, routers, names with facts, and what the file imports. */
function exportsOf(context: PyFileContext): ExportFact[] {
  const exports: ExportFact[] = [];
  const local = new Set<string>([...context.functions.keys(), ...context.classes.keys(), ...context.definedNames]);
  for (const name of context.routerNames) if (!context.imports.has(name) && !name.includes('.') && !name.includes('@')) local.add(name);
  for (const name of local) exports.push({ exported: name, local: name });
  for (const fact of context.imports.values()) {
    if (local.has(fact.local) || fact.local.includes('.')) continue;
    exports.push({ exported: fact.local, module: fact.module, imported: fact.imported === '*' ? '*' : fact.imported });
  }
  for (const module of context.starImports) exports.push({ exported: '*', module, imported: '*' });
  return exports;
}

/**
 * Where a fix adds an import: after the last import of the file's opening block (after the
 * docstring, `from __future__` and comments when there is no import yet).
 */
function importsEnd(module: PyModule, file: FileContext): number {
  let end = 0;
  for (const [index, statement] of module.body.entries()) {
    if (statement.type === 'Import' || statement.type === 'ImportFrom') end = statement.end;
    else if (index === 0 && statement.type === 'ExprStatement' && statement.value.type === 'Str') end = statement.end;
    else break;
  }
  if (end === 0) return 0;
  const lineBreak = file.text.indexOf('\n', end);
  return lineBreak === -1 ? file.text.length : lineBreak + 1;
}
