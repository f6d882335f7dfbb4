import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRuleDescriptions } from '../../../server/src/engine/allRules';
import { loadSecretRuleSpecs } from '../../../server/src/engine/secrets/loadSecretRules';
import { anchorOf, rulesMarkdown } from '../../../server/src/report/rulesMarkdown';
import { ruleDocsUrl, RULES_DOC_URL } from '../../../server/src/engine/ruleCatalog';
import { repoRoot, rulesDirectory } from '../helpers';

/** rules/RULES.md is generated; run `npm run docs:rules` after changing a rule. */
describe('rules/RULES.md', () => {
  const rules = allRuleDescriptions(loadSecretRuleSpecs(rulesDirectory));
  const file = path.join(repoRoot, 'rules', 'RULES.md');

  it('is up to date with the rule catalog', () => {
    const expected = rulesMarkdown(rules);
    if (process.env.UPDATE_RULES_DOC === '1') fs.writeFileSync(file, expected);
    assert.equal(fs.readFileSync(file, 'utf8'), expected, 'rules/RULES.md is stale: run npm run docs:rules');
  });

  it('has the anchor every documentation link points to', () => {
    const text = fs.readFileSync(file, 'utf8');
    for (const rule of rules) {
      assert.equal(rule.docsUrl, ruleDocsUrl(rule.id));
      assert.ok(rule.docsUrl.startsWith(`${RULES_DOC_URL}#`));
      assert.ok(text.includes(`<a id="${anchorOf(rule.id)}"></a>`), `no anchor for ${rule.id}`);
    }
  });
});
