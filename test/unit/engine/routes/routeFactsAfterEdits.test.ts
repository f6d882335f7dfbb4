import * as assert from 'node:assert/strict';
import { ParseCache } from '../../../../server/src/engine/js/parseCache';
import { builtinAnalyzer } from '../../helpers';

/**
 * Route facts after an edit re-use what unchanged statements found before (per statement
 * node, kept by the incremental parser). Each step below edits the file and expects exactly
 * the facts of a fresh analysis of the new text.
 */
type Edit = [description: string, apply: (text: string) => string];

function replace(from: string, to: string): (text: string) => string {
  return (text) => {
    assert.ok(text.includes(from), `the file still contains ${JSON.stringify(from)}`);
    return text.replace(from, to);
  };
}

function assertEditsMatchFresh(file: string, original: string, edits: Edit[]): void {
  const analyzer = builtinAnalyzer();
  const cache = new ParseCache();
  let text = original;
  const first = analyzer.analyzeFile({ path: file, text, parseCache: cache });
  assert.ok(first.routeFacts?.routers.some((router) => router.registrations.length > 0), 'the file registers routes');
  for (const [description, apply] of edits) {
    text = apply(text);
    const incremental = analyzer.analyzeFile({ path: file, text, parseCache: cache });
    const fresh = analyzer.analyzeFile({ path: file, text });
    assert.equal(JSON.stringify(incremental.routeFacts, null, 1), JSON.stringify(fresh.routeFacts, null, 1), description);
    assert.deepEqual(incremental.findings.map((finding) => [finding.ruleId, finding.startOffset, finding.message]), fresh.findings.map((finding) => [finding.ruleId, finding.startOffset, finding.message]), description);
  }
}

describe('route facts after edits (statements re-used from the previous parse)', () => {
  const express = [
    "import express from 'express';",
    "import { requireAuth } from './auth';",
    "import { expressjwt } from 'express-jwt';",
    '',
    'const router = express.Router();',
    "const checkJwt = expressjwt({ secret: process.env.JWT_SECRET, algorithms: ['HS256'] });",
    '',
    "router.get('/a', requireAuth, (req, res) => {",
    '  res.json({ items: [] });',
    '});',
    '',
    "router.post('/b', checkJwt, async (req, res) => {",
    '  await db.items.create(req.body);',
    '  res.json({});',
    '});',
    '',
    "router.route('/c').get(listThings).post(requireAuth, createThing); router.delete('/d/:id', async (req, res) => {",
    '  if (!req.user) return res.status(401).end();',
    '  await db.items.delete(req.params.id);',
    '  res.status(204).end();',
    '});',
    '',
    "router.put('/e/:id', async (req, res) => { await db.items.update(req.params.id, req.body); res.end(); });",
    '',
    'export default router;',
    '',
  ].join('\n');

  it('Express: edits inside and outside handlers, of imports, aliases and router names', () => {
    assertEditsMatchFresh('src/routes/items.ts', express, [
      ['an edit inside a handler', replace('res.json({ items: [] });', 'res.json({ items: [], total: 0 });')],
      ['an auth check added inside a handler', replace('  await db.items.create(req.body);', '  if (!req.user) return res.status(401).end();\n  await db.items.create(req.body);')],
      ['lines added above every route', replace("const router = express.Router();", "// Items.\n\n\nconst router = express.Router();")],
      ['an edit on the line another registration starts on', replace("router.route('/c').get(listThings)", "router.route('/cc').get(listThings)")],
      ['an edit after every route', replace('export default router;', 'export default router; // the items API')],
      ['a middleware import from elsewhere', replace("import { requireAuth } from './auth';", "import { requireAuth } from './session';")],
      ['a middleware import removed', replace("import { requireAuth } from './session';\n", '')],
      ['the import back', replace("import { expressjwt }", "import { requireAuth } from './auth';\nimport { expressjwt }")],
      ['an alias made from something else', replace('const checkJwt = expressjwt(', 'const checkJwt = cors(')],
      ['the alias back', replace('const checkJwt = cors(', 'const checkJwt = expressjwt(')],
      ['the router renamed', replace('const router = express.Router();', 'const api = express.Router();')],
      ['the router named back', replace('const api = express.Router();', 'const router = express.Router();')],
      ['a second router', replace('export default router;', "const admin = express.Router();\nadmin.get('/x', (req, res) => res.end());\nrouter.use('/admin', requireAuth, admin);\nexport default router;")],
      ['the framework import changed', replace("import express from 'express';", "import express from 'ultra-express';")],
      ['the framework import back', replace("import express from 'ultra-express';", "import express from 'express';")],
      ['the name imported from another framework', replace("import express from 'express';", "import express from 'koa';")],
      ['and from express again', replace("import express from 'koa';", "import express from 'express';")],
      ['a handler function declared', replace('export default router;', 'function listThings(req, res) { res.json([]); }\nexport default router;')],
      ['a statement cut in half', replace("router.put('/e/:id', async (req, res) => {", "router.put('/e/:id', async (req, res) => {\n  router.get(")],
      ['and mended', replace("{\n  router.get(", '{')],
      ['a path constant declared and used', replace('export default router;', "const ADMIN = '/admin';\nrouter.delete(`${ADMIN}/all`, (req, res) => res.end());\nexport default router;")],
      ['the constant changed (its user is not)', replace("const ADMIN = '/admin';", "const ADMIN = '/staff';")],
      ['the constant removed', replace("const ADMIN = '/staff';\n", '')],
    ]);
  });

  it('Koa: a prefix set by a call, and edits around it', () => {
    const koa = [
      "import Router from '@koa/router';",
      "import { authenticate } from './auth';",
      'const router = new Router();',
      "router.prefix('/v1');",
      "router.get('/a', authenticate, async (ctx) => { ctx.body = await db.a.findMany(); });",
      "router.post('/b', async (ctx) => { await db.b.create(ctx.request.body); });",
      'export default router;',
      '',
    ].join('\n');
    assertEditsMatchFresh('src/koa.ts', koa, [
      ['an edit in a handler', replace('db.a.findMany()', 'db.a.findMany({ take: 10 })')],
      ['the prefix changed', replace("router.prefix('/v1');", "router.prefix('/v2');")],
      ['an edit before the prefix', replace("import { authenticate } from './auth';", "import { authenticate } from './auth'; // sessions")],
      ['the prefix removed', replace("router.prefix('/v2');\n", '')],
    ]);
  });

  it('Fastify: a plugin whose instance parameter registers routes', () => {
    const fastify = [
      "import Fastify from 'fastify';",
      'const app = Fastify();',
      'async function routes(fastify) {',
      "  fastify.get('/a', async () => ({ ok: true }));",
      "  fastify.post('/b', { preHandler: [fastify.authenticate] }, async (request) => db.b.create(request.body));",
      '}',
      "app.register(routes, { prefix: '/api' });",
      "app.get('/health', async () => 'ok');",
      '',
    ].join('\n');
    assertEditsMatchFresh('src/server.ts', fastify, [
      ['an edit above the plugin', replace('const app = Fastify();', 'const app = Fastify({ logger: true });')],
      ['an edit inside the plugin', replace("async () => ({ ok: true })", "async () => ({ ok: false })")],
      ['the instance parameter renamed', replace('async function routes(fastify) {', 'async function routes(server) {')],
      ['a route on the renamed instance', replace("  fastify.get('/a'", "  server.get('/a'")],
      ['an edit after the plugin', replace("app.get('/health'", "app.get('/healthz'")],
    ]);
  });
});
