import type { Condition } from '../checkSpec';
import { evaluateCondition } from '../declarative';
import type { Evidence, Verdict } from '../types';
import { analysed, findingEvidence, routeLabel, scopeFindings, scopeRoutes, stringList, type CheckContext } from './context';

/**
 * Bronze: the checks that stand on the workspace's Error-level findings (secrets,
 * unauthenticated writes, injection) and on the route inventory.
 */

const MAX = 10;

export function secretsInFiles(context: CheckContext): Verdict {
  if (!analysed(context, 'secret')) return { status: 'unknown', evidence: [], reason: 'Secret scanning did not run for this report.' };
  const handledElsewhere = new Set(stringList(context.parameters.excludeRules));
  const findings = scopeFindings(context, (finding) => finding.category === 'secret' && !handledElsewhere.has(finding.ruleId));
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length) return { status: 'fail', evidence: errors.slice(0, MAX).map(findingEvidence), reason: `${errors.length} secret${errors.length === 1 ? '' : 's'} written in files.` };
  const lesser = findings.length;
  return { status: 'pass', evidence: [], reason: lesser ? `No live secrets; ${lesser} lower-risk finding${lesser === 1 ? '' : 's'} (such as test keys) to review.` : 'No secrets found in files.' };
}

export function hardcodedAuthSecret(context: CheckContext): Verdict {
  if (!analysed(context, 'secret')) return { status: 'unknown', evidence: [], reason: 'Secret scanning did not run for this report.' };
  const rules = new Set(stringList(context.parameters.rules));
  const findings = scopeFindings(context, (finding) => rules.has(finding.ruleId));
  if (findings.length) return { status: 'fail', evidence: findings.slice(0, MAX).map(findingEvidence) };
  return { status: 'pass', evidence: [], reason: 'No session or token-signing secret is written in the code.' };
}

export function unauthenticatedWrites(context: CheckContext): Verdict {
  // Every Error-level auth finding blocks Bronze here, except those another check reports.
  const handledElsewhere = new Set(stringList(context.parameters.excludeRules));
  const findings = scopeFindings(context, (finding) => finding.category === 'auth' && finding.severity === 'error' && !handledElsewhere.has(finding.ruleId));
  const evidence: Evidence[] = findings.map(findingEvidence);
  const seen = new Set(evidence.map((item) => `${item.file}:${item.range.start.line}`));
  const routes = scopeRoutes(context);
  const writes = (routes ?? []).filter((route) => route.stateChanging);
  for (const route of writes.filter((candidate) => candidate.auth === 'unauthenticated')) {
    if (seen.has(`${route.file}:${route.range.start.line}`)) continue;
    evidence.push({ file: route.file, range: route.range, description: `${routeLabel(route)} changes data and nothing checks who is calling` });
  }
  if (evidence.length) return { status: 'fail', evidence: evidence.slice(0, MAX), reason: `${evidence.length} state-changing route${evidence.length === 1 ? '' : 's'} anyone can call.` };
  if (!routes && !analysed(context, 'auth')) return { status: 'unknown', evidence: [], reason: 'The route inventory was not built, so Shipshape cannot tell which routes need a login.' };
  const unsure = writes.filter((route) => route.auth === 'unknown');
  if (unsure.length) {
    return {
      status: 'unknown',
      evidence: unsure.slice(0, MAX).map((route) => ({ file: route.file, range: route.range, description: `${routeLabel(route)}: ${route.evidence[0]?.description ?? 'whether it checks the caller could not be determined'}` })),
      reason: `${unsure.length} state-changing route${unsure.length === 1 ? '' : 's'} where Shipshape cannot tell whether the caller is checked.`,
    };
  }
  return { status: 'pass', evidence: [], reason: writes.length ? `${writes.length === 1 ? 'The state-changing route checks' : `All ${writes.length} state-changing routes check`} who is calling (or ${writes.length === 1 ? 'is' : 'are'} marked public on purpose).` : 'No state-changing routes found.' };
}

export function injection(context: CheckContext): Verdict {
  const findings = scopeFindings(context, (finding) => finding.category === 'input' && finding.severity === 'error');
  if (findings.length) return { status: 'fail', evidence: findings.slice(0, MAX).map(findingEvidence), reason: `${findings.length} place${findings.length === 1 ? '' : 's'} where request input reaches a database, shell or file path unchecked.` };
  if (!analysed(context, 'input')) return { status: 'unknown', evidence: [], reason: 'Request-input analysis did not run for this report.' };
  return { status: 'pass', evidence: [], reason: 'No request input reaches a query, shell or file path unchecked.' };
}

/** Uses the auth analysis' finding when there is one; otherwise the rule file's own patterns. */
export function jwtDecodeForAuth(context: CheckContext): Verdict {
  const ruleIds = new Set(stringList(context.parameters.findingRules));
  const findings = scopeFindings(context, (finding) => ruleIds.has(finding.ruleId));
  if (findings.length) return { status: 'fail', evidence: findings.slice(0, MAX).map(findingEvidence) };
  const fallback = context.parameters.fallback as Condition | undefined;
  if (fallback) {
    const result = evaluateCondition(fallback, context.scope);
    if (result.holds) return { status: 'fail', evidence: result.evidence.slice(0, MAX) };
  }
  return { status: 'pass', evidence: [], reason: 'No token is read without verifying its signature.' };
}
