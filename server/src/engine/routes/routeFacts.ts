import type { Range } from '../types';
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
  /** Routes defined by file conventions or decorators (Next.js, NestJS, SvelteKit, Remix, Python). */
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
}

/** Where the "Require authentication" fix can put a middleware or guard for this route. */
export interface AuthInsertion {
  /** Offset to insert at. */
  offset: number;
  /** A call argument after the path (Express, Koa, Hono), Fastify route options, or a decorator line (NestJS). */
  kind: 'argument' | 'fastify-options' | 'decorator';
  /** Indentation of the decorated member, for `decorator`. */
  indent?: string;
}

export type Registration =
  | { kind: 'route'; methods: HttpMethod[]; path: string; chain: ChainItem[]; handler?: ChainItem; span: SourceSpan; insertion?: AuthInsertion }
  | { kind: 'use'; path?: string; chain: ChainItem[]; span: SourceSpan }
  | { kind: 'mount'; path?: string; chain: ChainItem[]; target: ValueRef; span: SourceSpan };

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
