import ignore, { type Ignore } from 'ignore';
import type { Exemption } from './config/shipshapeConfig';
import type { Finding } from './types';

/**
 * Exemptions from .shipshape.json: a rule accepted for some files, with a reason and an
 * optional expiry date after which the finding is reported again.
 */
export class ExemptionMatcher {
  private readonly entries: { exemption: Exemption; paths?: Ignore; expired: boolean }[];

  constructor(exemptions: readonly Exemption[], now: Date = new Date()) {
    this.entries = exemptions.map((exemption) => ({
      exemption,
      paths: exemption.path ? ignore().add(exemption.path) : undefined,
      expired: exemption.expires !== undefined && Date.parse(exemption.expires) < now.getTime(),
    }));
  }

  /** The exemption covering a finding, if any; `expired` tells the caller to report it anyway. */
  find(ruleId: string, relativePath: string): { exemption: Exemption; expired: boolean } | undefined {
    for (const entry of this.entries) {
      if (!matchesRule(entry.exemption.ruleId, ruleId)) continue;
      if (entry.paths && !safeIgnores(entry.paths, relativePath)) continue;
      return entry;
    }
    return undefined;
  }

  apply(findings: Finding[]): void {
    if (this.entries.length === 0) return;
    for (const finding of findings) {
      if (finding.suppression) continue;
      const match = this.find(finding.ruleId, finding.file);
      if (!match) continue;
      if (match.expired) {
        finding.properties = { ...finding.properties, exemptionExpired: match.exemption.expires ?? '' };
        continue;
      }
      finding.suppression = { kind: 'exemption', reason: match.exemption.reason };
    }
  }
}

function matchesRule(pattern: string, ruleId: string): boolean {
  return pattern.endsWith('/*') ? ruleId.startsWith(pattern.slice(0, -1)) : pattern === ruleId;
}

function safeIgnores(matcher: Ignore, relativePath: string): boolean {
  const normalised = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  if (normalised === '' || normalised.startsWith('../') || /^[a-zA-Z]:|^\//.test(normalised)) return false;
  return matcher.ignores(normalised);
}
