import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyseWorkspace, authFindings, routeFixtures, routeTable } from './routeFixtures';

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
      'GET /api/legacy/export → authenticated',
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
});
