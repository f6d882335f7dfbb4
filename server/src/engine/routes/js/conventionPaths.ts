/**
 * URL paths of frameworks that route by file location: Next.js (app/ and pages/api/),
 * SvelteKit (src/routes/) and Remix (app/routes/). Parameters are written `:name`,
 * catch-alls `:name*`, optional segments `:name?`.
 */

/** The folder segments after the last `marker` sequence in the path, or undefined. */
function segmentsAfter(projectPath: string, marker: string[]): string[] | undefined {
  const segments = projectPath.split('/');
  for (let index = segments.length - marker.length - 1; index >= 0; index--) {
    if (marker.every((part, offset) => segments[index + offset] === part)) return segments.slice(index + marker.length);
  }
  return undefined;
}

function bracketSegment(segment: string): string | undefined {
  if (/^\(.*\)$/.test(segment) || segment.startsWith('@')) return undefined; // route groups, parallel routes
  const optionalCatchAll = /^\[\[\.\.\.(\w+)\]\]$/.exec(segment);
  if (optionalCatchAll) return `:${optionalCatchAll[1]}*`;
  const catchAll = /^\[\.\.\.(\w+)\]$/.exec(segment);
  if (catchAll) return `:${catchAll[1]}*`;
  const optional = /^\[\[(\w+)\]\]$/.exec(segment);
  if (optional) return `:${optional[1]}?`;
  const dynamic = /^\[(\w+)(?:=\w+)?\]$/.exec(segment);
  if (dynamic) return `:${dynamic[1]}`;
  return segment;
}

function join(segments: (string | undefined)[]): string {
  const kept = segments.filter((segment): segment is string => segment !== undefined && segment !== '');
  return `/${kept.join('/')}`;
}

/** app/api/orders/[id]/route.ts → /api/orders/:id (also under src/app). */
export function nextAppRoutePath(projectPath: string): string | undefined {
  if (!/(^|\/)route\.(m?[jt]sx?)$/.test(projectPath)) return undefined;
  const segments = segmentsAfter(projectPath, ['app']);
  if (!segments) return undefined;
  return join(segments.slice(0, -1).map(bracketSegment));
}

/** pages/api/users/[id].ts → /api/users/:id; pages/api/index.ts → /api. */
export function nextPagesApiPath(projectPath: string): string | undefined {
  const segments = segmentsAfter(projectPath, ['pages', 'api']);
  if (!segments || segments.length === 0 || !/\.(m?[jt]sx?)$/.test(projectPath)) return undefined;
  const last = segments[segments.length - 1].replace(/\.(m?[jt]sx?)$/, '');
  const parts = [...segments.slice(0, -1), last === 'index' ? '' : last];
  return join(['api', ...parts.map(bracketSegment)]);
}

/**
 * functions/api/users/[id].ts at the project's root → /api/users/:id: a Cloudflare Pages Function
 * (`[[path]]` catches the rest, `index` is the folder itself; `_middleware` files are not routes).
 * Firebase keeps its functions in functions/ too, but exports them under names of its own, never
 * `onRequest…` functions.
 */
export function pagesFunctionPath(projectPath: string): string | undefined {
  if (!projectPath.startsWith('functions/') || !/\.(m?[jt]sx?)$/.test(projectPath)) return undefined;
  const segments = projectPath.split('/').slice(1);
  if (segments.some((segment) => segment.startsWith('_') || segment === 'node_modules' || segment === 'src' || segment === 'lib')) return undefined;
  const last = segments[segments.length - 1].replace(/\.(m?[jt]sx?)$/, '');
  return join([...segments.slice(0, -1), last === 'index' ? '' : last].map(bracketSegment));
}

/** `onRequest` (every method) and `onRequestGet` … `onRequestOptions` exports of a Pages Function. */
export const PAGES_FUNCTION_EXPORT = /^onRequest(Get|Post|Put|Patch|Delete|Head|Options)?$/;

/**
 * netlify/functions/search.ts (or search/index.ts, search/search.ts) → /.netlify/functions/search:
 * a Netlify function. (A v2 function's `config.path` is read where its exports are.)
 */
export function netlifyFunctionPath(projectPath: string): string | undefined {
  const match = /(?:^|\/)netlify\/functions\/([^/]+?)(?:\/([^/]+?))?\.[cm]?[jt]sx?$/.exec(projectPath);
  if (!match) return undefined;
  if (match[2] !== undefined && match[2] !== 'index' && match[2] !== match[1]) return undefined; // a helper beside the function
  return `/.netlify/functions/${match[1]}`;
}

/**
 * api/users/[id].ts at the project's root → /api/users/:id: a Vercel function (next to a Vite or
 * static front end; Next.js's own are under pages/api or app/).
 */
export function vercelFunctionPath(projectPath: string): string | undefined {
  if (!projectPath.startsWith('api/') || !/\.(m?[jt]sx?)$/.test(projectPath)) return undefined;
  const segments = projectPath.split('/').slice(1);
  if (segments.some((segment) => segment.startsWith('_'))) return undefined; // private helpers
  const last = segments[segments.length - 1].replace(/\.(m?[jt]sx?)$/, '');
  return join(['api', ...[...segments.slice(0, -1), last === 'index' ? '' : last].map(bracketSegment)]);
}

/**
 * supabase/functions/send-email/index.ts → /functions/v1/send-email: a Supabase Edge Function, called
 * at that path of the project's URL. Folders starting with `_` (`_shared`) hold no function.
 */
export function supabaseFunctionPath(projectPath: string): string | undefined {
  const match = /(?:^|\/)supabase\/functions\/([A-Za-z0-9][\w-]*)\/index\.(?:m?[jt]sx?)$/.exec(projectPath);
  return match ? `/functions/v1/${match[1]}` : undefined;
}

/** src/routes/api/items/[id]/+server.ts → /api/items/:id (also +page.server.ts for form actions). */
export function svelteKitPath(projectPath: string): string | undefined {
  if (!/(^|\/)\+(server|page\.server)\.(m?[jt]s)$/.test(projectPath)) return undefined;
  const segments = segmentsAfter(projectPath, ['src', 'routes']) ?? segmentsAfter(projectPath, ['routes']);
  if (!segments) return undefined;
  return join(segments.slice(0, -1).map(bracketSegment));
}

/**
 * Remix / React Router flat routes: app/routes/users.$id.edit.tsx → /users/:id/edit,
 * _index → index, pathless `_layout` segments dropped, `($lang)` optional, `$` splat.
 */
export function remixPath(projectPath: string): string | undefined {
  const segments = segmentsAfter(projectPath, ['app', 'routes']);
  if (!segments || segments.length === 0 || !/\.(m?[jt]sx?)$/.test(projectPath)) return undefined;
  let name: string;
  if (segments.length >= 2 && /^route\.(m?[jt]sx?)$/.test(segments[segments.length - 1])) name = segments[segments.length - 2];
  else if (segments.length === 1) name = segments[0].replace(/\.(m?[jt]sx?)$/, '');
  else return undefined; // helper modules inside route folders
  const parts = name.split(/\.(?![^[]*\])/).map((part) => {
    if (part === '_index' || part === 'index') return undefined;
    if (part.startsWith('_')) return undefined;
    const cleaned = part.replace(/_$/, '').replace(/\[(.*?)\]/g, '$1');
    if (cleaned === '$') return ':splat*';
    const optional = /^\(\$?(\w+)\)$/.exec(cleaned);
    if (optional) return cleaned.includes('$') ? `:${optional[1]}?` : `${optional[1]}?`;
    if (cleaned.startsWith('$')) return `:${cleaned.slice(1)}`;
    return cleaned;
  });
  return join(parts);
}
