import * as assert from 'node:assert/strict';
import { pyInputData } from '../../../../server/src/engine/input/python/pyRuleData';
import { inputRuleData } from '../../../../server/src/engine/input/ruleData';
import { inputFindings, relatedLines, summarise } from './inputTestHelpers';

/**
 * Every input rule carries Python examples of its own (its `python` section in
 * rules/input/sinks.json): a positive example is reported by exactly that rule at its `# sink`
 * line, with related information at its `# source` line; a negative example is not reported.
 * (The schema check of the tables runs in ruleExamples.test.ts.)
 */
describe('input rules for Python: each rule\'s own examples', () => {
  it('every input rule has Python sinks and examples, and every pattern compiles', () => {
    const data = pyInputData();
    assert.deepEqual(data.rules.map(({ rule }) => rule.id), inputRuleData().rules.map((rule) => rule.id));
    for (const { python } of data.rules) {
      assert.ok(python.sinks.length > 0);
      assert.ok(python.examples.positive.length > 0 && python.examples.negative.length > 0);
    }
    assert.ok(data.sinkNames.length > 50);
  });

  for (const { rule, python } of pyInputData().rules) {
    describe(rule.id, () => {
      python.examples.positive.forEach((example, index) => {
        const file = example.path ?? 'app.py';
        it(`reports positive example ${index + 1} (${file}) at line ${example.sink}`, () => {
          const text = example.code.join('\n');
          const findings = inputFindings(text, file, example.dependencies ?? ['flask', 'django', 'fastapi', 'pymongo', 'sqlalchemy']);
          assert.deepEqual(findings.map(summarise), [`${rule.id}@${example.sink}`], `findings in:\n${text}\n${JSON.stringify(findings.map((f) => f.message), null, 1)}`);
          assert.equal(relatedLines(findings[0])[0], example.source, `related information should point at the request input: ${JSON.stringify(findings[0].related)}`);
          assert.match(findings[0].message, /^The .+?( \(.+\))?(, passed to \w+\(\),)? goes straight into .+: .+\. .+\.$/s);
        });
      });
      python.examples.negative.forEach((example, index) => {
        const file = example.path ?? 'app.py';
        it(`ignores negative example ${index + 1} (${file})`, () => {
          const text = example.code.join('\n');
          const findings = inputFindings(text, file, example.dependencies ?? ['flask', 'django', 'fastapi', 'pymongo', 'sqlalchemy']);
          assert.deepEqual(findings.map(summarise), [], `reported in:\n${text}\n${JSON.stringify(findings.map((f) => f.message), null, 1)}`);
        });
      });
    });
  }
});
