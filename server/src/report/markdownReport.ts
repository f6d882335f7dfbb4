import type { Finding, Severity } from '../engine/types';
import { countBySeverity, type ScanSummary } from './scanSummary';

const ICON: Record<Severity, string> = { error: '🔴 error', warning: '🟠 warning', info: '🔵 note' };

/** Findings as Markdown for pull-request comments and job summaries. */
export function markdownReport(findings: readonly Finding[], summary: ScanSummary): string {
  const shown = findings.filter((finding) => !finding.suppression);
  const counts = countBySeverity(findings);
  const lines = ['## Shipshape scan', ''];
  lines.push(`**${counts.error}** errors · **${counts.warning}** warnings · **${counts.info}** notes in ${summary.filesScanned} files` +
    (findings.length - shown.length ? ` · ${findings.length - shown.length} suppressed` : '') +
    (summary.baselined ? ` · ${summary.baselined} in baseline` : ''));
  lines.push('');
  if (shown.length === 0) {
    lines.push('No findings. ✅');
    return `${lines.join('\n')}\n`;
  }
  lines.push('| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |');
  for (const finding of shown) {
    const where = `\`${finding.file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}\``;
    const rule = finding.docsUrl ? `[\`${finding.ruleId}\`](${finding.docsUrl})` : `\`${finding.ruleId}\``;
    lines.push(`| ${ICON[finding.severity]} | ${rule} | ${where} | ${escapeCell(finding.message)} |`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
