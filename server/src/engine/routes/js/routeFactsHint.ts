import { KeywordIndex } from '../../text/keywordIndex';

/**
 * Whether a JS/TS file can hold route facts, decided from its text before it is parsed.
 *
 * The regular expressions below decide. Run as they are over every script of a workspace they
 * cost ~0.35 s on the benchmark corpus (an alternation with no common literal makes V8 try every
 * position), so each one only runs on files that hold one of the literals it cannot match
 * without — all found in one Aho-Corasick pass. The literal lists must stay necessary for their
 * pattern: `routeFactsHint.test.ts` checks every alternative, and random text, against the
 * patterns alone.
 */

/**
 * Signs that a file defines routes, guards or auth: an import of a framework or auth library,
 * a registration call on an app/router/plugin instance, NestJS guard vocabulary, a server
 * action. Plain mentions of "express" or "Router" in library code do not count.
 */
export const ROUTE_TOKENS = /(?:from\s*|require\(\s*)['"](?:express|fastify|hono(?:\/[\w-]+)?|koa|@koa\/router|koa-router|@nestjs\/[\w-]+|next(?:\/[\w-]+)?|next-auth(?:\/[\w-]+)?|@auth\/[\w-]+|@clerk\/[\w-]+|@sveltejs\/kit|@remix-run\/[\w-]+|jsonwebtoken|jwt-decode|jose|@supabase\/[\w-]+|firebase-admin(?:\/[\w-]+)?|firebase-functions(?:\/[\w-]+){0,2}|passport(?:-[\w-]+)?|express-jwt)['"]|\b(?:fastify|app|router|server|instance|api)\.(?:get|post|put|patch|delete|route|register|use|all|addHook)\s*\(|use server|@Controller|AuthGuard|CanActivate|canActivate|useGlobalGuards|APP_GUARD|setGlobalPrefix|createRouteMatcher/;
export const CONVENTION_PATH = /(^|\/)(route\.m?[jt]sx?|middleware\.m?[jt]s|\+server\.m?[jt]s|\+page\.server\.m?[jt]s)$|(^|\/)pages\/api\/|(^|\/)app\/routes\/|(^|\/)supabase\/functions\/[^/]+\/index\.m?[jt]sx?$|(^|\/)netlify\/functions\/|^api\/|^functions\//;
/** Words of identity an auth helper reads (searched ignoring case). */
export const AUTH_HELPER_WORDS = ['authorization', 'session', 'token', 'jwt', 'user', 'apiKey', 'api_key', 'signature'];
export const REJECTION_HINTS = /\b40[13]\b|Unauthorized|Forbidden|redirect\(|canActivate|protect\(|\.verify\(|jwtVerify|verifyIdToken|getUser\(/;
/**
 * A module exporting a path constant that route files may mount at: `export const API_PREFIX =
 * '/api'`, `exports.API_PREFIX = '/api'`, or an upper-case key holding a path on a line of its
 * own (`  API_PREFIX: '/api',` in `module.exports = {…}`).
 */
export const PATH_CONSTANT_EXPORT = /\bexport\s+const\s+[A-Z][A-Z0-9_]*\s*=\s*['"`]\/|\bexports\.[A-Z][A-Z0-9_]*\s*=\s*['"`]\/|^[ \t]*[A-Z][A-Z0-9_]*[ \t]*:[ \t]*['"`]\//m;

/** A quote then the start of each module name ROUTE_TOKENS imports (koa covers koa-router, next next-auth, express express-jwt). */
const ROUTE_MODULES = ['express', 'fastify', 'hono', 'koa', '@koa/', '@nestjs/', 'next', '@auth/', '@clerk/', '@sveltejs/kit', '@remix-run/', 'jsonwebtoken', 'jwt-decode', 'jose', '@supabase/', 'firebase-admin', 'firebase-functions', 'passport'];
const ROUTE_LITERALS = [
  ...ROUTE_MODULES.flatMap((name) => [`'${name}`, `"${name}`]),
  'fastify.', 'app.', 'router.', 'server.', 'instance.', 'api.',
  'use server', '@Controller', 'AuthGuard', 'CanActivate', 'useGlobalGuards', 'APP_GUARD', 'setGlobalPrefix', 'createRouteMatcher',
];
const REJECTION_LITERALS = ['401', '403', 'Unauthorized', 'Forbidden', 'redirect(', 'canActivate', 'protect(', '.verify(', 'jwtVerify', 'verifyIdToken', 'getUser('];
const EXPORT_LITERALS = ['export'];

/**
 * `routes` (routes, routers, guards, framework or auth-library code), `helpers` (only functions
 * that may check auth, or path constants, which matter when a route file uses them), or nothing.
 * `found`: which of `routeHintWords()` the text holds (bit i for word i), when another pass has
 * found them already.
 */
export function routeFactsHint(projectPath: string, text: string, found?: Uint32Array): 'routes' | 'helpers' | undefined {
  if (CONVENTION_PATH.test(projectPath)) return 'routes';
  const literals = hintLiterals();
  let present = found;
  if (!present) {
    present = new Uint32Array(literals.words);
    literals.index.markPresent(text, present);
  }
  const any = (ids: readonly number[]) => ids.some((id) => (present[id >>> 5] & (1 << (id & 31))) !== 0);
  if (any(literals.route) && ROUTE_TOKENS.test(text)) return 'routes';
  // The identity words are plain words searched ignoring case: finding one is the test itself.
  if (any(literals.auth) && any(literals.rejection) && REJECTION_HINTS.test(text)) return 'helpers';
  return any(literals.exports) && mayExportPathConstant(text) ? 'helpers' : undefined;
}

/**
 * PATH_CONSTANT_EXPORT, after a native search for what every match holds (a quote, then `/`):
 * nearly every ES module says "export", and the pattern alone took ~50 ms of a corpus scan.
 */
function mayExportPathConstant(text: string): boolean {
  return (text.includes("'/") || text.includes('"/') || text.includes('`/')) && PATH_CONSTANT_EXPORT.test(text);
}

/** The literals the hint looks for, lower case, in the order of `found`'s bits. */
export function routeHintWords(): readonly string[] {
  return hintLiterals().all;
}

interface HintLiterals {
  all: string[];
  index: KeywordIndex;
  words: number;
  route: number[];
  auth: number[];
  rejection: number[];
  exports: number[];
}

let compiled: HintLiterals | undefined;

function hintLiterals(): HintLiterals {
  if (compiled) return compiled;
  const all: string[] = [];
  const ids = (list: readonly string[]) => list.map((literal) => all.push(literal.toLowerCase()) - 1);
  const route = ids(ROUTE_LITERALS);
  const auth = ids(AUTH_HELPER_WORDS);
  const rejection = ids(REJECTION_LITERALS);
  const exports = ids(EXPORT_LITERALS);
  compiled = { all, index: new KeywordIndex(all), words: Math.ceil(all.length / 32), route, auth, rejection, exports };
  return compiled;
}
