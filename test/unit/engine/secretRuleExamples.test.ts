import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { loadSecretRuleFiles } from '../../../server/src/engine/secrets/loadSecretRules';
import { compileSecretRule, countGroups } from '../../../server/src/engine/secrets/compileRule';
import { builtinAnalyzer, rulesDirectory } from '../helpers';

/**
 * Every secret rule carries its own examples: each positive example must produce a finding
 * of that rule (with the value masked in the message), each negative example none.
 */
describe('secret rules: each rule\'s own examples', () => {
  const files = loadSecretRuleFiles(rulesDirectory);
  const analyzer = builtinAnalyzer();
  const schema = JSON.parse(fs.readFileSync(path.join(rulesDirectory, 'schema', 'secret-rules.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('every rule file validates against the schema', () => {
    for (const name of fs.readdirSync(path.join(rulesDirectory, 'secrets'))) {
      const data = JSON.parse(fs.readFileSync(path.join(rulesDirectory, 'secrets', name), 'utf8'));
      assert.ok(validate(data), `rules/secrets/${name}: ${JSON.stringify(validate.errors, null, 1)}`);
    }
  });

  it('capturing groups are counted from the source as the regex engine counts them, and every secretGroup exists', () => {
    const byEngine = (source: string) => (new RegExp(`${source}|`).exec('') ?? []).length - 1;
    const tricky = ['(a)(?:b)(?<name>c)(?=d)(?!e)(?<=f)(?<!g)', '\\(x\\)[(]([)])', '[\\]()](y)', '((a)|(b))'];
    for (const source of tricky) assert.equal(countGroups(new RegExp(source)), byEngine(source), source);
    for (const rule of files.flatMap((file) => file.rules)) {
      assert.equal(countGroups(new RegExp(rule.regex)), byEngine(rule.regex), rule.id);
      assert.doesNotThrow(() => compileSecretRule(rule), rule.id);
    }
    assert.throws(() => compileSecretRule({ ...files[0].rules[0], regex: 'sk_(\\w+)', secretGroup: 2 }), /secretGroup 2 does not exist/);
  });

  it('rule ids are unique', () => {
    const ids = files.flatMap((file) => file.rules.map((rule) => rule.id));
    assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), []);
  });

  for (const file of files) {
    for (const rule of file.rules) {
      describe(rule.id, () => {
        rule.examples.positive.forEach((example, index) => {
          const { text, path: filePath } = typeof example === 'string' ? { text: example, path: 'src/example.ts' } : { path: 'src/example.ts', ...example };
          it(`finds positive example ${index + 1} (${filePath})`, () => {
            const findings = analyzer.analyzeFile({ path: filePath, text }).findings.filter((finding) => finding.ruleId === rule.id);
            assert.ok(findings.length > 0, `${rule.id} found nothing in ${JSON.stringify(text)}; other findings: ${analyzer.analyzeFile({ path: filePath, text }).findings.map((f) => f.ruleId).join(', ') || 'none'}`);
            for (const finding of findings) {
              const secret = text.slice(finding.startOffset, finding.endOffset);
              assert.ok(secret.length > 0);
              assert.ok(!finding.message.includes(secret), `the message shows the raw secret: ${finding.message}`);
            }
          });
        });
        rule.examples.negative.forEach((example, index) => {
          const { text, path: filePath } = typeof example === 'string' ? { text: example, path: 'src/example.ts' } : { path: 'src/example.ts', ...example };
          it(`ignores negative example ${index + 1} (${filePath})`, () => {
            const findings = analyzer.analyzeFile({ path: filePath, text }).findings.filter((finding) => finding.ruleId === rule.id);
            assert.deepEqual(findings.map((finding) => text.slice(finding.startOffset, finding.endOffset).slice(0, 6) + '…'), [], `${rule.id} reported ${JSON.stringify(text)}`);
          });
        });
      });
    }
  }
});
