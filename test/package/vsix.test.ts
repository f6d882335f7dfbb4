import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipEntries } from './zipEntries';

const root = path.resolve(__dirname, '..', '..', '..');
const vsix = path.join(root, 'shipshape.vsix');

/** `npm run package` runs just before this test (see the test:package script). */
describe('the packaged extension (.vsix)', () => {
  const entries = zipEntries(vsix).filter((name) => name.startsWith('extension/')).map((name) => name.slice('extension/'.length));

  it('ships only the bundles, rules, grammars, README, LICENSE and the manifest', () => {
    const allowed = [/^package\.json$/, /^client\/out\/extension\.js$/, /^server\/out\/(server|cli|typescript)\.js$/, /^rules\/.+\.(json|md)$/, /^syntaxes\/.+\.json$/, /^readme\.md$/i, /^license(\.txt)?$/i, /^client\/media\/[\w.-]+\.svg$/];
    const unexpected = entries.filter((name) => !allowed.some((pattern) => pattern.test(name)));
    assert.deepEqual(unexpected, [], 'files that should not be shipped');
  });

  it('contains everything the extension needs at run time', () => {
    for (const required of ['package.json', 'client/out/extension.js', 'server/out/server.js', 'server/out/cli.js', 'server/out/typescript.js', 'rules/schema/shipshape-config.schema.json', 'syntaxes/shipshapeignore.tmLanguage.json', 'readme.md', 'LICENSE.txt']) {
      assert.ok(entries.some((name) => name.toLowerCase() === required.toLowerCase()), `missing ${required}; has ${entries.join(', ')}`);
    }
    const ruleFiles = fs.readdirSync(path.join(root, 'rules', 'secrets'));
    for (const ruleFile of ruleFiles) assert.ok(entries.includes(`rules/secrets/${ruleFile}`), `missing rules/secrets/${ruleFile}`);
  });

  it('has no source maps, TypeScript sources or node_modules', () => {
    assert.deepEqual(entries.filter((name) => /\.map$|\.ts$|node_modules\//.test(name)), []);
  });
});
