import * as assert from 'node:assert/strict';
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

/** A fixture's finding as the fixture tables write it: rule, sink line, first source line, fix titles. */
export type FixtureRow = [rule: string, sinkLine: number, sourceLine: number, fixes?: string[]];

export function fixtureRows(findings: readonly Finding[]): FixtureRow[] {
  return findings.map((finding) => {
    const titles = editFixes(finding).map((fix) => fix.title.split(' (')[0]);
    const row: FixtureRow = [finding.ruleId, finding.range.start.line + 1, relatedLines(finding)[0]];
    if (titles.length) row.push(titles);
    return row;
  });
}

/**
 * Code mid-edit: every prefix of the fixture (every `step` characters) analyses without failing,
 * and the lines already typed keep exactly the findings of the complete file.
 */
export function assertPrefixesKeepFindings(fixture: string, file: string, dependencies: string[], step: number): void {
  const text = readFixture(fixture);
  const complete = new Set(inputFindings(text, file, dependencies).map((finding) => `${finding.ruleId}@${finding.range.start.line}`));
  for (let end = 0; end <= text.length; end += step) {
    const prefix = text.slice(0, end);
    const cutLine = prefix.split('\n').length - 1;
    for (const finding of inputFindings(prefix, file, dependencies)) {
      assert.ok(finding.startOffset >= 0 && finding.endOffset <= prefix.length && finding.startOffset <= finding.endOffset);
      // Lines already typed keep their findings; only the line being typed may differ.
      if (finding.range.start.line < cutLine) assert.ok(complete.has(`${finding.ruleId}@${finding.range.start.line}`), `${fixture} cut at ${end}: unexpected ${finding.ruleId} at line ${finding.range.start.line + 1}`);
    }
  }
}

/**
 * Texts damaged the way typing damages them, reproducibly: each of `rounds` copies gets six
 * edits — a run of characters deleted, one of `tokens` inserted, or (from `newlineFrom` on) a
 * line break.
 */
export function* randomlyDamaged(text: string, options: { seed: number; rounds: number; tokens: readonly string[]; newlineFrom?: number }): Generator<string> {
  let seed = options.seed;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let round = 0; round < options.rounds; round++) {
    const chars = [...text];
    for (let edit = 0; edit < 6; edit++) {
      const at = Math.floor(random() * chars.length);
      const pick = random();
      if (pick < 0.4) chars.splice(at, 1 + Math.floor(random() * 8));
      else if (pick < (options.newlineFrom ?? 1)) chars.splice(at, 0, ...options.tokens[Math.floor(random() * options.tokens.length)]);
      else chars.splice(at, 0, '\n');
    }
    yield chars.join('');
  }
}
