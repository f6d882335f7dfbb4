import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseShipshapeConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { assessReadiness } from '../../../../server/src/engine/readiness/assessReadiness';
import { readinessFindings } from '../../../../server/src/engine/readiness/readinessFindings';
import { READINESS_RULES } from '../../../../server/src/engine/readiness/catalog';
import { repoRoot } from '../../helpers';
import { fixtureInput, type FixtureSidecar } from './readinessHelpers';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'readiness');
const sidecars = JSON.parse(fs.readFileSync(path.join(fixtures, 'inputs.json'), 'utf8')) as Record<string, FixtureSidecar>;

function halfReadyWith(configText: string) {
  const { config, problems } = parseShipshapeConfig(configText);
  assert.deepEqual(problems, []);
  return assessReadiness(fixtureInput(path.join(fixtures, 'half-ready'), sidecars['half-ready'], config));
}

describe('readiness exemptions (.shipshape.json)', () => {
  it('turns a failure into "exempt" with the reason shown', () => {
    const report = halfReadyWith('{ "exemptions": [{ "check": "readiness/dependency-update-bot", "reason": "We update by hand every Monday", "expires": "2026-12-31" }] }');
    const check = report.units[0].checks.find((candidate) => candidate.id === 'readiness/dependency-update-bot')!;
    assert.equal(check.status, 'exempt');
    assert.deepEqual(check.exemption, { reason: 'We update by hand every Monday', expires: '2026-12-31', expired: false });
    assert.ok(!report.nextLevel!.blocking.some((item) => item.id === 'readiness/dependency-update-bot'));
  });

  it('fails again once the exemption has expired', () => {
    const report = halfReadyWith('{ "exemptions": [{ "check": "readiness/dependency-update-bot", "reason": "Until the migration is done", "expires": "2026-01-31" }] }');
    const check = report.units[0].checks.find((candidate) => candidate.id === 'readiness/dependency-update-bot')!;
    assert.equal(check.status, 'fail');
    assert.deepEqual(check.exemption, { reason: 'Until the migration is done', expires: '2026-01-31', expired: true });
    const finding = readinessFindings(report).find((candidate) => candidate.ruleId === 'readiness/dependency-update-bot')!;
    assert.equal(finding.suppression, undefined);
    assert.equal(finding.properties?.exemptionExpired, '2026-01-31');
  });

  it('reaches the next level when every blocker is exempt, and "ruleId" works as well as "check"', () => {
    const report = halfReadyWith(JSON.stringify({ exemptions: [
      'readiness/security-headers', 'readiness/workflow-permissions', 'readiness/structured-logging', 'readiness/lockfile', 'readiness/dependency-update-bot',
    ].map((id, index) => (index % 2 ? { check: id, reason: 'accepted for the beta' } : { ruleId: id, reason: 'accepted for the beta' }))
      .concat([{ check: 'readiness/eol-runtime', reason: 'upgrading next sprint', expires: '2026-07-01' } as never]) }));
    assert.equal(report.level, 'silver');
  });

  it('honours a path glob (per unit) and "readiness/*"', () => {
    const mono = (configText: string) => assessReadiness(fixtureInput(path.join(fixtures, 'monorepo'), sidecars.monorepo, parseShipshapeConfig(configText).config));
    const report = mono('{ "exemptions": [{ "check": "readiness/dockerfile-root-user", "path": "apps/api", "reason": "Fly runs it in a Firecracker VM" }] }');
    assert.equal(report.units.find((unit) => unit.path === 'apps/api')!.checks.find((check) => check.id === 'readiness/dockerfile-root-user')!.status, 'exempt');
    const other = mono('{ "exemptions": [{ "check": "readiness/dockerfile-root-user", "path": "apps/web", "reason": "not this one" }] }');
    assert.equal(other.units.find((unit) => unit.path === 'apps/api')!.checks.find((check) => check.id === 'readiness/dockerfile-root-user')!.status, 'fail');
    const all = mono('{ "exemptions": [{ "check": "readiness/*", "reason": "prototype week" }] }');
    assert.ok(all.units.every((unit) => unit.checks.every((check) => check.status !== 'fail')));
  });

  it('"off" in rules removes a check and a severity override changes it', () => {
    const report = halfReadyWith('{ "rules": { "readiness/dependency-update-bot": "off", "readiness/lockfile": "info" } }');
    const checks = report.units[0].checks;
    assert.ok(!checks.some((check) => check.id === 'readiness/dependency-update-bot'));
    assert.equal(checks.find((check) => check.id === 'readiness/lockfile')!.severity, 'info');
  });
});

describe('readiness findings and rules', () => {
  it('turns failing checks into findings at their evidence, or at the manifest', () => {
    const report = assessReadiness(fixtureInput(path.join(fixtures, 'half-ready'), sidecars['half-ready']));
    const findings = readinessFindings(report);
    const failing = report.units[0].checks.filter((check) => check.status === 'fail').map((check) => check.id).sort();
    assert.deepEqual(findings.map((finding) => finding.ruleId).sort(), failing);
    for (const finding of findings) {
      assert.equal(finding.category, 'readiness');
      assert.ok(finding.docsUrl?.includes('#readiness-'));
      assert.ok(finding.fingerprint);
    }
    const lockfile = findings.find((finding) => finding.ruleId === 'readiness/lockfile')!;
    assert.equal(lockfile.file, 'package.json');
    assert.match(lockfile.message, /zod/);
    const updateBot = findings.find((finding) => finding.ruleId === 'readiness/dependency-update-bot')!;
    assert.equal(updateBot.file, 'package.json');
    assert.equal(updateBot.range.start.line, 0);
  });

  it('reports workspace-wide checks once in a monorepo', () => {
    const report = assessReadiness(fixtureInput(path.join(fixtures, 'monorepo'), sidecars.monorepo));
    const runbook = readinessFindings(report).filter((finding) => finding.ruleId === 'readiness/runbook');
    assert.equal(runbook.length, 1);
  });

  it('describes every check as a rule of category readiness', () => {
    assert.ok(READINESS_RULES.length >= 35);
    for (const rule of READINESS_RULES) {
      assert.equal(rule.category, 'readiness');
      assert.match(rule.id, /^readiness\/[a-z0-9-]+$/);
      assert.ok(rule.tags.includes('readiness'));
    }
  });
});
