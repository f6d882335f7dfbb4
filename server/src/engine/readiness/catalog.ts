import { prefilterKeywordsOf } from './declarative';
import security from '../../../../rules/readiness/security.json';
import operations from '../../../../rules/readiness/operations.json';
import reliability from '../../../../rules/readiness/reliability.json';
import data from '../../../../rules/readiness/data.json';
import maintenance from '../../../../rules/readiness/maintenance.json';
import { ruleDocsUrl, type RuleDescription } from '../ruleCatalog';
import { isCodeDetection, type CheckFamilyFile, type CheckSpec } from './checkSpec';
import type { ReadinessCheckDescription } from './types';

/**
 * The readiness checks, read from rules/readiness/*.json at build time (esbuild bundles the
 * JSON, so the CLI and server need no rules folder for them).
 */

export const READINESS_CHECK_FILES: readonly CheckFamilyFile[] = [security, operations, reliability, data, maintenance] as unknown as CheckFamilyFile[];

export const READINESS_CHECKS: readonly CheckSpec[] = READINESS_CHECK_FILES.flatMap((file) => file.checks);

/** The prefilter keywords of the built-in checks, for a scan to look for while it reads each file. */
export function readinessPrefilterKeywords(): readonly string[] {
  return prefilterKeywordsOf(READINESS_CHECKS);
}

export function describeCheck(spec: CheckSpec): ReadinessCheckDescription {
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    area: spec.area,
    severity: spec.severity,
    level: spec.level,
    effort: spec.effort,
    docs: spec.docs,
    remediation: spec.remediation,
    scope: spec.scope ?? 'unit',
    implementation: isCodeDetection(spec.detect) ? 'code' : 'declarative',
  };
}

/** Readiness checks as rules, for SARIF's rule list and `shipshape rules`. */
export const READINESS_RULES: RuleDescription[] = READINESS_CHECKS.map((spec) => ({
  id: spec.id,
  category: 'readiness',
  title: spec.title,
  description: spec.description,
  severity: spec.severity,
  docsUrl: ruleDocsUrl(spec.id),
  tags: ['readiness', spec.area, spec.level],
}));
