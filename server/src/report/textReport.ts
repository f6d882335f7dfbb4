import type { Finding, Severity } from '../engine/types';

export interface TextReportOptions {
  color: boolean;
  /** Only the finding lines: no summary. */
  quiet?: boolean;
  /** Findings hidden because they are in the baseline. */
  baselined?: number;
  /** Scan facts for the summary line. */
  filesScanned: number;
  skipped: number;
  limited: number;
  durationMs: number;
}

const LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };
const COLOR: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/** Human-readable findings, grouped by file, one `file:line:col  severity  ruleId  message` line each. */
export function textReport(findings: readonly Finding[], options: TextReportOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const shown = findings.filter((finding) => !finding.suppression);
  const byFile = new Map<string, Finding[]>();
  for (const finding of shown) {
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  const lines: string[] = [];
  for (const [file, list] of [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(paint(BOLD, file));
    for (const finding of list) {
      const where = `${file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
      lines.push(`  ${where}  ${paint(COLOR[finding.severity], LABEL[finding.severity].padEnd(7))}  ${paint(DIM, finding.ruleId)}  ${finding.message}`);
    }
    lines.push('');
  }
  const count = (severity: Severity) => shown.filter((finding) => finding.severity === severity).length;
  const suppressed = findings.length - shown.length;
  const parts = [
    `${shown.length} finding${shown.length === 1 ? '' : 's'} (${count('error')} error${count('error') === 1 ? '' : 's'}, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}, ${count('info')} note${count('info') === 1 ? '' : 's'})`,
    `${options.filesScanned} file${options.filesScanned === 1 ? '' : 's'} scanned`,
  ];
  if (suppressed) parts.push(`${suppressed} suppressed`);
  if (options.baselined) parts.push(`${options.baselined} in baseline`);
  if (options.skipped) parts.push(`${options.skipped} skipped`);
  if (options.limited) parts.push(`${options.limited} only partly analysed`);
  parts.push(`${(options.durationMs / 1000).toFixed(2)} s`);
  if (options.quiet) return lines.length ? `${lines.join('\n')}\n` : '';
  const summary = parts.join(' · ');
  lines.push(shown.length === 0 ? paint('\x1b[32m', `✔ ${summary}`) : paint(BOLD, `✖ ${summary}`));
  return `${lines.join('\n')}\n`;
}
