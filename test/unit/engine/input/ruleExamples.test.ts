import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { rulesDirectory } from '../../helpers';
import { INPUT_RULES } from '../../../../server/src/engine/input/inputRules';
import { inputRuleData } from '../../../../server/src/engine/input/ruleData';
import { inputFindings, relatedLines, summarise } from './inputTestHelpers';

/**
 * Every input rule carries its own examples in rules/input/sinks.json: a positive example is
 * reported by exactly that rule, at its `sink` line, with related information at its
 * `source` line; a negative example is not reported at all.
 */
describe('input rules: each rule\'s own examples', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(rulesDirectory, 'schema', 'input-rules.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('every table in rules/input validates against the schema', () => {
    const files = fs.readdirSync(path.join(rulesDirectory, 'input')).filter((name) => name.endsWith('.json'));
    assert.deepEqual(files.sort(), ['sinks.json', 'sources.json', 'validators.json']);
    for (const name of files) {
      const data = JSON.parse(fs.readFileSync(path.join(rulesDirectory, 'input', name), 'utf8'));
      assert.ok(validate(data), `rules/input/${name}: ${JSON.stringify(validate.errors, null, 1)}`);
    }
  });

  it('rule ids are unique and every rule is described for the catalog', () => {
    const ids = inputRuleData().rules.map((rule) => rule.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(INPUT_RULES.map((rule) => rule.id), ids);
    for (const rule of INPUT_RULES) {
      assert.equal(rule.category, 'input');
      assert.match(rule.docsUrl, /RULES\.md#input-/);
    }
  });

  it('every regular expression in the tables compiles', () => {
    // inputRuleData() compiles them all; a bad pattern throws here rather than in the editor.
    assert.ok(inputRuleData().sinkNames.length > 20);
  });

  for (const rule of inputRuleData().rules) {
    describe(rule.id, () => {
      rule.examples.positive.forEach((example, index) => {
        const file = example.path ?? 'src/example.ts';
        it(`reports positive example ${index + 1} (${file}) at line ${example.sink}`, () => {
          const text = example.code.join('\n');
          const findings = inputFindings(text, file, example.dependencies);
          assert.deepEqual(findings.map(summarise), [`${rule.id}@${example.sink}`], `findings in:\n${text}\n${JSON.stringify(findings.map((f) => f.message), null, 1)}`);
          assert.equal(relatedLines(findings[0])[0], example.source, `related information should point at the request input: ${JSON.stringify(findings[0].related)}`);
          assert.equal(findings[0].severity === 'error' || findings[0].severity === 'warning', true);
        });
      });
      rule.examples.negative.forEach((example, index) => {
        const file = example.path ?? 'src/example.ts';
        it(`ignores negative example ${index + 1} (${file})`, () => {
          const text = example.code.join('\n');
          const findings = inputFindings(text, file, example.dependencies);
          assert.deepEqual(findings.map(summarise), [], `reported in:\n${text}\n${JSON.stringify(findings.map((f) => f.message), null, 1)}`);
        });
      });
    });
  }
});
