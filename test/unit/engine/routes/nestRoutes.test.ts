import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyseWorkspace, authFindings, routeFixtures, routeTable } from './routeFixtures';
import { applyFix } from './applyFix';

describe('route inventory: NestJS', () => {
  it('applies global guards (APP_GUARD) and the global prefix, and honours @Public()', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'nestjs'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'DELETE /api/orders/:id → authenticated',
      'GET /api/health → public',
      'GET /api/orders → authenticated',
      'GET /api/users/me → authenticated',
      'POST /api/orders → authenticated',
      'POST /api/users/invite → public',
      'POST /api/users/signup → public',
    ]);
    const order = workspace.inventory.routes.find((route) => route.method === 'POST' && route.path === '/api/orders')!;
    assert.match(order.evidence[0].description, /JwtAuthGuard extends Passport's AuthGuard\('jwt'\)/);
    assert.deepEqual(authFindings(workspace), []);
  });

  it('reads @UseGuards on methods, judges a guard by its canActivate, and inserts it with "Require authentication"', () => {
    const workspace = analyseWorkspace(path.join(routeFixtures, 'nestjs-local-guards'));
    assert.deepEqual(routeTable(workspace.inventory), [
      'GET /projects → unauthenticated',
      'POST /projects → unauthenticated',
      'PUT /projects/:id → authenticated',
    ]);
    assert.deepEqual(authFindings(workspace), ['src/projects.controller.ts:11 auth/unauthenticated-route']);
    const finding = workspace.findings.get('src/projects.controller.ts')!.find((candidate) => candidate.ruleId === 'auth/unauthenticated-route')!;
    const fixed = applyFix(workspace.texts.get('src/projects.controller.ts')!, finding, 'Require authentication (ApiKeyGuard)');
    assert.match(fixed, /\n  @UseGuards\(ApiKeyGuard\)\n  @Post\(\)\n  create\(/);
    assert.equal(fixed.match(/import \{ ApiKeyGuard \}/g)?.length, 1);
    assert.equal(fixed.match(/import[^;]*\bUseGuards\b/g)?.length, 1, 'UseGuards must be imported exactly once');
  });
});
