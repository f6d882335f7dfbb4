import type { Route } from '../../routes/routeTypes';
import type { Condition } from '../checkSpec';
import { dependencyMatches, evaluateCondition, patternFound } from '../declarative';
import type { Evidence, Verdict } from '../types';
import { routeLabel, scopeRoutes, stringList, stringParameter, type CheckContext } from './context';

/** Checks that read the route inventory: a health endpoint, rate limits on login and sign-up. */

export function healthEndpoint(context: CheckContext): Verdict {
  const pathPattern = stringParameter(context, 'pathPattern');
  const routes = scopeRoutes(context) ?? [];
  const health = routes.find((route) => (route.method === 'GET' || route.method === 'ALL' || route.method === 'HEAD') && patternFound(pathPattern, route.path, 'i'));
  if (health) return { status: 'pass', evidence: [{ file: health.file, range: health.range, description: `${routeLabel(health)} answers health checks` }] };
  // Routes the inventory missed (a framework it does not know) can still be seen in the code.
  const fallback = evaluateCondition(context.parameters.fallback as Condition, context.scope);
  if (fallback.holds) return { status: 'pass', evidence: fallback.evidence.slice(0, 3) };
  if (routes.length > 0) {
    return { status: 'fail', evidence: [], reason: `None of the ${routes.length} routes is a health check (GET /health, /healthz, /ready, /status…).` };
  }
  return {
    status: 'unknown',
    evidence: [],
    reason: context.input.routes === undefined
      ? 'The route inventory was not built and no health route is visible in the code.'
      : 'No routes were found for this unit, so Shipshape cannot tell whether it answers health checks.',
  };
}

/**
 * Login, sign-up and password routes need a rate limit, or anyone can try passwords or send
 * reset e-mails by the thousand. Covered when a limiter is applied app-wide, or the route's
 * own file applies one; "unknown" when a limiter is installed but Shipshape cannot see it
 * applied, or when there are no such routes (auth may be a hosted service's).
 */
export function authRateLimit(context: CheckContext): Verdict {
  const authPattern = stringParameter(context, 'authPathPattern');
  const routes = scopeRoutes(context);
  const authRoutes = (routes ?? []).filter((route) => route.method !== 'GET' && route.method !== 'HEAD' && route.method !== 'OPTIONS' &&
    (patternFound(authPattern, route.path, 'i') || (route.handler !== undefined && patternFound(authPattern, `/${route.handler}`, 'i'))));
  if (authRoutes.length === 0) {
    return {
      status: 'unknown',
      evidence: [],
      reason: routes === undefined
        ? 'The route inventory was not built, so Shipshape cannot tell which routes handle logins.'
        : 'No login, sign-up or password routes of its own: if a hosted service (Supabase Auth, Firebase Auth, Clerk, Auth0) handles them, it rate-limits them.',
    };
  }
  const global = evaluateCondition(context.parameters.globalLimiter as Condition, context.scope);
  if (global.holds) return { status: 'pass', evidence: global.evidence.slice(0, 3) };
  const perRoute = stringParameter(context, 'routeLimiterPattern');
  const uncovered: Route[] = [];
  const covered: Evidence[] = [];
  for (const route of authRoutes) {
    const text = context.workspace.read(route.file);
    if (text !== undefined && patternFound(perRoute, text)) covered.push({ file: route.file, range: route.range, description: `${routeLabel(route)}: a rate limiter is applied in ${route.file}` });
    else uncovered.push(route);
  }
  if (uncovered.length === 0) return { status: 'pass', evidence: covered.slice(0, 5) };
  const libraries = stringList(context.parameters.libraries);
  const installed = context.scope.dependencies.find((dependency) => libraries.some((library) => dependencyMatches(library, dependency.name, dependency.ecosystem)));
  const evidence = uncovered.slice(0, 10).map((route) => ({ file: route.file, range: route.range, description: `${routeLabel(route)} has no visible rate limit` }));
  if (installed) {
    return { status: 'unknown', evidence, reason: `${installed.name} is installed, but Shipshape cannot see it applied to ${uncovered.map(routeLabel).slice(0, 3).join(', ')}.` };
  }
  return { status: 'fail', evidence, reason: `${uncovered.length} login or sign-up route${uncovered.length === 1 ? '' : 's'} without a rate limit.` };
}
