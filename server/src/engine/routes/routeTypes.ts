import type { Location } from '../types';

/**
 * The route inventory: every HTTP entry point of the workspace and whether a request must be
 * authenticated before its handler does work. Plain data, shared by the editor (Routes view,
 * diagnostics), the CLI (`shipshape routes`) and the readiness checks.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ALL' | 'ACTION';

export type Framework =
  | 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs'
  | 'nextjs-app' | 'nextjs-pages' | 'nextjs-server-action'
  | 'sveltekit' | 'remix' | 'supabase-functions' | 'firebase-functions' | 'netlify-functions' | 'vercel-functions' | 'cloudflare-pages'
  | 'flask' | 'fastapi' | 'django';

/**
 * authenticated: a recognised check runs before the handler does work.
 * public: marked public on purpose (`shipshape-public: reason`, or config publicPaths).
 * unauthenticated: nothing checks who is calling.
 * unknown: a check may exist but Shipshape cannot tell (e.g. a middleware it cannot resolve).
 */
export type AuthStatus = 'authenticated' | 'public' | 'unauthenticated' | 'unknown';

export interface AuthEvidence extends Location {
  /** Plain words: "requireAuth middleware on the router (src/server.ts:12)". */
  description: string;
}

export interface Route {
  method: HttpMethod;
  /** Full path with mount prefixes composed, framework parameters written as `:name`. */
  path: string;
  framework: Framework;
  /** Where the route is declared (the registration call, decorator or exported function). */
  file: string;
  range: Location['range'];
  /** Name of the handler function when it has one. */
  handler?: string;
  auth: AuthStatus;
  /** What decided the status: the check found, the public marker, or why it is unknown. */
  evidence: AuthEvidence[];
  /** POST/PUT/PATCH/DELETE or a server action: changes state, so it must not be anonymous. */
  stateChanging: boolean;
}

export interface RouteInventory {
  routes: Route[];
}

export function isStateChanging(method: HttpMethod): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE' || method === 'ACTION' || method === 'ALL';
}
