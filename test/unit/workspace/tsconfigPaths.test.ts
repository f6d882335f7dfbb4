import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { TsconfigPaths } from '../../../server/src/workspace/tsconfigPaths';

/** Non-relative imports resolved the way TypeScript does: the nearest tsconfig/jsconfig's `paths`, `baseUrl` and `extends`. */
describe('tsconfig paths: where an aliased import points', () => {
  const root = path.resolve('/w');
  const files = (entries: Record<string, string>) => {
    const byPath = new Map(Object.entries(entries).map(([relative, text]) => [path.join(root, relative), text]));
    return { stamp: (file: string) => (byPath.has(file) ? 'v' : undefined), text: (file: string) => byPath.get(file) };
  };
  const relative = (candidates: string[]) => candidates.map((candidate) => path.relative(root, candidate).split(path.sep).join('/'));

  it('maps a wildcard pattern, with comments and trailing commas in the file', () => {
    const paths = new TsconfigPaths(files({ 'tsconfig.json': '{\n  // Next.js\n  "compilerOptions": { "paths": { "@/*": ["./src/*",], }, },\n}' }));
    assert.deepEqual(relative(paths.candidates(path.join(root, 'src', 'app', 'api'), '@/lib/db')), ['src/lib/db']);
    assert.deepEqual(paths.candidates(path.join(root, 'src'), 'express'), [], 'a package stays a package');
  });

  it('prefers an exact pattern, then the longest prefix; targets are relative to baseUrl when set', () => {
    const paths = new TsconfigPaths(files({ 'jsconfig.json': '{ "compilerOptions": { "baseUrl": "src", "paths": { "@/*": ["*"], "@/lib/*": ["shared/lib/*", "lib/*"], "config": ["settings/index.ts"] } } }' }));
    assert.deepEqual(relative(paths.candidates(root, '@/lib/db')), ['src/shared/lib/db', 'src/lib/db']);
    assert.deepEqual(relative(paths.candidates(root, '@/routes/users')), ['src/routes/users']);
    assert.deepEqual(relative(paths.candidates(root, 'config')), ['src/settings/index.ts']);
    // baseUrl alone resolves any other bare specifier from src/ (the caller keeps it only if such a file exists).
    assert.deepEqual(relative(paths.candidates(root, 'services/billing')), ['src/services/billing']);
  });

  it('follows extends, and the nearest config governs a folder', () => {
    const paths = new TsconfigPaths(files({
      'tsconfig.base.json': '{ "compilerOptions": { "paths": { "~/*": ["./app/*"] } } }',
      'web/tsconfig.json': '{ "extends": "../tsconfig.base.json", "compilerOptions": { "strict": true } }',
      'api/tsconfig.json': '{ "extends": "../tsconfig.base", "compilerOptions": { "paths": { "~/*": ["./src/*"] } } }',
    }));
    assert.deepEqual(relative(paths.candidates(path.join(root, 'web', 'pages'), '~/db')), ['app/db'], 'paths of the extended config are relative to it');
    assert.deepEqual(relative(paths.candidates(path.join(root, 'api'), '~/db')), ['api/src/db']);
  });

  it('ignores configs it cannot read and extends it cannot follow', () => {
    const paths = new TsconfigPaths(files({ 'tsconfig.json': '{ "extends": "@tsconfig/node20/tsconfig.json", "compilerOptions": { "paths": 7 } ', 'a/tsconfig.json': 'not json at all' }));
    assert.deepEqual(paths.candidates(root, '@/x'), []);
    assert.deepEqual(paths.candidates(path.join(root, 'a'), '@/x'), []);
  });
});
