import type { Finding } from '../engine/types';
import { countBySeverity, type ScanSummary } from './scanSummary';

/** Machine-readable findings: 1-based lines and columns, masked secrets, fingerprints. */
export function jsonReport(findings: readonly Finding[], summary: ScanSummary): string {
  const counts = countBySeverity(findings);
  return `${JSON.stringify({
    tool: { name: 'shipshape', version: summary.toolVersion },
    root: summary.root,
    summary: {
      errors: counts.error,
      warnings: counts.warning,
      notes: counts.info,
      suppressed: findings.filter((finding) => finding.suppression).length,
      baselined: summary.baselined,
      filesScanned: summary.filesScanned,
      skipped: summary.skipped.length,
      limited: summary.limited.length,
      durationMs: summary.durationMs,
    },
    findings: findings.map((finding) => ({
      ruleId: finding.ruleId,
      category: finding.category,
      severity: finding.severity,
      message: finding.message,
      file: finding.file,
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      endLine: finding.range.end.line + 1,
      endColumn: finding.range.end.character + 1,
      fingerprint: finding.fingerprint,
      docsUrl: finding.docsUrl,
      ...(finding.maskedSecret ? { maskedSecret: finding.maskedSecret } : {}),
      ...(finding.suppression ? { suppression: finding.suppression } : {}),
      ...(finding.related?.length ? { related: finding.related.map((related) => ({ file: related.file, line: related.range.start.line + 1, column: related.range.start.character + 1, message: related.message })) } : {}),
      ...(finding.properties ? { properties: finding.properties } : {}),
    })),
    skipped: summary.skipped,
    limited: summary.limited,
  }, null, 2)}\n`;
}
