import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyseFiles, analyseWorkspace, authFindings, routeFixtures, routeTable } from './routeFixtures';

describe('route inventory: Next.js', () => {
  const workspace = analyseWorkspace(path.join(routeFixtures, 'nextjs'));

  it('finds route handlers, pages/api, server actions; applies the Clerk middleware to the paths it protects', () => {
    assert.deepEqual(routeTable(workspace.inventory), [
      'ACTION archiveAll → unauthenticated',
      'ACTION deleteProject → unauthenticated',
      'ACTION renameProject → authenticated',
      'DELETE /api/orders/:id → authenticated',
      'GET /api/admin/stats → authenticated',
      'GET /api/auth/:nextauth* → public',
      // Its GET branch answers before the session check: each method of a pages/api handler is read on its own.
      'GET /api/legacy/export → unauthenticated',
      'GET /api/orders → authenticated',
      'PATCH /api/profile → authenticated',
      'POST /api/auth/:nextauth* → public',
      'POST /api/legacy/export → authenticated',
      'POST /api/orders → authenticated',
      'POST /api/webhooks/clerk → authenticated',
      'POST /newsletter → unauthenticated',
    ]);
  });

  it('explains where protection comes from', () => {
    const route = (method: string, routePath: string) => workspace.inventory.routes.find((candidate) => candidate.method === method && candidate.path === routePath)!;
    assert.match(route('POST', '/api/orders').evidence[0].description, /middleware\.ts: Clerk auth\.protect\(\) in middleware/);
    assert.equal(route('POST', '/api/orders').evidence[0].file, 'src/middleware.ts');
    assert.match(route('PATCH', '/api/profile').evidence[0].description, /answers 401/);
    assert.match(route('POST', '/api/webhooks/clerk').evidence[0].description, /webhook signature/);
    assert.equal(route('ACTION', 'deleteProject').framework, 'nextjs-server-action');
  });

  it('reports unprotected writes, including server actions', () => {
    assert.deepEqual(authFindings(workspace), [
      'src/app/(marketing)/newsletter/route.ts:3 auth/unauthenticated-route',
      'src/app/dashboard/actions.ts:14 auth/unauthenticated-route',
      'src/app/dashboard/page.tsx:4 auth/unauthenticated-route',
    ]);
  });

  describe('pages/api: one function, each method read on its own', () => {
    const session = "import { getServerSession } from 'next-auth/next';\nimport { authOptions } from '../../lib/auth';\nimport { db } from '../../lib/db';\n";
    const files = {
      'pages/api/items.js': `${session}export default async function handler(req, res) {
  if (req.method === 'GET') return res.json(await db.item.findMany());
  if (req.method === 'DELETE') {
    await db.item.delete({ where: { id: req.query.id } });
    return res.status(204).end();
  }
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).json({ error: 'sign in' });
  if (req.method === 'POST') return res.status(201).json(await db.item.create({ data: req.body }));
  res.status(405).end();
}
`,
      'pages/api/orders.js': `${session}export default async function handler(req, res) {
  switch (req.method) {
    case 'GET':
      return res.json(await db.order.findMany());
    case 'POST': {
      const session = await getServerSession(req, res, authOptions);
      if (!session) return res.status(401).end();
      return res.json(await db.order.create({ data: req.body }));
    }
    case 'PATCH':
    case 'PUT':
      return res.json(await db.order.update({ where: { id: req.body.id }, data: req.body }));
  }
}
`,
      'pages/api/notes.js': `${session}export default async function handler(req, res) {
  if (['PUT', 'PATCH'].includes(req.method) && req.query.preview) return res.json({ preview: true });
  if (req.method === 'DELETE' || req.method === 'PUT') {
    const session = await getServerSession(req, res, authOptions);
    if (!session) return res.status(401).end();
    return res.json(await db.note.delete({ where: { id: req.query.id } }));
  }
  if (req.method === 'POST') return res.json(await db.note.create({ data: req.body }));
}
`,
    };
    const analysed = analyseFiles(files);

    it('a branch for other methods neither protects nor exposes a method', () => {
      assert.deepEqual(routeTable(analysed.inventory), [
        'DELETE /api/items → unauthenticated',
        'DELETE /api/notes → authenticated',
        'GET /api/items → unauthenticated',
        'GET /api/orders → unauthenticated',
        'PATCH /api/orders → unauthenticated',
        'POST /api/items → authenticated',
        'POST /api/notes → unauthenticated',
        'POST /api/orders → authenticated',
        'PUT /api/notes → authenticated',
        'PUT /api/orders → unauthenticated',
      ]);
    });

    it('reports each unprotected write (the DELETE that returns before the check too), none for the protected ones', () => {
      assert.deepEqual(authFindings(analysed), [
        'pages/api/items.js:4 auth/unauthenticated-route',
        'pages/api/notes.js:4 auth/unauthenticated-route',
        'pages/api/orders.js:4 auth/unauthenticated-route',
        'pages/api/orders.js:4 auth/unauthenticated-route',
      ]);
      const messages = [...analysed.findings.values()].flat().filter((finding) => finding.ruleId === 'auth/unauthenticated-route').map((finding) => finding.message.match(/call (\w+ [^\s:]+)/)?.[1]).sort();
      assert.deepEqual(messages, ['DELETE /api/items', 'PATCH /api/orders', 'POST /api/notes', 'PUT /api/orders']);
    });
  });
});
