import { ExemptionMatcher } from '../exemptions';
import type { Severity } from '../types';
import { describeCheck, READINESS_CHECKS } from './catalog';
import { isCodeDetection, type CheckSpec } from './checkSpec';
import { CODE_CHECKS } from './checks';
import { prefilterKeywordsOf, runDeclarative } from './declarative';
import { areaScores, blockersFor, sortChecks, unitLevel, workspaceLevel } from './levels';
import type { CheckResult, ReadinessInput, ReadinessReport, ReadinessUnit, Verdict } from './types';
import type { UnitInfo } from './units';
import { Workspace, type Scope, type WorkspaceOptions } from './workspace';

/**
 * The readiness assessment of a workspace: every check of rules/readiness for every unit
 * (each folder with its own manifest), exemptions from .shipshape.json applied, a level per
 * unit and for the workspace, scores per area, and what the next level needs. Pure: reads
 * files only through `input.read`, and only those its checks select by path.
 */
export function assessReadiness(input: ReadinessInput, checks: readonly CheckSpec[] = READINESS_CHECKS, options: WorkspaceOptions = {}): ReadinessReport {
  const workspace = new Workspace(input, { prefilterKeywords: prefilterKeywordsOf(checks), ...options });
  const active = checks.filter((spec) => input.config.rules[spec.id] !== 'off');
  const exemptions = new ExemptionMatcher(input.config.exemptions, input.now);

  const workspaceVerdicts = new Map<string, Verdict>();
  for (const spec of active.filter((candidate) => candidate.scope === 'workspace')) {
    workspaceVerdicts.set(spec.id, runCheck(spec, workspace.workspaceScope(), input));
  }

  const units: ReadinessUnit[] = workspace.units.map((unit) => {
    const results = active.map((spec) => {
      const verdict = spec.scope === 'workspace' ? workspaceVerdicts.get(spec.id)! : applicableVerdict(spec, unit) ?? runCheck(spec, workspace.scopeOf(unit), input);
      return toResult(spec, verdict, unit, exemptions, input.config.rules[spec.id]);
    });
    const checkResults = sortChecks(results);
    return {
      path: unit.path,
      name: unit.name,
      kind: unit.kind,
      ecosystems: unit.ecosystems,
      manifests: unit.manifests,
      level: unitLevel(checkResults),
      areas: areaScores(checkResults),
      checks: checkResults,
    };
  });

  const level = workspaceLevel(units);
  const nextLevel = blockersFor(units, level);
  const everyResult = dedupeWorkspaceChecks(units);
  return {
    root: input.root,
    generatedAt: input.now.toISOString(),
    level,
    ...(nextLevel ? { nextLevel } : {}),
    areas: areaScores(everyResult),
    units,
    checks: active.map(describeCheck),
  };
}

/** Checks that do not concern this kind of unit pass as not applicable, without running. */
function applicableVerdict(spec: CheckSpec, unit: UnitInfo): Verdict | undefined {
  if (!spec.appliesTo || spec.appliesTo.includes(unit.kind)) return undefined;
  const kinds: Record<UnitKindName, string> = { server: 'a server', frontend: 'a front-end-only app', package: 'a library or package' };
  return { status: 'pass', evidence: [], notApplicable: true, reason: `Does not apply to ${kinds[unit.kind]} (${unit.kindReason}).` };
}

type UnitKindName = UnitInfo['kind'];

function runCheck(spec: CheckSpec, scope: Scope, input: ReadinessInput): Verdict {
  try {
    if (isCodeDetection(spec.detect)) {
      const implementation = CODE_CHECKS[spec.detect.code];
      if (!implementation) throw new Error(`no implementation named "${spec.detect.code}"`);
      return implementation({ scope, workspace: scope.workspace, input, spec, parameters: spec.detect.parameters ?? {} });
    }
    return runDeclarative(spec.detect, scope);
  } catch (error) {
    // One broken check must not take the whole assessment down.
    return { status: 'unknown', evidence: [], reason: `Shipshape could not evaluate this check: ${(error as Error).message}` };
  }
}

function toResult(spec: CheckSpec, verdict: Verdict, unit: UnitInfo, exemptions: ExemptionMatcher, override: Severity | 'off' | undefined): CheckResult {
  const result: CheckResult = {
    id: spec.id,
    title: spec.title,
    area: spec.area,
    severity: override && override !== 'off' ? override : spec.severity,
    level: spec.level,
    effort: spec.effort,
    docs: spec.docs,
    remediation: spec.remediation,
    status: verdict.status,
    evidence: verdict.evidence,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
    applicable: !verdict.notApplicable,
    scope: spec.scope ?? 'unit',
  };
  if (verdict.status !== 'fail') return result;
  // Exemptions name the check; an optional path glob picks units (matched against the unit's manifest).
  const anchor = unit.manifests[0] ?? (unit.path === '.' ? '.shipshape.json' : `${unit.path}/.shipshape.json`);
  const match = exemptions.find(spec.id, anchor);
  if (!match) return result;
  const note = { reason: match.exemption.reason, ...(match.exemption.expires ? { expires: match.exemption.expires } : {}), expired: match.expired };
  return { ...result, status: match.expired ? 'fail' : 'exempt', exemption: note };
}

/** Every unit's results, with workspace-wide checks counted once. */
function dedupeWorkspaceChecks(units: readonly ReadinessUnit[]): CheckResult[] {
  const seen = new Set<string>();
  const results: CheckResult[] = [];
  for (const unit of units) {
    for (const check of unit.checks) {
      if (check.scope === 'workspace') {
        if (seen.has(check.id)) continue;
        seen.add(check.id);
      }
      results.push(check);
    }
  }
  return results;
}
