import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipContents } from './zipContents';
import { Analyzer } from '../../server/src/engine/analyzer';
import { builtinSecretRules } from '../../server/src/engine/builtinRules';
import { loadSecretRuleFiles } from '../../server/src/engine/secrets/loadSecretRules';

const root = path.resolve(__dirname, '..', '..', '..');
const vsix = path.join(root, 'shipshape.vsix');

/** `npm run package` runs just before this test (see the test:package script). */
describe('the packaged extension (.vsix)', () => {
  const contents = new Map([...zipContents(vsix)].filter(([name]) => name.startsWith('extension/')).map(([name, data]) => [name.slice('extension/'.length), data]));
  const entries = [...contents.keys()];

  it('ships only the bundles, secret rules, schemas, grammars, README, LICENSE and the manifest', () => {
    const allowed = [/^package\.json$/, /^client\/out\/extension\.js$/, /^server\/out\/(server|cli|typescript)\.js$/, /^server\/out\/rules\/secrets\/[\w-]+\.json$/, /^rules\/schema\/[\w.-]+\.json$/, /^syntaxes\/.+\.json$/, /^readme\.md$/i, /^license(\.txt)?$/i, /^client\/media\/[\w.-]+\.svg$/];
    const unexpected = entries.filter((name) => !allowed.some((pattern) => pattern.test(name)));
    assert.deepEqual(unexpected, [], 'files that should not be shipped');
  });

  it('contains everything the extension needs at run time', () => {
    for (const required of ['package.json', 'client/out/extension.js', 'server/out/server.js', 'server/out/cli.js', 'server/out/typescript.js', 'rules/schema/shipshape-config.schema.json', 'syntaxes/shipshapeignore.tmLanguage.json', 'readme.md', 'LICENSE.txt']) {
      assert.ok(entries.some((name) => name.toLowerCase() === required.toLowerCase()), `missing ${required}; has ${entries.join(', ')}`);
    }
    const ruleFiles = fs.readdirSync(path.join(root, 'rules', 'secrets'));
    for (const ruleFile of ruleFiles) assert.ok(entries.includes(`server/out/rules/secrets/${ruleFile}`), `missing server/out/rules/secrets/${ruleFile}`);
  });

  it('holds none of the rules\' example secrets (they are test data; vsce refuses a package with them)', () => {
    const analyzer = new Analyzer({ secretRules: builtinSecretRules(path.join(root, 'rules')) });
    const secrets = new Set<string>();
    for (const rule of loadSecretRuleFiles(path.join(root, 'rules')).flatMap((file) => file.rules)) {
      for (const example of rule.examples.positive as (string | { text: string; path?: string })[]) {
        const { text, path: filePath } = typeof example === 'string' ? { text: example, path: 'src/example.ts' } : { path: 'src/example.ts', ...example };
        for (const finding of analyzer.analyzeFile({ path: filePath, text }).findings) if (finding.category === 'secret') secrets.add(text.slice(finding.startOffset, finding.endOffset));
      }
    }
    assert.ok(secrets.size > 100, `only ${secrets.size} example secrets found`);
    for (const [name, data] of contents) {
      const text = data.toString('utf8');
      for (const secret of secrets) assert.ok(!text.includes(secret), `${name} holds an example secret ${secret.slice(0, 8)}…`);
      if (name.startsWith('server/out/rules/')) assert.ok(!/"examples"/.test(text), `${name} still has examples`);
    }
  });

  it('has no source maps, TypeScript sources or node_modules', () => {
    assert.deepEqual(entries.filter((name) => /\.map$|\.ts$|node_modules\//.test(name)), []);
  });
});
