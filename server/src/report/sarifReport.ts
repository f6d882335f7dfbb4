import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../engine/types';
import type { RuleDescription } from '../engine/ruleCatalog';
import { PROJECT_URL } from '../engine/ruleCatalog';
import type { ScanSummary } from './scanSummary';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers. Locations are relative to the
 * scanned root (%SRCROOT%); suppressed findings are included with their reason.
 */
export function sarifReport(findings: readonly Finding[], rules: readonly RuleDescription[], summary: ScanSummary): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = findings.map((finding) => {
    const result: Record<string, unknown> = {
      ruleId: finding.ruleId,
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [physicalLocation(finding.file, finding.range)],
      partialFingerprints: { 'shipshapeFingerprint/v1': finding.fingerprint ?? '' },
      properties: { category: finding.category, ...(finding.maskedSecret ? { maskedSecret: finding.maskedSecret } : {}) },
    };
    const index = ruleIndex.get(finding.ruleId);
    if (index !== undefined) result.ruleIndex = index;
    if (finding.related?.length) {
      result.relatedLocations = finding.related.map((related, id) => ({ id, ...physicalLocation(related.file, related.range), message: { text: related.message } }));
    }
    if (finding.suppression) {
      result.suppressions = [{ kind: finding.suppression.kind === 'inline' ? 'inSource' : 'external', status: 'accepted', justification: finding.suppression.reason }];
    }
    return result;
  });

  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'Shipshape',
          semanticVersion: summary.toolVersion,
          version: summary.toolVersion,
          informationUri: PROJECT_URL,
          rules: rules.map((rule) => ({
            id: rule.id,
            name: pascalCase(rule.id),
            shortDescription: { text: rule.title },
            fullDescription: { text: rule.description },
            help: { text: `${rule.description} See ${rule.docsUrl}`, markdown: `${rule.description}\n\n[Documentation](${rule.docsUrl})` },
            helpUri: rule.docsUrl,
            defaultConfiguration: { level: LEVEL[rule.severity] },
            properties: { category: rule.category, tags: rule.tags, 'security-severity': securitySeverity(rule) },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(summary.root.endsWith('/') ? summary.root : `${summary.root}/`).href } },
      results,
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: summary.skipped.map((skip) => ({
          level: 'note',
          message: { text: `Skipped ${skip.file}: ${skip.reason}${skip.detail ? ` (${skip.detail})` : ''}` },
        })),
      }],
      columnKind: 'utf16CodeUnits',
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function physicalLocation(file: string, range: Finding['range']) {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    },
  };
}

function pascalCase(ruleId: string): string {
  return ruleId.split(/[/-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/** GitHub sorts security alerts by this 0–10 score. */
function securitySeverity(rule: RuleDescription): string {
  if (rule.category === 'readiness' || rule.category === 'config') return rule.severity === 'error' ? '4.0' : '2.0';
  return rule.severity === 'error' ? '8.5' : rule.severity === 'warning' ? '5.5' : '2.0';
}
