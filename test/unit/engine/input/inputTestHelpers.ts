import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinAnalyzer, repoRoot } from '../../helpers';
import type { Analyzer } from '../../../../server/src/engine/analyzer';
import { defaultConfig, type ShipshapeConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import type { Finding, FixHint, TextEdit } from '../../../../server/src/engine/types';

export const inputFixturesDirectory = path.join(repoRoot, 'test', 'fixtures', 'input');

const analyzers = new Map<string, Analyzer>();

function analyzerFor(config?: Partial<ShipshapeConfig>): Analyzer {
  const key = JSON.stringify(config ?? {});
  let analyzer = analyzers.get(key);
  if (!analyzer) {
    analyzer = builtinAnalyzer({ config: { ...defaultConfig(), ...config } });
    analyzers.set(key, analyzer);
  }
  return analyzer;
}

/** Input findings for a snippet analysed as `file` in a project with these dependencies. */
export function inputFindings(text: string, file = 'src/example.ts', dependencies: readonly string[] = [], config?: Partial<ShipshapeConfig>): Finding[] {
  const result = analyzerFor(config).analyzeFile({ path: file, text, dependencies: new Set(dependencies) });
  if (result.failures?.length) throw new Error(`detector failed: ${JSON.stringify(result.failures)}`);
  return result.findings.filter((finding) => finding.category === 'input');
}

/** `rule@line` (1-based) for compact comparisons. */
export function summarise(finding: Finding): string {
  return `${finding.ruleId}@${finding.range.start.line + 1}`;
}

export function relatedLines(finding: Finding): number[] {
  return (finding.related ?? []).map((related) => related.range.start.line + 1);
}

export function editFixes(finding: Finding): Extract<FixHint, { kind: 'edit' }>[] {
  return (finding.fixes ?? []).filter((fix): fix is Extract<FixHint, { kind: 'edit' }> => fix.kind === 'edit');
}

/** Applies non-overlapping edits (offsets into `text`) the way an editor does. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  for (let index = 1; index < sorted.length; index++) {
    if (sorted[index].end > sorted[index - 1].start) throw new Error(`overlapping edits: ${JSON.stringify(sorted)}`);
  }
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

export function readFixture(relative: string): string {
  return fs.readFileSync(path.join(inputFixturesDirectory, relative), 'utf8');
}
