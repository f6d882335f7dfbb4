import * as path from 'node:path';
import type { AuthStatus, Route } from '../engine/routes/routeTypes';
import { describeRoute } from '../engine/routes/describeRoute';
import { analyseFiles } from './analyseFolder';
import type { CliIo } from './cliIo';
import type { CliOptions } from './options';
import { collectFiles, loadConfig } from './scanInputs';

const ORDER: AuthStatus[] = ['unauthenticated', 'unknown', 'authenticated', 'public'];
const HEADING: Record<AuthStatus, string> = {
  unauthenticated: 'No authentication',
  unknown: 'Cannot tell',
  authenticated: 'Authenticated',
  public: 'Public on purpose',
};

/** `shipshape routes`: the route inventory with each route's auth status and its evidence. */
export async function runRoutesCommand(options: CliOptions, io: CliIo, context: { cwd: string; rulesDirectory: string; workerScript: string }): Promise<number> {
  const config = loadConfig(options.config ? path.resolve(context.cwd, options.config) : path.join(context.cwd, '.shipshape.json'), options.config !== undefined);
  const { files } = collectFiles(options, context.cwd);
  const { inventory } = await analyseFiles(files, config, { rulesDirectory: context.rulesDirectory, workerScript: context.workerScript, jobs: options.jobs, workspaceRules: false });
  const routes: Route[] = inventory.routes.map(({ method, path: routePath, framework, file, range, handler, auth, evidence, stateChanging }) => ({ method, path: routePath, framework, file, range, ...(handler ? { handler } : {}), auth, evidence, stateChanging }));

  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ routes }, null, 2)}\n`);
    return 0;
  }
  if (routes.length === 0) {
    io.stdout('No routes found (Express, Fastify, Koa, Hono, NestJS, Next.js, SvelteKit, Remix, Supabase Edge Functions, Firebase, Netlify, Vercel and Cloudflare Pages functions, Flask, FastAPI, Django are recognised).\n');
    return 0;
  }
  const lines: string[] = [];
  const methodWidth = Math.max(...routes.map((route) => route.method.length));
  const pathWidth = Math.min(48, Math.max(...routes.map((route) => route.path.length)));
  for (const status of ORDER) {
    const group = routes.filter((route) => route.auth === status);
    if (group.length === 0) continue;
    const writes = group.filter((route) => route.stateChanging).length;
    lines.push(`${HEADING[status]} (${group.length}${status === 'unauthenticated' ? `, ${writes} that change data` : ''})`);
    for (const route of group) {
      const where = `${route.file}:${route.range.start.line + 1}`;
      const label = route.method === 'ACTION' ? describeRoute(route) : `${route.method.padEnd(methodWidth)}  ${route.path.padEnd(pathWidth)}`;
      const why = route.evidence[0] ? `  ${route.evidence[0].description}` : '';
      lines.push(`  ${label}  ${route.framework.padEnd(10)}  ${where}${why}`);
    }
    lines.push('');
  }
  const unprotectedWrites = routes.filter((route) => route.auth === 'unauthenticated' && route.stateChanging).length;
  lines.push(`${routes.length} routes · ${unprotectedWrites} change data without authentication`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
