import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceIndex } from '../../../server/src/workspace/workspaceIndex';
import { ModuleSinkCache } from '../../../server/src/workspace/moduleSinkCache';
import { defaultConfig } from '../../../server/src/engine/config/shipshapeConfig';
import { builtinAnalyzer, repoRoot } from '../helpers';

/**
 * The workspace index knows which files' findings end in a file (a handler's input reaching a
 * query in db/users.js), and says when that changes, so an open db/users.js can show it.
 */
describe('workspace index: findings that end in another file', () => {
  let root = '';
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-reaching-')));
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'input', 'cross-file'), root, { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('follows a handler being analysed, changed on disk and removed', async () => {
    const analyzer = builtinAnalyzer({ categories: new Set(['input']) });
    const modules = new ModuleSinkCache({
      stamp: (file) => { const stat = fs.statSync(file, { throwIfNoEntry: false }); return stat?.isFile() ? `${stat.mtimeMs} ${stat.size}` : undefined; },
      text: (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined),
      dependencies: () => new Set(['express', 'pg']),
    });
    const reached: string[][] = [];
    const index = new WorkspaceIndex({
      analyzerFor: () => analyzer,
      dependenciesOf: () => new Set(['express', 'pg']),
      configOf: () => defaultConfig(),
      isExcluded: () => false,
      yieldNow: () => Promise.resolve(),
      importedModules: (file, relative) => modules.resolverFor({ path: file, relative }, analyzer),
      onReachingChanged: (files) => reached.push(files),
    });
    await index.build([root]);
    const module = path.join(root, 'db', 'users.js');
    const handler = path.join(root, 'routes', 'users.js');
    const reaching = () => index.findingsReaching(module).map((finding) => `${finding.file}:${finding.range.start.line + 1}`);
    assert.deepEqual(reaching(), ['routes/users.js:9']);
    assert.ok(reached.some((files) => files.includes(module)), JSON.stringify(reached));
    assert.deepEqual(index.findingsReaching(handler), []);

    // The handler stops passing input: nothing reaches the module, and the index says so.
    reached.length = 0;
    fs.writeFileSync(handler, fs.readFileSync(handler, 'utf8').replace('db.getUser(req.params.id)', 'db.getUser(Number(req.params.id))'));
    index.refreshFromDisk(handler, fs.statSync(handler).size);
    assert.deepEqual(reaching(), []);
    assert.ok(reached.some((files) => files.includes(module)), JSON.stringify(reached));

    fs.writeFileSync(handler, fs.readFileSync(handler, 'utf8').replace('db.getUser(Number(req.params.id))', 'db.getUser(req.params.id)'));
    index.refreshFromDisk(handler, fs.statSync(handler).size);
    assert.deepEqual(reaching(), ['routes/users.js:9']);
    reached.length = 0;
    index.removeFile(handler);
    assert.deepEqual(reaching(), []);
    assert.ok(reached.some((files) => files.includes(module)));
  });
});
