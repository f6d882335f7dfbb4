import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyseFiles, analyseWorkspace, authFindings, routeFixtures, routeTable } from './routeFixtures';

describe('route inventory: Express', () => {
  const workspace = analyseWorkspace(path.join(routeFixtures, 'express'));

  it('finds every route across files, with mount prefixes composed and auth decided in registration order', () => {
    assert.deepEqual(routeTable(workspace.inventory), [
      'DELETE /api/admin/users/:id → authenticated',
      'DELETE /api/users/:id → unauthenticated',
      'GET /api/carts/:id → authenticated',
      'GET /api/users → unauthenticated',
      'GET /api/users/:id → unauthenticated',
      'GET /health → unauthenticated',
      'PATCH /api/users/:id/email → authenticated',
      'POST /api/admin/refunds → authenticated',
      'POST /api/contact → public',
      'POST /api/login → public',
      'POST /api/orders → authenticated',
      'POST /api/users → unauthenticated',
      'POST /api/users/:id/avatar → authenticated',
      'POST /api/webhooks/github → unauthenticated',
      'POST /api/webhooks/stripe → authenticated',
      'PUT /api/carts/:id → authenticated',
      'PUT /api/users/:id → authenticated',
    ]);
  });

  it('explains each decision with evidence', () => {
    const route = (method: string, routePath: string) => workspace.inventory.routes.find((candidate) => candidate.method === method && candidate.path === routePath)!;
    assert.match(route('PUT', '/api/users/:id').evidence[0].description, /^requireAuth answers 401/);
    assert.equal(route('PUT', '/api/users/:id').evidence[0].file, 'src/middleware/auth.ts');
    assert.match(route('POST', '/api/admin/refunds').evidence[0].description, /requireAuth/);
    assert.match(route('POST', '/api/webhooks/stripe').evidence[0].description, /Stripe webhook signature/);
    assert.match(route('POST', '/api/contact').evidence[0].description, /^marked public: contact form for visitors/);
    assert.match(route('POST', '/api/login').evidence[0].description, /sign-in endpoint/);
    assert.equal(route('POST', '/api/orders').framework, 'express');
  });

  it('reports state-changing routes nobody protects, checks done too late and unverified JWTs', () => {
    assert.deepEqual(authFindings(workspace), [
      'src/routes/users.ts:12 auth/unauthenticated-route',
      'src/routes/users.ts:28 auth/check-after-work',
      'src/routes/users.ts:33 auth/jwt-decode-without-verify',
      'src/routes/webhooks.ts:13 auth/unauthenticated-route',
    ]);
    const unauthenticated = workspace.findings.get('src/routes/users.ts')!.find((finding) => finding.ruleId === 'auth/unauthenticated-route')!;
    assert.match(unauthenticated.message, /^Anyone on the internet can call POST \/api\/users: nothing checks who is calling before it changes data\. Protect it with your auth check \(requireAuth, as used in src\/(app|routes\/users)\.ts\)/);
  });

  it('follows express required in place: require(\'express\')(), require(\'express\').Router() and app.use(path, require(\'./routes\'))', () => {
    const inline = analyseFiles({
      'server.js': "const app = require('express')();\napp.use('/api/admin', require('./routes/admin'));\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(3000);\n",
      'routes/admin.js': "const router = require('express').Router();\nrouter.post('/users/:id/delete', async (req, res) => { await db.users.delete(req.params.id); res.end(); });\nrouter.post('/users/:id/ban', require('../lib/auth').requireAuth, async (req, res) => { await db.users.ban(req.params.id); res.end(); });\nmodule.exports = router;\n",
      'lib/auth.js': "exports.requireAuth = (req, res, next) => {\n  if (!req.session.user) return res.status(401).end();\n  next();\n};\n",
    });
    assert.deepEqual(routeTable(inline.inventory), ['GET /health → unauthenticated', 'POST /api/admin/users/:id/ban → authenticated', 'POST /api/admin/users/:id/delete → unauthenticated']);
    assert.deepEqual(authFindings(inline), ['routes/admin.js:2 auth/unauthenticated-route']);
  });

  it('reads a path held in a constant: of the file, of a const object, built with + or a template, or exported by another module', () => {
    const files = {
      'src/config.js': "export const API_PREFIX = '/api/v1';\nexport const ADMIN = `${API_PREFIX}/admin`;\nexport const apiName = '/not-upper-case';\n",
      'src/app.js': [
        "import express from 'express';",
        "import { API_PREFIX, ADMIN, TENANT_ROOT } from './config.js';",
        "import users from './users.js';",
        "import { requireAuth } from './auth.js';",
        'const app = express();',
        "const LOCAL = '/local';",
        "const PATHS = { v2: { root: '/v2' } };",
        'app.use(API_PREFIX, users);',
        'app.use(LOCAL, users);',
        "app.use(PATHS.v2.root + '/people', users);",
        'app.use(`${LOCAL}/again`, users);',
        'app.use(ADMIN, users);',
        // Not exported by any file: the placeholder stays, and the route is still decided.
        'app.use(TENANT_ROOT, users);',
        // A camelCase middleware in the path's place stays a middleware.
        'app.use(requireAuth, users);',
        "app.get(LOCAL + '/ping', (req, res) => res.send('pong'));",
        'app.listen(3000);',
        '',
      ].join('\n'),
      'src/users.js': "import { Router } from 'express';\nconst router = Router();\nrouter.delete('/users/:id', async (req, res) => res.end());\nexport default router;\n",
      'src/auth.js': "export function requireAuth(req, res, next) {\n  if (!req.session.user) return res.status(401).end();\n  next();\n}\n",
    };
    const commonJs = {
      'config.js': "const ROOT = '/api';\nmodule.exports = {\n  ROOT,\n  USERS_PATH: ROOT + '/users',\n  TIMEOUT: 30,\n};\nexports.ADMIN_PATH = '/admin';\n",
      'server.js': "const express = require('express');\nconst { USERS_PATH, ADMIN_PATH } = require('./config');\nconst app = express();\napp.delete(`${USERS_PATH}/:id`, (req, res) => res.end());\napp.post(ADMIN_PATH + '/purge', (req, res) => res.end());\napp.listen(3000);\n",
    };
    assert.deepEqual(routeTable(analyseFiles(commonJs).inventory), ['DELETE /api/users/:id → unauthenticated', 'POST /admin/purge → unauthenticated']);
    const exportedObject = {
      'paths.ts': "export const PATHS = {\n  BILLING: '/billing',\n  label: 'Billing',\n} as const;\n",
      'server.ts': "import express from 'express';\nimport { PATHS } from './paths';\nconst app = express();\napp.delete(`${PATHS.BILLING}/cards/:id`, (req, res) => res.end());\n",
    };
    assert.deepEqual(routeTable(analyseFiles(exportedObject).inventory), ['DELETE /billing/cards/:id → unauthenticated']);
    assert.deepEqual(routeTable(analyseFiles(files).inventory), [
      'DELETE /api/v1/admin/users/:id → unauthenticated',
      'DELETE /api/v1/users/:id → unauthenticated',
      'DELETE /local/again/users/:id → unauthenticated',
      'DELETE /local/users/:id → unauthenticated',
      'DELETE /users/:id → authenticated',
      'DELETE /v2/people/users/:id → unauthenticated',
      'DELETE /{TENANT_ROOT}/users/:id → unauthenticated',
      // After app.use(requireAuth, …): Express runs requireAuth for every later route.
      'GET /local/ping → authenticated',
    ]);
  });
});
