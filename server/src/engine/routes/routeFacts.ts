import type { Range, TextEdit } from '../types';
import type { InlineDirective } from '../suppression/inlineSuppressions';
import type { Framework, HttpMethod } from './routeTypes';

/**
 * What one file says about routes, extracted from its parse tree once and cached by content:
 * which routers/apps it creates, what it registers on them in which order, what it imports
 * and exports, and which of its functions check authentication. Linking these facts across
 * files (buildRouteInventory) gives the inventory. Plain data: it crosses worker threads.
 */
export interface FileRouteFacts {
  file: string;
  imports: ImportFact[];
  exports: ExportFact[];
  /** Functions (and classes, for guards) this file defines, with what their bodies say about auth. */
  functions: FunctionFact[];
  /** Apps and routers created in this file (Express, Koa, Hono, Fastify). */
  routers: RouterFact[];
  /** Routes defined by file conventions or decorators (Next.js, NestJS, SvelteKit, Remix, Supabase Edge Functions, Python). */
  routes: DeclaredRoute[];
  /** Next.js middleware.ts / SvelteKit hooks: which paths it protects. */
  pathGuards: PathGuardFact[];
  /** NestJS: guards applied to every route (useGlobalGuards, APP_GUARD), global prefix. */
  nest?: { globalGuards: ChainItem[]; globalPrefix?: string };
  /** Inline `shipshape-public` / `shipshape-ignore` comments, so findings can honour them without re-reading. */
  directives: InlineDirective[];
  /** Calls that decode a JWT without verifying it, reported by auth/jwt-decode-without-verify. */
  jwtDecodes: SourceSpan[];
  /** Offset just after the file's top-level imports, where a quick fix adds one. */
  importsEnd: number;
  /** Whether the file uses `import` (esm) or `require` (cjs), for imports a fix adds. */
  moduleStyle: 'esm' | 'cjs';
  /** Set for Python files: picks the module resolver, and the syntax of the imports and comments a fix writes. */
  language?: 'python';
  /** Checks a framework applies to every route that sets none of its own (DRF's DEFAULT_PERMISSION_CLASSES, Django's LoginRequiredMiddleware). */
  frameworkDefaults?: FrameworkDefault[];
  /**
   * Upper-case constants a path prefix may name elsewhere: Python string settings
   * (`API_V1_STR = "/api/v1"` in a pydantic `BaseSettings` class or at the top of the file), a
   * JS/TS module's `export const API_PREFIX = '/api/v1'`. Linking puts them in place of
   * `{API_V1_STR}` and `{API_PREFIX}`.
   */
  pathSettings?: Record<string, string>;
}

/** A project-wide default check, read from settings (Django), applied when linking. */
export interface FrameworkDefault {
  /** 'drf': views of Django REST Framework without permission classes of their own; 'django': every Django view. */
  scope: 'drf' | 'django';
  chain: ChainItem[];
}

export interface SourceSpan {
  range: Range;
  start: number;
  end: number;
  /** The source line, for content-based fingerprints. */
  lineText: string;
}

export interface ImportFact {
  local: string;
  /** Module specifier as written: './routes/users', '@/lib/auth', 'express'. */
  module: string;
  /** 'default', '*' (namespace) or the exported name. */
  imported: string;
  /** Python `from … import a, b`: the offset after its last name, where a fix can add another. */
  appendAt?: number;
}

export type ExportFact =
  | { exported: string; local: string }
  | { exported: string; module: string; imported: string };

/** Evidence that code checks who is calling, found in a function body or a known library call. */
export interface AuthCheck {
  description: string;
  span: SourceSpan;
  /** Signature verification of a webhook, rather than a user session. */
  webhook?: boolean;
}

export interface FunctionFact {
  name: string;
  span: SourceSpan;
  /** Set when the body reads a session/token and rejects the request (401/403/throw/redirect to login). */
  authCheck?: AuthCheck;
  /** Functions it calls before doing work, so an auth check through a helper can be resolved later. */
  callsAtStart: ValueRef[];
  /** A view that URL patterns route to (Django views, Flask MethodView / Flask-RESTful resources): what it answers and what guards it. */
  view?: ViewFact;
  /** A name for other checks rather than a function (FastAPI `CurrentUser = Annotated[User, Depends(get_current_user)]`, `x = View.as_view()`); they are in callsAtStart. */
  alias?: boolean;
}

/** The methods a class-based or function view answers, each with the checks that run before it. */
export interface ViewFact {
  /** A DRF ViewSet: a router gives each action its own route (list/create on the prefix, retrieve/update/… on `prefix/:pk`). */
  viewSet?: boolean;
  handlers: ViewHandler[];
}

export interface ViewHandler {
  method: HttpMethod;
  /** The ViewSet action answering it: list, create, retrieve, update, partial_update, destroy or an @action method. */
  action?: string;
  /** Path under the registered prefix for ViewSet actions: '' for list/create, ':pk' for retrieve, ':pk/set-password' for an @action. */
  subPath?: string;
  /** The ViewSet's `lookup_value_regex`: what the router matches for the `:pk` of subPath. */
  lookupPattern?: string;
  handlerName: string;
  span: SourceSpan;
  /** Checks that run before the handler, in order: decorators, mixins, permission classes. */
  chain: ChainItem[];
  /** Early check inside the method's own body. */
  handler?: ChainItem;
  publicByDesign?: string;
  /** The project-wide defaults that apply to it (it sets no permission classes of its own). */
  defaults?: FrameworkDefault['scope'][];
  insertion?: AuthInsertion;
}

/** How a value used in a route chain is known: resolved within the file, or a reference to resolve later. */
export type ValueRef =
  | { kind: 'router'; name: string }
  | { kind: 'function'; name: string }
  | { kind: 'import'; module: string; imported: string; local: string }
  | { kind: 'member'; object: ValueRef; property: string };

/** One element of a route's chain: a middleware, guard or the handler. */
export interface ChainItem {
  /** How it reads in the code, for evidence ("requireAuth", "passport.authenticate('jwt')"). */
  label: string;
  span: SourceSpan;
  /** Decided in the file: a known auth library call, or an inline function that checks auth. */
  authCheck?: AuthCheck;
  /** An inline function that does work before checking auth (auth/check-after-work). */
  checkAfterWork?: AuthCheck;
  /** Known not to be authentication (cors(), express.json(), helmet()…). */
  notAuth?: boolean;
  /** To resolve across files: the function or router this item refers to. */
  ref?: ValueRef;
  /** Calls an inline handler makes before doing work (resolved later for helper-based auth). */
  callsAtStart?: ValueRef[];
  /** Counts only when it resolves to a real check, and is never "unknown" otherwise (a FastAPI parameter's type, which may or may not carry a dependency). */
  optional?: boolean;
  /** Guards only state-changing methods (DRF IsAuthenticatedOrReadOnly): reads stay open. */
  unsafeMethodsOnly?: boolean;
}

export interface RouterFact {
  /** Local variable name of the app/router. */
  name: string;
  framework: Framework;
  /** An application (express(), new Hono(), Fastify()) rather than a router mounted elsewhere. */
  isApp: boolean;
  /** Prefix the router declares itself (Koa `new Router({ prefix })`, Hono `basePath`). */
  prefix?: string;
  span: SourceSpan;
  registrations: Registration[];
  /** Python: routes registered here on a router created in another file (`@bp.route` on an imported blueprint) join that router's. */
  extends?: ValueRef;
}

/** Where the "Require authentication" fix can put a middleware or guard for this route. */
export interface AuthInsertion {
  /** Offset to insert at. */
  offset: number;
  /**
   * A call argument after the path (Express, Koa, Hono), Fastify route options, a decorator line (NestJS);
   * Python: a decorator line (Flask, Django views), `dependencies=[…]` after the path (FastAPI), a
   * class attribute line (`permission_classes = […]` in a DRF view), the first base of a class
   * (a Django mixin), the start of an existing permission list (`permission_classes = []`);
   * `check`: a check written into the handler itself (platform functions: `check` holds its edits).
   */
  kind: 'argument' | 'fastify-options' | 'decorator' | 'python-decorator' | 'python-dependencies' | 'python-class-attribute' | 'python-base' | 'python-list' | 'check';
  /** Indentation of the decorated member, for `decorator`, `python-decorator` and `python-class-attribute`. */
  indent?: string;
  /** Python: what protects this kind of route — a decorator (Flask, Django), a DRF permission class, a FastAPI dependency, a Django mixin. */
  style?: 'decorator' | 'drf-decorator' | 'drf-class' | 'drf-list' | 'dependency' | 'mixin';
  /** `python-list`: the list is empty, so the item needs no separator. */
  emptyList?: boolean;
  /** `check`: the fix's title and edits (platformAuthChecks.ts). */
  check?: { title: string; edits: TextEdit[] };
}

/** `replacesPrefix`: Flask's `register_blueprint(bp, url_prefix=…)` replaces the blueprint's own prefix rather than adding to it. */
export type Registration =
  | { kind: 'route'; methods: HttpMethod[]; path: string; chain: ChainItem[]; handler?: ChainItem; span: SourceSpan; insertion?: AuthInsertion; view?: ViewRoute; parameterTypes?: ParameterTypes }
  | { kind: 'use'; path?: string; chain: ChainItem[]; span: SourceSpan }
  | { kind: 'mount'; path?: string; chain: ChainItem[]; target: ValueRef; span: SourceSpan; replacesPrefix?: boolean; parameterTypes?: ParameterTypes };

/**
 * Django (and Flask class-based views): the converter of each parameter the registration's own
 * pattern captures (see urlParameterTypes): the view receives them as keyword arguments.
 */
export type ParameterTypes = Readonly<Record<string, string>>;

/**
 * A URL pattern routing to a view defined elsewhere (Django `path('x/', views.detail)`, DRF
 * `router.register`, Flask `add_url_rule(view_func=View.as_view(…))`): its methods, checks and
 * the route's location come from the view when linking. `methods` of the registration, when
 * not empty, limit the view's.
 */
export interface ViewRoute {
  ref: ValueRef;
  /** DRF `router.register(prefix, ViewSet)`: every action gets its route. */
  viewSet?: boolean;
  /** `ViewSet.as_view({'get': 'list'})`: which action answers which method. */
  actions?: Record<string, string>;
}

export interface DeclaredRoute {
  method: HttpMethod;
  /** Full path as far as this file knows (Nest: controller + method path; prefix added when linking). */
  path: string;
  framework: Framework;
  span: SourceSpan;
  handlerName?: string;
  /** Guards/decorators/dependencies on the route, in order. */
  chain: ChainItem[];
  /** Early auth check inside the handler body. */
  handler?: ChainItem;
  /** Nest `@Public()`-style metadata, NextAuth's own endpoints: public by design. */
  publicByDesign?: string;
  /** Whether framework-wide guards (Nest global guards) apply. */
  globalGuardsApply?: boolean;
  insertion?: AuthInsertion;
}

export interface PathGuardFact {
  framework: 'nextjs-middleware' | 'sveltekit-hooks';
  /** Path patterns the guard runs on (Next.js `config.matcher`), as path-to-regexp strings; undefined = all paths. */
  matcher?: string[];
  /** Which of those paths it actually protects: all matched, only these patterns, or all but these. */
  protects: { kind: 'all' } | { kind: 'only'; patterns: string[] } | { kind: 'except'; patterns: string[] } | { kind: 'prefixes'; prefixes: string[] };
  /** The check, when the guard's own code shows it. */
  check?: AuthCheck;
  /** Otherwise the helper it delegates to (e.g. Supabase's updateSession), resolved across files. */
  delegate?: ValueRef;
  span: SourceSpan;
}
