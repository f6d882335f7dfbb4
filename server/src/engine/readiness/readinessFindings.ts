import { createHash } from 'node:crypto';
import { ruleDocsUrl } from '../ruleCatalog';
import type { Finding } from '../types';
import type { CheckResult, ReadinessReport, ReadinessUnit } from './types';

/**
 * Failing (and exempted) readiness checks as findings, so `shipshape scan`, SARIF and the
 * editor's problem list show them next to secret, auth and input findings. Each sits at its
 * first piece of evidence, or at line 1 of the unit's manifest when the problem is an absence.
 * Workspace-wide checks are reported once.
 */
export function readinessFindings(report: ReadinessReport): Finding[] {
  const findings: Finding[] = [];
  const reportedWorkspaceChecks = new Set<string>();
  for (const unit of report.units) {
    for (const check of unit.checks) {
      if (check.status !== 'fail' && check.status !== 'exempt') continue;
      if (check.scope === 'workspace') {
        if (reportedWorkspaceChecks.has(check.id)) continue;
        reportedWorkspaceChecks.add(check.id);
      }
      findings.push(toFinding(check, unit, report.units.length > 1));
    }
  }
  return findings;
}

function toFinding(check: CheckResult, unit: ReadinessUnit, manyUnits: boolean): Finding {
  const [first, ...rest] = check.evidence;
  // Without evidence or a manifest, the finding is about the folder itself, not a file that does not exist.
  const file = first?.file ?? unit.manifests[0] ?? unit.path;
  const range = first?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const what = first?.description ?? check.reason ?? check.title;
  const where = manyUnits && check.scope === 'unit' ? ` (${unit.name})` : '';
  // The first step of the remediation, unless it only introduces a snippet that is not shown here.
  const firstLine = check.remediation.split(/\n/)[0].trim();
  const firstStep = /:$/.test(firstLine) ? 'Run `shipshape report` for the steps.' : firstLine;
  const finding: Finding = {
    ruleId: check.id,
    category: 'readiness',
    severity: check.severity,
    message: `${check.title}${where} — not met yet. ${sentence(what)} ${firstStep}`,
    file,
    range,
    startOffset: 0,
    endOffset: 0,
    docsUrl: ruleDocsUrl(check.id),
    ...(rest.length ? { related: rest.map((evidence) => ({ file: evidence.file, range: evidence.range, message: evidence.description })) } : {}),
    fingerprint: createHash('sha256').update(`${check.id}\u0000${check.scope === 'workspace' ? '' : unit.path}`).digest('hex').slice(0, 32),
    properties: {
      area: check.area,
      level: check.level,
      effort: check.effort,
      unit: unit.path,
      ...(check.exemption?.expired ? { exemptionExpired: check.exemption.expires ?? '' } : {}),
    },
  };
  if (check.status === 'exempt' && check.exemption) finding.suppression = { kind: 'exemption', reason: check.exemption.reason };
  return finding;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
