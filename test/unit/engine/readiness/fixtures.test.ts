import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assessReadiness } from '../../../../server/src/engine/readiness/assessReadiness';
import { READINESS_CHECKS } from '../../../../server/src/engine/readiness/catalog';
import type { ReadinessReport } from '../../../../server/src/engine/readiness/types';
import { repoRoot } from '../../helpers';
import { fixtureInput, type FixtureSidecar } from './readinessHelpers';

/**
 * Five fixture workspaces, from a weekend prototype to a production-grade service, with the
 * expected result of every check for every unit in test/fixtures/readiness/expected.json.
 */

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'readiness');
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as {
  fixtures: Record<string, { level: string; units: Record<string, { name: string; kind: string; level: string; checks: Record<string, string> }> }>;
};
const sidecars = JSON.parse(fs.readFileSync(path.join(fixtures, 'inputs.json'), 'utf8')) as Record<string, FixtureSidecar>;

export function assessFixture(name: string): ReadinessReport {
  return assessReadiness(fixtureInput(path.join(fixtures, name), sidecars[name]));
}

describe('readiness fixtures: every check, every unit', () => {
  it('covers the five fixture workspaces', () => {
    assert.deepEqual(Object.keys(expected.fixtures).sort(), ['bare-prototype', 'half-ready', 'monorepo', 'production-grade', 'python-app']);
  });

  for (const [name, table] of Object.entries(expected.fixtures)) {
    describe(name, () => {
      const report = assessFixture(name);

      it(`reaches level ${table.level}`, () => {
        assert.equal(report.level, table.level);
      });

      it('has the expected units, kinds and levels', () => {
        assert.deepEqual(
          report.units.map((unit) => `${unit.path} ${unit.name} ${unit.kind} ${unit.level}`),
          Object.entries(table.units).map(([unitPath, unit]) => `${unitPath} ${unit.name} ${unit.kind} ${unit.level}`),
        );
      });

      for (const [unitPath, unit] of Object.entries(table.units)) {
        it(`${unitPath}: every check has its expected status`, () => {
          const actual = report.units.find((candidate) => candidate.path === unitPath)!;
          const statuses = Object.fromEntries(READINESS_CHECKS.map((spec) => {
            const result = actual.checks.find((check) => check.id === spec.id)!;
            return [spec.id, result.applicable ? result.status : 'n/a'];
          }));
          assert.deepEqual(statuses, unit.checks);
        });
      }

      it('gives every failure evidence or a reason, and every unknown a reason', () => {
        for (const unit of report.units) {
          for (const check of unit.checks) {
            if (check.status === 'fail') assert.ok(check.evidence.length > 0 || check.reason, `${name} ${unit.path} ${check.id}`);
            if (check.status === 'unknown') assert.ok(check.reason, `${name} ${unit.path} ${check.id}`);
            for (const evidence of check.evidence) assert.ok(evidence.file && evidence.range.start.line >= 0 && evidence.description, `${check.id} evidence`);
          }
        }
      });
    });
  }

  it('lists what the next level needs, failures and things to confirm', () => {
    const half = assessFixture('half-ready');
    assert.equal(half.nextLevel?.level, 'silver');
    assert.deepEqual(half.nextLevel?.blocking.map((item) => item.id).sort(), [
      'readiness/dependency-update-bot', 'readiness/eol-runtime', 'readiness/lockfile', 'readiness/security-headers', 'readiness/structured-logging', 'readiness/workflow-permissions',
    ]);
    assert.deepEqual(half.nextLevel?.toConfirm.map((item) => item.id).sort(), ['readiness/auth-rate-limit', 'readiness/known-vulnerabilities']);
    assert.equal(assessFixture('production-grade').nextLevel, undefined);
    const mono = assessFixture('monorepo');
    assert.deepEqual(mono.nextLevel?.blocking.map((item) => `${item.unit} ${item.id}`), [
      'apps/api readiness/dockerfile-root-user', 'apps/api readiness/eol-runtime', 'apps/web readiness/structured-logging', 'apps/web readiness/health-endpoint',
    ]);
  });

  it('puts failures first within each unit', () => {
    for (const unit of assessFixture('bare-prototype').units) {
      const ranks = unit.checks.filter((check) => check.applicable).map((check) => ['fail', 'unknown', 'exempt', 'pass'].indexOf(check.status));
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    }
  });

  it('scores areas from 0 to 10 and leaves undecidable areas without a score', () => {
    const production = assessFixture('production-grade');
    assert.ok(production.areas.every((area) => area.score === 10), JSON.stringify(production.areas));
    const bare = assessFixture('bare-prototype');
    const security = bare.areas.find((area) => area.area === 'security')!;
    assert.ok(security.score !== undefined && security.score <= 2, JSON.stringify(security));
    const empty = assessReadiness({ root: '/empty', files: [], read: () => undefined, findings: [], config: { authFunctions: [], validators: [], publicPaths: [], secretRules: [], exemptions: [], rules: {} }, now: new Date('2026-06-01') });
    assert.equal(empty.units.length, 1);
    assert.equal(empty.units[0].path, '.');
  });

  it('reads only the files its checks select, and each at most once', () => {
    const directory = path.join(fixtures, 'production-grade');
    const input = fixtureInput(directory, sidecars['production-grade']);
    const reads = new Map<string, number>();
    const read = input.read;
    // A large workspace: thousands of files nobody needs to open.
    const extra = Array.from({ length: 5000 }, (_, index) => `assets/img/${index}.png`);
    const report = assessReadiness({ ...input, files: [...input.files, ...extra], read: (file) => {
      reads.set(file, (reads.get(file) ?? 0) + 1);
      return extra.includes(file) ? 'binary' : read(file);
    } });
    assert.equal(report.level, 'gold');
    assert.ok([...reads.values()].every((count) => count === 1), 'a file was read twice');
    assert.ok(![...reads.keys()].some((file) => file.startsWith('assets/')), 'an image was read');
  });
});
