import { createHash } from 'node:crypto';
import type { Finding } from './types';
import type { LineIndex } from './text/lineIndex';

/**
 * Content-based fingerprints: rule + file + the finding's line with whitespace normalised.
 * Moving code up or down keeps the fingerprint (baselines stay valid); changing the code,
 * or putting a different secret on the same line, changes it. A secret enters only as a
 * short hash, so a fingerprint never reveals it.
 */
export function assignFingerprints(findings: Finding[], text: string, lines: LineIndex): void {
  const seen = new Map<string, number>();
  for (const finding of findings) {
    if (finding.fingerprint) continue;
    const first = finding.range.start.line;
    const last = Math.min(finding.range.end.line, first + 4);
    let code = '';
    for (let line = first; line <= last; line++) code += lines.lineText(line);
    if (finding.category === 'secret') {
      const secret = text.slice(finding.startOffset, finding.endOffset);
      const lineStart = lines.lineStart(first);
      const relativeStart = finding.startOffset - lineStart;
      code = `${code.slice(0, relativeStart)}<secret:${shortHash(secret)}>${code.slice(relativeStart + secret.length)}`;
    }
    const normalised = code.replace(/\s+/g, ' ').trim().slice(0, 2000);
    const base = sha256(`${finding.ruleId}\u0000${finding.file}\u0000${normalised}`).slice(0, 32);
    // Identical lines in one file (a key pasted twice) stay distinguishable by their order.
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    finding.fingerprint = occurrence === 1 ? base : `${base}:${occurrence}`;
  }
}

function shortHash(value: string): string {
  return sha256(value).slice(0, 8);
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The fingerprint of a finding whose line is known but whose file text is not at hand. */
export function fingerprintFromLine(finding: Finding, lineText: string): string {
  return sha256(`${finding.ruleId}\u0000${finding.file}\u0000${lineText.replace(/\s+/g, ' ').trim().slice(0, 2000)}`).slice(0, 32);
}
