import type { Severity } from '../types';
import { AREAS, LEVELS, type AreaScore, type BlockingCheck, type CheckResult, type CheckStatus, type Level, type NextLevel, type ReadinessUnit, type WorkspaceLevel } from './types';

/**
 * The level ladder and the scores. A level is reached when no check of that level or below
 * fails ("unknown" never counts as a failure; an exemption counts as accepted). Scores are
 * secondary: 0–10 per area, weighted by severity, over the checks that could be decided (10 only when none fails).
 */

const LEVEL_RANK: Record<Level, number> = { bronze: 0, silver: 1, gold: 2 };
const STATUS_RANK: Record<CheckStatus, number> = { fail: 0, unknown: 1, exempt: 2, pass: 3 };
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const WEIGHT: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function unitLevel(checks: readonly CheckResult[]): WorkspaceLevel {
  let reached: WorkspaceLevel = 'none';
  for (const level of LEVELS) {
    if (checks.some((check) => check.status === 'fail' && LEVEL_RANK[check.level] <= LEVEL_RANK[level])) break;
    reached = level;
  }
  return reached;
}

export function workspaceLevel(units: readonly ReadinessUnit[]): WorkspaceLevel {
  const order: WorkspaceLevel[] = ['none', ...LEVELS];
  return units.reduce<WorkspaceLevel>((lowest, unit) => (order.indexOf(unit.level) < order.indexOf(lowest) ? unit.level : lowest), 'gold');
}

/** Failures first, then unknown, exempt and passed; within each, lower levels and higher severity first; not-applicable last. */
export function sortChecks(checks: readonly CheckResult[]): CheckResult[] {
  return checks
    .map((check, index) => ({ check, index }))
    .sort((a, b) =>
      Number(!a.check.applicable) - Number(!b.check.applicable) ||
      STATUS_RANK[a.check.status] - STATUS_RANK[b.check.status] ||
      LEVEL_RANK[a.check.level] - LEVEL_RANK[b.check.level] ||
      SEVERITY_RANK[a.check.severity] - SEVERITY_RANK[b.check.severity] ||
      a.index - b.index)
    .map((entry) => entry.check);
}

export function areaScores(checks: readonly CheckResult[]): AreaScore[] {
  return AREAS.map((area) => {
    const mine = checks.filter((check) => check.area === area && check.applicable);
    const passed = mine.filter((check) => check.status === 'pass');
    const failed = mine.filter((check) => check.status === 'fail');
    const weight = (list: CheckResult[]) => list.reduce((sum, check) => sum + WEIGHT[check.severity], 0);
    const decided = weight(passed) + weight(failed);
    return {
      area,
      ...(decided > 0 ? { score: Math.floor((10 * weight(passed)) / decided) } : {}),
      passed: passed.length,
      failed: failed.length,
      unknown: mine.filter((check) => check.status === 'unknown').length,
      exempt: mine.filter((check) => check.status === 'exempt').length,
    };
  });
}

/** What stands between the workspace and the level above its own: failures to fix and unknowns to confirm. */
export function blockersFor(units: readonly ReadinessUnit[], level: WorkspaceLevel): NextLevel | undefined {
  const next: Level | undefined = level === 'none' ? 'bronze' : LEVELS[LEVELS.indexOf(level) + 1];
  if (!next) return undefined;
  const blocking: BlockingCheck[] = [];
  const toConfirm: BlockingCheck[] = [];
  const seen = new Set<string>();
  for (const unit of units) {
    for (const check of unit.checks) {
      if (LEVEL_RANK[check.level] > LEVEL_RANK[next]) continue;
      const key = check.scope === 'workspace' ? check.id : `${unit.path}\u0000${check.id}`;
      if (seen.has(key)) continue;
      const entry = { unit: check.scope === 'workspace' ? '(workspace)' : unit.path, id: check.id, title: check.title, status: check.status };
      if (check.status === 'fail') {
        blocking.push(entry);
        seen.add(key);
      } else if (check.status === 'unknown' && check.level === next) {
        toConfirm.push(entry);
        seen.add(key);
      }
    }
  }
  return { level: next, blocking, toConfirm };
}
