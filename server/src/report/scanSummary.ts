import type { Finding, Severity } from '../engine/types';

/** The facts every report format shows about a scan besides its findings. */
export interface ScanSummary {
  toolVersion: string;
  /** Absolute folder that reported paths are relative to. */
  root: string;
  filesScanned: number;
  skipped: { file: string; reason: string; detail?: string }[];
  limited: { file: string; reason: string; detail?: string }[];
  /** Findings hidden because they are in the baseline. */
  baselined: number;
  durationMs: number;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) if (!finding.suppression) counts[finding.severity]++;
  return counts;
}
