import type { PyClassDef, PyExpr, PyFunctionDef, PyParam } from '../../python/ast';
import { dottedName, keywordArg, positionalArg, stringValue } from '../../python/walk';
import { lastName, qualifiedName, type PyFileFacts } from './pyFileFacts';
import type { PyInputData } from './pyRuleData';
import type { ViewParameters } from '../../routes/link/viewParameters';

/**
 * Which functions receive a request, and what each of their parameters is: the request
 * object itself (a Django view's `request`, FastAPI's `request: Request`), request input
 * (a FastAPI handler's `q: str`, a Flask route's `<name>`), or something validated
 * (a pydantic model, `int`, a dependency).
 */

export type PyParamRole =
  | { kind: 'root'; root: string }
  | { kind: 'source'; location: string; field?: string; whole?: boolean; structured?: boolean };

export interface PyHandler {
  /** Per parameter (by index), its role; undefined for parameters that carry no input. */
  roles: (PyParamRole | undefined)[];
  /** A Flask (or Quart) view: what it returns is the response body. */
  flaskView: boolean;
}

interface RouteDecorator {
  path: string | undefined;
  style: 'flask' | 'fastapi';
}

/** The route decorator on a function (`@app.get("/items/{id}")`, `@bp.route("/<name>")`), if any. */
function routeDecorator(fn: PyFunctionDef, facts: PyFileFacts, data: PyInputData): RouteDecorator | undefined {
  for (const decorator of fn.decorators) {
    if (decorator.type !== 'Call' || decorator.func.type !== 'Attribute' || !data.routeDecorators.has(decorator.func.attr)) continue;
    const pathArgument = positionalArg(decorator, 0) ?? keywordArg(decorator, 'path') ?? keywordArg(decorator, 'rule');
    const path = stringValue(pathArgument);
    const flask = facts.frameworks.has('flask');
    const fastapi = facts.frameworks.has('fastapi');
    if (!flask && !fastapi) continue;
    let style: 'flask' | 'fastapi' = fastapi ? 'fastapi' : 'flask';
    if (flask && fastapi) style = path?.includes('<') ? 'flask' : 'fastapi';
    else if (decorator.func.attr === 'route' && !fastapi) style = 'flask';
    return { path, style };
  }
  return undefined;
}

/** Whether `cls` is a class-based view (Django, DRF, Flask MethodView): its methods get the request. */
export function isViewClass(cls: PyClassDef | undefined, data: PyInputData): boolean {
  if (!cls) return false;
  return cls.bases.some((base) => {
    const name = lastName(base.type === 'Subscript' ? base.value : base);
    return !!name && data.viewClassBases.test(name);
  });
}

/**
 * `urlParameters`: when the workspace's URL configuration routes to this function (a Django
 * view), the converters of each URL parameter it receives as a keyword argument.
 */
export function detectPyHandler(fn: PyFunctionDef, isMethod: boolean, facts: PyFileFacts, data: PyInputData, urlParameters?: Readonly<Record<string, readonly string[]>>): PyHandler | undefined {
  const route = routeDecorator(fn, facts, data);
  const roles: (PyParamRole | undefined)[] = [];
  let any = false;
  const first = isMethod ? 1 : 0;
  const pathNames = route?.path ? routePathParams(route.path, route.style) : new Map<string, string | undefined>();
  fn.params.forEach((param, index) => {
    if (index < first) return;
    const role = requestRole(param, index === first, facts, data, !!urlParameters)
      ?? (route ? routeParamRole(param, route, pathNames, facts, data) : undefined)
      ?? (urlParameters ? urlParameterRole(param, urlParameters, data) : undefined);
    roles[index] = role;
    if (role) any = true;
  });
  const flaskView = route?.style === 'flask';
  return any || flaskView ? { roles, flaskView } : undefined;
}

/** A Django view's URL parameter (`def detail(request, slug)` for `path('<slug:slug>/', …)`): input unless every converter yields a number or UUID. */
function urlParameterRole(param: PyParam, urlParameters: Readonly<Record<string, readonly string[]>>, data: PyInputData): PyParamRole | undefined {
  if (param.kind === 'vararg' || param.kind === 'kwarg') return undefined;
  const types = Object.hasOwn(urlParameters, param.name) ? urlParameters[param.name] : undefined;
  if (!types || types.every((type) => convertsToNonText(type, data))) return undefined;
  return { kind: 'source', location: 'params', field: param.name };
}

/**
 * `int`, `uuid`, or a re_path group that matches only digits, hex and dashes (`\d+`,
 * `[0-9]{4}`, `[0-9a-f-]+`). The token pattern has one way to match each character, so it
 * cannot backtrack.
 */
export const NUMERIC_URL_GROUP = /^(?:\\d|\[(?:\\d|0-9|a-f|A-F|-)+\]|\{\d+(?:,\d*)?\}|[+*?])+$/;

/**
 * URL parameters every pattern routing to a class-based view's methods converts to a number or
 * UUID: `self.kwargs["pk"]` for `<int:pk>` carries no text.
 */
export function numericViewKwargs(viewParameters: ViewParameters | undefined, className: string, data: PyInputData): ReadonlySet<string> {
  const types = new Map<string, string[]>();
  for (const [view, parameters] of viewParameters ?? []) {
    if (!view.startsWith(`${className}.`)) continue;
    for (const [name, converters] of Object.entries(parameters)) types.set(name, [...(types.get(name) ?? []), ...converters]);
  }
  return new Set([...types].filter(([, converters]) => converters.every((type) => convertsToNonText(type, data))).map(([name]) => name));
}

function convertsToNonText(type: string, data: PyInputData): boolean {
  if (type.startsWith('regex:')) return NUMERIC_URL_GROUP.test(type.slice('regex:'.length));
  // Django's int and uuid, Flask's float too (converter names mean the same in both).
  const { djangoCleanConverters, flaskCleanConverters } = data.sources.parameters;
  return djangoCleanConverters.includes(type) || flaskCleanConverters.includes(type);
}

/**
 * The request object: by its annotation (`request: Request`), or by name in a Django (or Flask
 * helper) function. `djangoView`: the URL configuration routes to the function.
 */
function requestRole(param: PyParam, firstParameter: boolean, facts: PyFileFacts, data: PyInputData, djangoView = false): PyParamRole | undefined {
  if (param.kind === 'vararg' || param.kind === 'kwarg') return undefined;
  if (param.annotation) {
    const name = dottedName(param.annotation);
    if (!name) return undefined;
    const imported = facts.imports.get(name.split('.')[0]);
    const qualified = imported ? qualifiedName({ name: imported.name, path: [...imported.path, ...name.split('.').slice(1)] }) : name;
    for (const type of data.sources.requestTypes) {
      const last = qualified.split('.').pop()!;
      const module = qualified.split('.').slice(0, -1).join('.');
      if (type.names.includes(last) && (!type.modules || type.modules.includes(module))) return { kind: 'root', root: type.root };
    }
    return undefined;
  }
  if (!firstParameter || !data.sources.requestParameterNames.includes(param.name)) return undefined;
  if (djangoView || facts.frameworks.has('django')) return { kind: 'root', root: 'djangoRequest' };
  if (facts.frameworks.has('flask')) return { kind: 'root', root: 'flaskRequest' };
  return undefined;
}

/** `<int:id>` and `<name>` (Flask), `{id}` and `{path:path}` (FastAPI): parameter name → converter. */
function routePathParams(path: string, style: 'flask' | 'fastapi'): Map<string, string | undefined> {
  const names = new Map<string, string | undefined>();
  const pattern = style === 'flask' ? /<(?:([a-zA-Z_]\w*)(?:\([^)]*\))?:)?([a-zA-Z_]\w*)>/g : /\{([a-zA-Z_]\w*)(?::(\w+))?\}/g;
  for (const match of path.matchAll(pattern)) {
    if (style === 'flask') names.set(match[2], match[1]);
    else names.set(match[1], match[2]);
  }
  return names;
}

type TypeClass = 'clean' | 'text' | 'body' | 'upload';

const RANK: Record<TypeClass, number> = { clean: 0, upload: 1, text: 2, body: 3 };

function worst(a: TypeClass, b: TypeClass): TypeClass {
  return RANK[a] >= RANK[b] ? a : b;
}

/** What a parameter annotation lets through, and the markers written in it (`Annotated[str, Query()]`). */
function classifyType(annotation: PyExpr | undefined, facts: PyFileFacts, data: PyInputData, markers: PyExpr[], depth = 0): TypeClass {
  if (!annotation) return 'text';
  if (depth > 6) return 'text';
  switch (annotation.type) {
    case 'Constant':
      return 'clean';
    case 'Str':
      // A forward reference: "Item".
      return annotation.value ? classifyName(annotation.value, facts, data) : 'text';
    case 'Name':
    case 'Attribute': {
      const name = dottedName(annotation);
      return name ? classifyName(name, facts, data) : 'text';
    }
    case 'BinOp': {
      if (annotation.op !== '|') return 'text';
      return worst(classifyType(annotation.left, facts, data, markers, depth + 1), classifyType(annotation.right, facts, data, markers, depth + 1));
    }
    case 'Subscript': {
      const base = lastName(annotation.value);
      const elements = annotation.slice.type === 'Tuple' ? annotation.slice.elts : [annotation.slice];
      if (!base) return 'text';
      if (base === 'Annotated') {
        markers.push(...elements.slice(1));
        return classifyType(elements[0], facts, data, markers, depth + 1);
      }
      if (base === 'Literal') return 'clean';
      if (data.bodyTypes.has(base)) return 'body';
      if (data.wrapperTypes.has(base)) {
        let result: TypeClass = 'clean';
        for (const element of elements) result = worst(result, classifyType(element, facts, data, markers, depth + 1));
        return result;
      }
      if (data.cleanTypes.has(base)) return 'clean';
      return 'text';
    }
    default:
      return 'text';
  }
}

function classifyName(name: string, facts: PyFileFacts, data: PyInputData): TypeClass {
  const last = name.split('.').pop()!;
  if (last === 'None') return 'clean';
  if (data.textTypes.has(last)) return 'text';
  if (data.bodyTypes.has(last)) return 'body';
  if (data.uploadTypes.has(last)) return 'upload';
  if (data.cleanTypes.has(last)) return 'clean';
  const local = facts.classes.get(name);
  if (local) return 'clean';
  // An imported class (a pydantic model, an enum): FastAPI validates the request against it.
  return /^[A-Z]/.test(last) ? 'clean' : 'text';
}

/** A FastAPI (or Django Ninja) handler's parameter, or a Flask route's path variable. */
function routeParamRole(param: PyParam, route: RouteDecorator, pathNames: Map<string, string | undefined>, facts: PyFileFacts, data: PyInputData): PyParamRole | undefined {
  if (param.kind === 'vararg' || param.kind === 'kwarg') return undefined;
  if (route.style === 'flask') {
    if (!pathNames.has(param.name)) return undefined;
    const converter = pathNames.get(param.name);
    if (converter && data.sources.parameters.flaskCleanConverters.includes(converter)) return undefined;
    return { kind: 'source', location: 'params', field: param.name };
  }
  const markers: PyExpr[] = [];
  if (param.default) markers.push(param.default);
  const type = classifyType(param.annotation, facts, data, markers);
  let location: string | undefined;
  let alias: string | undefined;
  for (const marker of markers) {
    if (marker.type !== 'Call') continue;
    const markerName = lastName(marker.func);
    if (!markerName) continue;
    if (data.dependencyMarkers.has(markerName)) return undefined;
    const markerLocation = data.markers.get(markerName);
    if (!markerLocation) continue;
    location = markerLocation;
    // A pattern (or regex) the value must match is validation.
    if (data.sources.parameters.constrainedKeywords.some((keyword) => keywordArg(marker, keyword))) return undefined;
    alias = stringValue(keywordArg(marker, 'alias')) ?? alias;
  }
  if (type === 'clean') return undefined;
  const field = alias ?? (location === 'headers' ? param.name.replace(/_/g, '-') : param.name);
  if (type === 'upload') return { kind: 'source', location: 'upload' };
  if (type === 'body') {
    if (location && location !== 'body') return { kind: 'source', location, field };
    return { kind: 'source', location: 'body', whole: true, structured: true };
  }
  if (!location) location = pathNames.has(param.name) ? 'params' : 'query';
  return { kind: 'source', location, field, whole: false, structured: false };
}
