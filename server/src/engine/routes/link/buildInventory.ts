import type { ShipshapeConfig } from '../../config/shipshapeConfig';
import type { AuthEvidence, AuthStatus, Framework, HttpMethod, Route } from '../routeTypes';
import { isStateChanging } from '../routeTypes';
import type { AuthCheck, AuthInsertion, ChainItem, FileRouteFacts, ParameterTypes, PathGuardFact, RouterFact, SourceSpan, ValueRef } from '../routeFacts';
import { RefResolver } from './resolveRefs';
import { dirname } from './moduleResolver';
import { joinRoutePath, matcherCovers, prefixCovers, publicPathCovers } from './pathPatterns';
import { collectFrameworkDefaults, viewRoutes } from '../python/linkViews';

/** A route with what the findings and quick fixes need beyond the public inventory. */
export interface LinkedRoute extends Route {
  span: SourceSpan;
  /** The handler checks auth, but only after it has done work. */
  checkAfterWork?: { check: AuthCheck; firstWork?: SourceSpan };
  insertion?: AuthInsertion;
  /**
   * Django (and Flask class-based views): the converter of each URL parameter the view receives
   * as a keyword argument, from the route's own pattern and the patterns that include it (see
   * urlParameterTypes).
   */
  parameterTypes?: ParameterTypes;
  /** Where those parameters go when the route is declared apart from its view function (Flask `add_url_rule(…, view_func=show)`). */
  viewFunction?: { file: string; name: string };
}

export interface LinkedInventory {
  routes: LinkedRoute[];
  /** The same routes by the file that declares them. */
  routesByFile: ReadonlyMap<string, LinkedRoute[]>;
  /** Auth middleware/guards the project uses, most used first, for the "Require authentication" fix. */
  projectAuth: ProjectAuthItem[];
}

export interface ProjectAuthItem {
  framework: Framework;
  /** Code as written where it is used (`requireAuth`, `passport.authenticate('jwt', { session: false })`). */
  label: string;
  /** File where it is used, and the import that brings its first identifier there. */
  usedIn: string;
  importModule?: string;
  importName?: string;
  uses: number;
}

interface ActiveItem {
  path?: string;
  item: ChainItem;
  file: string;
}

/** Frameworks whose hooks guard the whole app or router, wherever they are registered (Fastify hooks, Flask before_request, FastAPI dependencies). */
const SCOPE_WIDE_HOOKS = new Set<Framework>(['fastify', 'flask', 'fastapi']);

/**
 * Links every file's route facts into the inventory: follows mounts across files composing
 * prefixes, applies middleware in registration order, adds Next.js middleware and NestJS
 * global guards, and decides each route's auth status with its evidence.
 */
export function buildRouteInventory(facts: ReadonlyMap<string, FileRouteFacts>, allFiles: ReadonlySet<string>, config: ShipshapeConfig): LinkedInventory {
  const resolver = new RefResolver(facts, allFiles, new Set(config.authFunctions));
  // Prefixes held in settings (`prefix=settings.API_V1_STR` reads `{API_V1_STR}`) get their value.
  const settings = pathSettings(facts);
  const join = (...parts: (string | undefined)[]) => withSettings(joinRoutePath(...parts), settings);
  const routes: LinkedRoute[] = [];
  const authUses = new Map<string, ProjectAuthItem>();

  const decide = (route: Omit<LinkedRoute, 'auth' | 'evidence' | 'stateChanging'>, chain: { file: string; item: ChainItem }[], handler: { file: string; item: ChainItem } | undefined, publicByDesign?: string): LinkedRoute => {
    const evidence: AuthEvidence[] = [];
    let auth: AuthStatus = 'unauthenticated';
    let unknown = false;
    // Public by design (NextAuth's endpoints, NestJS @Public()) wins over any guard around it.
    if (publicByDesign) {
      return { ...route, auth: 'public', evidence: [{ file: route.file, range: route.span.range, description: publicByDesign }], stateChanging: isStateChanging(route.method) };
    }
    for (const { file, item } of chain) {
      const verdict = resolver.verdict(file, item);
      if (verdict.auth) {
        evidence.push({ file: verdict.auth.file, range: verdict.auth.span.range, description: verdict.auth.description });
        auth = 'authenticated';
        recordAuthUse(authUses, route.framework, file, item, facts);
        break;
      }
      if (verdict.unknown) unknown = true;
    }
    let checkAfterWork: LinkedRoute['checkAfterWork'];
    if (auth !== 'authenticated' && handler) {
      const verdict = resolver.verdict(handler.file, handler.item);
      if (verdict.auth) {
        auth = 'authenticated';
        evidence.push({ file: verdict.auth.file, range: verdict.auth.span.range, description: `the handler ${verdict.auth.description}` });
      } else if (handler.item.checkAfterWork) {
        checkAfterWork = { check: handler.item.checkAfterWork };
      }
    }
    if (auth !== 'authenticated') {
      const marker = publicMarker(facts.get(route.file), route.span);
      const configured = config.publicPaths.find((pattern) => publicPathCovers(pattern, route.path));
      const signIn = isSignInEndpoint(route.path) && !checkAfterWork ? 'a sign-in endpoint: it has to work before anyone is signed in' : undefined;
      if (signIn) {
        auth = 'public';
        evidence.push({ file: route.file, range: route.span.range, description: signIn });
      } else if (marker !== undefined) {
        auth = 'public';
        evidence.push({ file: route.file, range: route.span.range, description: `marked public: ${marker || '(no reason given)'}` });
      } else if (configured) {
        auth = 'public';
        evidence.push({ file: route.file, range: route.span.range, description: `listed in publicPaths (${configured}) in .shipshape.json` });
      } else if (unknown) {
        auth = 'unknown';
        evidence.push({ file: route.file, range: route.span.range, description: 'a middleware on this route could not be resolved, so Shipshape cannot tell whether it checks the caller' });
      }
    }
    return { ...route, auth, evidence, stateChanging: isStateChanging(route.method), ...(checkAfterWork ? { checkAfterWork } : {}) };
  };

  // Python: routes registered on a router of another file (`@bp.route` on an imported blueprint) join that router.
  const extensions = new Map<RouterFact, { file: string; router: RouterFact }[]>();
  const extensionOf = new Map<RouterFact, { file: string; router: RouterFact }>();
  for (const [file, fileFacts] of facts) {
    for (const router of fileFacts.routers) {
      if (!router.extends) continue;
      const target = resolver.resolve(file, router.extends);
      if (target.kind !== 'router' || target.router === router || target.router.extends) continue;
      extensions.set(target.router, [...(extensions.get(target.router) ?? []), { file, router }]);
      extensionOf.set(router, { file: target.file, router: target.router });
    }
  }
  const resolveRouter = (file: string, ref: ValueRef) => {
    const target = resolver.resolve(file, ref);
    const extended = target.kind === 'router' ? extensionOf.get(target.router) : undefined;
    return extended ? { kind: 'router' as const, ...extended } : target;
  };
  const scopeRegistrations = (file: string, router: RouterFact) => [
    ...router.registrations.map((registration) => ({ file, registration })),
    ...(extensions.get(router) ?? []).flatMap((extension) => extension.router.registrations.map((registration) => ({ file: extension.file, registration }))),
  ];
  const frameworkDefaults = collectFrameworkDefaults(facts);

  // Call-built routers: traverse from apps (and from routers nobody mounts) in registration order.
  const mounted = new Set<RouterFact>();
  for (const [file, fileFacts] of facts) {
    for (const router of fileFacts.routers) {
      for (const registration of router.registrations) {
        if (registration.kind === 'mount') {
          const target = resolveRouter(file, registration.target);
          if (target.kind === 'router') mounted.add(target.router);
        } else if (registration.kind === 'use') {
          for (const item of registration.chain) {
            if (!item.ref) continue;
            const target = resolver.resolve(file, item.ref);
            if (target.kind === 'router') mounted.add(target.router);
          }
        }
      }
    }
  }

  const traverse = (file: string, router: RouterFact, prefix: string, inherited: ActiveItem[], visited: Set<RouterFact>, replacePrefix = false, prefixTypes: ParameterTypes = {}): void => {
    if (visited.has(router) || visited.size > 50) return;
    const seen = new Set(visited).add(router);
    const base = join(prefix, replacePrefix ? undefined : router.prefix);
    const active = [...inherited];
    const registrations = scopeRegistrations(file, router);
    // Fastify hooks (and Flask before_request, FastAPI dependencies) apply to the whole scope, whatever their position.
    if (SCOPE_WIDE_HOOKS.has(router.framework)) {
      for (const { file, registration } of registrations) {
        if (registration.kind === 'use') for (const item of registration.chain) active.push({ item, file });
      }
    }
    for (const { file, registration } of registrations) {
      if (registration.kind === 'route' && registration.view) {
        const covering = (path: string) => active.filter((entry) => prefixCovers(entry.path, path)).map((entry) => ({ file: entry.file, item: entry.item }));
        for (const spec of viewRoutes(resolver, file, registration, base, covering(join(base, registration.path)), frameworkDefaults, prefixTypes)) {
          routes.push(decide({
            method: spec.method,
            path: spec.path,
            framework: router.framework,
            file: spec.file,
            range: spec.span.range,
            span: spec.span,
            ...(spec.handlerName ? { handler: spec.handlerName } : {}),
            ...(spec.insertion ? { insertion: spec.insertion } : {}),
            ...(spec.parameterTypes ? { parameterTypes: spec.parameterTypes } : {}),
          }, spec.chain, spec.handler, spec.publicByDesign));
        }
      } else if (registration.kind === 'route') {
        const path = join(base, registration.path);
        const parameterTypes = registration.parameterTypes ? { ...prefixTypes, ...registration.parameterTypes } : undefined;
        const view = parameterTypes && registration.handler?.ref ? resolver.resolve(file, registration.handler.ref) : undefined;
        const chain = [
          ...active.filter((entry) => prefixCovers(entry.path, path)).map((entry) => ({ file: entry.file, item: entry.item })),
          ...registration.chain.map((item) => ({ file, item })),
        ];
        for (const method of registration.methods) {
          routes.push(decide({
            method,
            path,
            framework: router.framework,
            file,
            range: registration.span.range,
            span: registration.span,
            ...(registration.handler && registration.handler.label !== 'inline handler' ? { handler: registration.handler.label } : {}),
            ...(registration.insertion ? { insertion: registration.insertion } : {}),
            ...(parameterTypes && view?.kind === 'function' ? { parameterTypes, viewFunction: { file: view.file, name: view.fn.name } } : {}),
          }, chain, registration.handler ? { file, item: registration.handler } : undefined));
        }
      } else if (registration.kind === 'use') {
        if (SCOPE_WIDE_HOOKS.has(router.framework)) continue;
        const usePath = registration.path === undefined ? base : join(base, registration.path);
        const before: ActiveItem[] = [];
        for (const item of registration.chain) {
          const target = item.ref ? resolver.resolve(file, item.ref) : undefined;
          if (target?.kind === 'router') {
            traverse(target.file, target.router, usePath, [...active.filter((entry) => prefixCovers(entry.path, usePath)), ...before], seen, false, prefixTypes);
          } else {
            before.push({ path: registration.path === undefined ? base : usePath, item, file });
          }
        }
        active.push(...before);
      } else {
        const target = resolveRouter(file, registration.target);
        if (target.kind !== 'router') continue;
        const mountPath = join(base, registration.path);
        traverse(target.file, target.router, mountPath, [...active.filter((entry) => prefixCovers(entry.path, mountPath)), ...registration.chain.map((item) => ({ item, file }))], seen, registration.replacesPrefix, { ...(registration.replacesPrefix ? {} : prefixTypes), ...registration.parameterTypes });
      }
    }
  };

  for (const [file, fileFacts] of facts) {
    for (const router of fileFacts.routers) {
      // Every app or router that nobody mounts is where requests enter (a mounted sub-app is reached through its parent).
      if (!mounted.has(router) && !extensionOf.has(router)) traverse(file, router, '', [], new Set());
    }
  }

  // Routes declared by files and decorators, with framework-wide guards.
  const nestGlobal = [...facts.entries()].flatMap(([file, fileFacts]) => (fileFacts.nest?.globalGuards ?? []).map((item) => ({ file, item })));
  const nestPrefix = [...facts.values()].map((fileFacts) => fileFacts.nest?.globalPrefix).find((prefix) => prefix !== undefined);
  const guards = [...facts.entries()].flatMap(([file, fileFacts]) => fileFacts.pathGuards.map((guard) => ({ file, guard })));
  for (const [file, fileFacts] of facts) {
    for (const declared of fileFacts.routes) {
      const path = declared.framework === 'nestjs' ? joinRoutePath(nestPrefix, declared.path) : declared.path;
      const chain: { file: string; item: ChainItem }[] = [];
      if (declared.globalGuardsApply) chain.push(...nestGlobal);
      if (declared.framework === 'nextjs-app' || declared.framework === 'nextjs-pages') {
        for (const { file: guardFile, guard } of guards) {
          if (appliesTo(guard, guardFile, file, path)) chain.push({ file: guardFile, item: guardItem(guard) });
        }
      }
      chain.push(...declared.chain.map((item) => ({ file, item })));
      routes.push(decide({
        method: declared.method,
        path,
        framework: declared.framework,
        file,
        range: declared.span.range,
        span: declared.span,
        ...(declared.handlerName ? { handler: declared.handlerName } : {}),
        ...(declared.insertion ? { insertion: declared.insertion } : {}),
      }, chain, declared.handler ? { file, item: declared.handler } : undefined, declared.publicByDesign));
    }
  }

  routes.sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start || methodOrder(a.method) - methodOrder(b.method));
  const routesByFile = new Map<string, LinkedRoute[]>();
  for (const route of routes) {
    const list = routesByFile.get(route.file);
    if (list) list.push(route);
    else routesByFile.set(route.file, [route]);
  }
  return { routes, routesByFile, projectAuth: [...authUses.values()].sort((a, b) => b.uses - a.uses) };
}

/**
 * The path settings of every file (see FileRouteFacts.pathSettings); a name given different
 * values in different files is left out, so its placeholder stays.
 */
function pathSettings(facts: ReadonlyMap<string, FileRouteFacts>): ReadonlyMap<string, string> {
  const values = new Map<string, string | null>();
  for (const fileFacts of facts.values()) {
    for (const [name, value] of Object.entries(fileFacts.pathSettings ?? {})) {
      const known = values.get(name);
      values.set(name, known === undefined || known === value ? value : null);
    }
  }
  return new Map([...values].filter((entry): entry is [string, string] => entry[1] !== null));
}

function withSettings(path: string, settings: ReadonlyMap<string, string>): string {
  if (settings.size === 0 || !path.includes('{')) return path;
  const replaced = path.replace(/\{([A-Z][A-Z0-9_]*)\}/g, (placeholder, name: string) => settings.get(name) ?? placeholder);
  return replaced === path ? path : joinRoutePath(replaced.replace(/\/{2,}/g, '/'));
}

/** Whether a Next.js middleware in `guardFile` runs for, and protects, a route of `routeFile` at `path`. */
function appliesTo(guard: PathGuardFact, guardFile: string, routeFile: string, path: string): boolean {
  const root = dirname(guardFile).replace(/(^|\/)src$/, '');
  if (root && !routeFile.startsWith(`${root}/`)) return false;
  if (guard.matcher && !guard.matcher.some((pattern) => matcherCovers(pattern, path))) return false;
  switch (guard.protects.kind) {
    case 'all':
      return true;
    case 'only':
      return guard.protects.patterns.some((pattern) => matcherCovers(pattern, path));
    case 'except':
      return !guard.protects.patterns.some((pattern) => matcherCovers(pattern, path));
    case 'prefixes':
      return guard.protects.prefixes.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || path.startsWith(prefix));
  }
}

function guardItem(guard: PathGuardFact): ChainItem {
  return {
    label: 'middleware.ts',
    span: guard.span,
    ...(guard.check ? { authCheck: { ...guard.check, description: `middleware.ts: ${guard.check.description}` } } : {}),
    ...(guard.delegate ? { ref: guard.delegate } : {}),
  };
}

/** The reason of a `shipshape-public` comment on the route's line or the line above (empty when none given). */
function publicMarker(facts: FileRouteFacts | undefined, span: SourceSpan): string | undefined {
  const line = span.range.start.line;
  const directive = facts?.directives.find((candidate) => candidate.kind === 'public' && (candidate.line === line || candidate.line === line - 1));
  return directive ? directive.reason : undefined;
}

function recordAuthUse(uses: Map<string, ProjectAuthItem>, framework: Framework, file: string, item: ChainItem, facts: ReadonlyMap<string, FileRouteFacts>): void {
  if (item.label === 'inline handler' || item.label === 'handler' || item.label === 'middleware.ts') return;
  const key = `${framework}\u0000${item.label}`;
  const existing = uses.get(key);
  if (existing) {
    existing.uses++;
    return;
  }
  const root = item.label.split(/[.(]/)[0];
  const imported = facts.get(file)?.imports.find((entry) => entry.local === root);
  uses.set(key, { framework, label: item.label, usedIn: file, ...(imported ? { importModule: imported.module, importName: imported.imported } : {}), uses: 1 });
}

const METHOD_ORDER: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'ALL', 'ACTION'];

function methodOrder(method: HttpMethod): number {
  return METHOD_ORDER.indexOf(method);
}

const SIGN_IN_SEGMENT = /^(login|log-in|signin|sign-in|signup|sign-up|register|logout|log-out|signout|sign-out|forgot-password|reset-password|password-reset|forgot|refresh|refresh-token|token|access-token|callback|oauth|oauth2|verify-email|verify|magic-link|otp|sessions?|auth)$/i;

/** Login, signup, password reset, OAuth callbacks: public by their nature. */
function isSignInEndpoint(path: string): boolean {
  const segments = path.split('/').filter((segment) => segment && !segment.startsWith(':'));
  return segments.length > 0 && SIGN_IN_SEGMENT.test(segments[segments.length - 1]);
}
