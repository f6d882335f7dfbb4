import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ModuleResolver, normalise } from '../../../../server/src/engine/routes/link/moduleResolver';
import { repoRoot } from '../../helpers';

describe('module resolution for route linking', () => {
  it('keeps leading ".." segments and absolute paths, which name files of a folder outside the current one', () => {
    assert.equal(normalise('../app/src/./routes/../server.ts'), '../app/src/server.ts');
    assert.equal(normalise('/srv/app/src/./routes/../server.ts'), '/srv/app/src/server.ts');
    assert.equal(normalise('../../a/b'), '../../a/b');
    assert.equal(normalise('src/routes/../../lib/auth.ts'), 'lib/auth.ts');
    const resolver = new ModuleResolver(new Set(['../app/src/server.ts', '../app/src/routes/users.ts']));
    assert.equal(resolver.resolve('../app/src/server.ts', './routes/users'), '../app/src/routes/users.ts');
    const absolute = new ModuleResolver(new Set(['/srv/app/src/server.ts', '/srv/app/src/routes/users.ts']));
    assert.equal(absolute.resolve('/srv/app/src/server.ts', './routes/users'), '/srv/app/src/routes/users.ts');
  });

  it('the CLI lists the same routes for a folder whether it is below or beside the current folder', () => {
    const fixture = path.join(repoRoot, 'test', 'fixtures', 'routes', 'express');
    const routes = (cwd: string, target: string) => {
      const run = spawnSync(process.execPath, [path.join(repoRoot, 'server', 'out', 'cli.js'), 'routes', target, '--format', 'json'], { cwd, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const parsed = JSON.parse(run.stdout) as { routes: { method: string; path: string; auth: string }[] };
      return parsed.routes.map((route) => `${route.method} ${route.path} ${route.auth}`).sort();
    };
    const inside = routes(fixture, '.');
    assert.ok(inside.some((route) => route.includes('/api/admin/')), inside.join('\n'));
    assert.deepEqual(routes(path.join(repoRoot, 'server'), fixture), inside);
  });
});
