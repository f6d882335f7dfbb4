import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { assessReadiness } from '../../../../server/src/engine/readiness/assessReadiness';
import { READINESS_CHECKS, READINESS_CHECK_FILES } from '../../../../server/src/engine/readiness/catalog';
import { isCodeDetection, type CheckExample } from '../../../../server/src/engine/readiness/checkSpec';
import { CODE_CHECKS } from '../../../../server/src/engine/readiness/checks';
import { rulesDirectory } from '../../helpers';
import { exampleInput } from './readinessHelpers';

/**
 * Every readiness check carries its own mini-workspaces: each "pass" example must pass,
 * each "fail" example fail and each "unknown" example stay unknown, with evidence or a reason.
 */
describe('readiness checks: rule files and each check\'s own examples', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(rulesDirectory, 'schema', 'readiness-checks.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('every rule file validates against the schema', () => {
    const names = fs.readdirSync(path.join(rulesDirectory, 'readiness')).filter((name) => name.endsWith('.json'));
    assert.ok(names.length >= 5);
    for (const name of names) {
      const data = JSON.parse(fs.readFileSync(path.join(rulesDirectory, 'readiness', name), 'utf8'));
      assert.ok(validate(data), `rules/readiness/${name}: ${JSON.stringify(validate.errors, null, 1)}`);
    }
  });

  it('the bundled catalogue holds every rule file', () => {
    const onDisk = fs.readdirSync(path.join(rulesDirectory, 'readiness')).filter((name) => name.endsWith('.json')).map((name) => JSON.parse(fs.readFileSync(path.join(rulesDirectory, 'readiness', name), 'utf8')).family).sort();
    assert.deepEqual(READINESS_CHECK_FILES.map((file) => file.family).sort(), onDisk);
  });

  it('check ids are unique and code checks have implementations', () => {
    const ids = READINESS_CHECKS.map((spec) => spec.id);
    assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), []);
    const named = READINESS_CHECKS.flatMap((spec) => (isCodeDetection(spec.detect) ? [spec.detect.code] : []));
    for (const name of named) assert.ok(CODE_CHECKS[name], `no implementation for ${name}`);
    assert.deepEqual(Object.keys(CODE_CHECKS).filter((name) => !named.includes(name)), [], 'implementations no rule uses');
  });

  it('each check has a passing example and a failing or unknown one', () => {
    for (const spec of READINESS_CHECKS) {
      assert.ok(spec.examples.pass.length > 0, `${spec.id} has no pass example`);
      assert.ok(spec.examples.fail.length + (spec.examples.unknown?.length ?? 0) > 0, `${spec.id} has no fail or unknown example`);
    }
  });

  for (const spec of READINESS_CHECKS) {
    describe(spec.id, () => {
      const cases: [string, CheckExample[]][] = [['pass', spec.examples.pass], ['fail', spec.examples.fail], ['unknown', spec.examples.unknown ?? []]];
      for (const [expected, examples] of cases) {
        examples.forEach((example, index) => {
          it(`${expected} example ${index + 1}`, () => {
            const report = assessReadiness(exampleInput(example), [spec]);
            const unit = report.units.find((candidate) => candidate.path === (example.unit ?? '.')) ?? report.units[0];
            const result = unit.checks.find((check) => check.id === spec.id)!;
            assert.equal(result.status, expected, `${spec.id} ${expected} example ${index + 1}: got ${result.status} (${result.reason ?? ''}) ${JSON.stringify(result.evidence.map((e) => `${e.file}:${e.range.start.line + 1} ${e.description}`))}`);
            if (expected === 'fail') assert.ok(result.evidence.length > 0 || result.reason, `${spec.id}: a failure needs evidence or a reason`);
            if (expected === 'unknown') assert.ok(result.reason, `${spec.id}: unknown needs a reason`);
          });
        });
      }
    });
  }
});
