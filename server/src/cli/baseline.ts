import * as fs from 'node:fs';
import type { Finding } from '../engine/types';
import { UsageError } from './cliIo';

/**
 * A baseline records accepted findings by fingerprint (content-based), so a later scan
 * reports only what is new. Messages are stored masked, like everywhere else.
 */
export interface BaselineFile {
  tool: 'shipshape';
  version: 1;
  createdAt: string;
  findings: { ruleId: string; file: string; fingerprint: string; message: string }[];
}

export function writeBaseline(file: string, findings: readonly Finding[]): number {
  const entries = findings
    .filter((finding) => !finding.suppression && finding.fingerprint)
    .map((finding) => ({ ruleId: finding.ruleId, file: finding.file, fingerprint: finding.fingerprint!, message: finding.message }));
  const baseline: BaselineFile = { tool: 'shipshape', version: 1, createdAt: new Date().toISOString(), findings: entries };
  try {
    fs.writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`cannot write the baseline ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return entries.length;
}

export function readBaseline(file: string): Set<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read the baseline ${file}: ${reason}`);
  }
  const baseline = parsed as Partial<BaselineFile>;
  if (baseline?.tool !== 'shipshape' || !Array.isArray(baseline.findings)) {
    throw new UsageError(`${file} is not a Shipshape baseline (create one with --write-baseline)`);
  }
  return new Set(baseline.findings.map((entry) => entry.fingerprint));
}
