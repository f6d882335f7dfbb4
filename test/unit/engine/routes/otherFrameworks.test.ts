import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyseFiles, analyseWorkspace, authFindings, routeFixtures, routeTable } from './routeFixtures';

describe('route inventory: Fastify, Hono, Koa, SvelteKit, Remix, Supabase, Firebase, Netlify and Vercel functions', () => {
  it('Fastify: plugins registered with a prefix, route options hooks, addHook scopes', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'fastify'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'DELETE /api/items/:id → unauthenticated',
      'GET /api/items → unauthenticated',
      'GET /health → unauthenticated',
      'PATCH /api/items/:id → authenticated',
      'POST /api/admin/reindex → authenticated',
      'POST /api/items → authenticated',
      'PUT /api/items/:id → authenticated',
    ]);
    assert.deepEqual(authFindings(workspace), ['src/routes/items.ts:15 auth/unauthenticated-route']);
  });

  it('Hono: use() with path globs, sub-apps mounted with route()', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'hono'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'DELETE /api/admin/cache → authenticated',
      'GET / → unauthenticated',
      'GET /api/posts → unauthenticated',
      'POST /api/feedback → unauthenticated',
      'POST /api/posts → authenticated',
    ]);
    assert.deepEqual(authFindings(workspace), ['src/index.ts:10 auth/unauthenticated-route']);
  });

  it('Koa: @koa/router prefixes, router-level middleware, routers mounted with routes()', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'koa'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'GET /api/status → unauthenticated',
      'POST /api/comments → unauthenticated',
      'POST /api/payments → authenticated',
    ]);
    assert.deepEqual(authFindings(workspace), ['src/app.ts:10 auth/unauthenticated-route']);
  });

  it('SvelteKit: +server.ts handlers and +page.server.ts form actions', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'sveltekit'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'DELETE /api/items/:id → authenticated',
      'GET /api/items/:id → unauthenticated',
      'POST /account → authenticated',
      'POST /account?/delete → unauthenticated',
      'PUT /api/items/:id → unauthenticated',
    ]);
    assert.deepEqual(authFindings(workspace), [
      'src/routes/account/+page.server.ts:10 auth/unauthenticated-route',
      'src/routes/api/items/[id]/+server.ts:11 auth/unauthenticated-route',
    ]);
  });

  it('Remix: actions and loaders by flat-route file name, auth through a session helper', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'remix'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'GET /notes/:id → unauthenticated',
      'POST / → unauthenticated',
      'POST /notes/:id → authenticated',
    ]);
    assert.deepEqual(authFindings(workspace), ['app/routes/_index.tsx:3 auth/unauthenticated-route']);
  });

  it('Supabase Edge Functions: a route per function folder, authenticated only by a check of the user in the function', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'supabase-functions'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'ALL /functions/v1/me → authenticated',
      'ALL /functions/v1/search → unauthenticated', // the OPTIONS preflight it answers is not a method of its own
      'ALL /functions/v1/webhook → public',
      'POST /functions/v1/send-email → unauthenticated', // 405 for every other method
    ]);
    assert.deepEqual(authFindings(workspace), [
      'supabase/functions/search/index.ts:6 auth/unauthenticated-route',
      'supabase/functions/send-email/index.ts:13 auth/unauthenticated-route',
    ]);
    const search = workspace.findings.get('supabase/functions/search/index.ts')?.find((finding) => finding.ruleId === 'auth/unauthenticated-route');
    assert.match(search?.message ?? '', /public anon key.*supabase\.auth\.getUser\(\)/);
  });

  it('Firebase Cloud Functions: exported onCall (v1 and v2, options first) and onRequest, authenticated by request.auth or a verified ID token', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'firebase-functions'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'ALL /exportData → authenticated',
      'POST /contact → unauthenticated', // 405 for every other method
      'POST /deleteAccount → unauthenticated',
      'POST /myOrders → authenticated',
      'POST /renameTeam → authenticated',
      'POST /reset → unauthenticated', // its handler handed over by name
    ]);
    assert.deepEqual(authFindings(workspace), [
      'functions/src/index.ts:39 auth/unauthenticated-route',
      'functions/src/index.ts:52 auth/unauthenticated-route',
      'functions/src/index.ts:8 auth/unauthenticated-route',
    ]);
    const deleteAccount = workspace.findings.get('functions/src/index.ts')?.find((finding) => finding.ruleId === 'auth/unauthenticated-route');
    assert.match(deleteAccount?.message ?? '', /^Anyone on the internet can call POST \/deleteAccount: .*Firebase lets anyone call it: .*request\.auth/);
  });

  it('Cloudflare Pages Functions: functions/ by folder, onRequest… exports by method, _ folders are not routes', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'cloudflare-pages'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'ALL /api/profile → authenticated',
      'DELETE /api/users/:id → unauthenticated',
      'GET /api/users/:id → unauthenticated',
    ]);
    assert.deepEqual(authFindings(workspace), ['functions/api/users/[id].ts:9 auth/unauthenticated-route']);
  });

  it('a root api/ folder of an Express app deployed to Vercel is the app\'s routes, not functions of their own', () => {
    const workspace = analyseFiles({
      'package.json': '{ "dependencies": { "express": "^4.19.2" } }',
      'api/index.js': "import express from 'express';\nimport users from './users.js';\nconst app = express();\napp.use('/api/users', users);\nexport default app;\n",
      'api/users.js': "import { Router } from 'express';\nconst router = Router();\nrouter.get('/', (req, res) => res.json([]));\nexport default router;\n",
    });
    assert.deepEqual(routeTable(workspace.inventory), ['GET /api/users → unauthenticated']);
  });

  it('Netlify and Vercel functions: by folder (a v2 config.path wins), helpers beside them are not functions, Lambda-style 401 answers count', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'netlify-vercel'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'ALL /.netlify/functions/me → authenticated', // return { statusCode: 401 } without a Netlify Identity user
      'DELETE /api/orders/:id → unauthenticated',
      'GET /.netlify/functions/search → unauthenticated', // event.httpMethod !== 'GET' answers 405
      'GET /api/orders/:id → unauthenticated',
      'POST /api/contact → authenticated',
      'POST /api/reports → unauthenticated', // netlify/functions/report/index.mts with config.path
    ]);
    assert.deepEqual(authFindings(workspace), [
      'api/orders/[id].ts:6 auth/unauthenticated-route',
      'netlify/functions/report/index.mts:5 auth/unauthenticated-route',
    ]);
  });
});
