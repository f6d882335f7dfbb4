import * as path from 'node:path';
import { Analyzer, type AnalyzerOptions } from '../../server/src/engine/analyzer';
import { builtinSecretRules } from '../../server/src/engine/builtinRules';
import type { Finding } from '../../server/src/engine/types';

/** The repository root, found from the compiled test's location (test/out/unit/…). */
export const repoRoot = findRepoRoot(__dirname);
export const rulesDirectory = path.join(repoRoot, 'rules');

function findRepoRoot(start: string): string {
  let directory = start;
  while (!require('node:fs').existsSync(path.join(directory, 'package.json')) || path.basename(directory) === 'out') {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`no package.json above ${start}`);
    directory = parent;
  }
  return directory;
}

export function builtinAnalyzer(options: Partial<AnalyzerOptions> = {}): Analyzer {
  return new Analyzer({ secretRules: builtinSecretRules(rulesDirectory), ...options });
}

/** Analyses one text as the given file and returns its findings (suppressed ones included). */
export function analyze(text: string, file = 'src/example.ts', options: Partial<AnalyzerOptions> = {}): Finding[] {
  return builtinAnalyzer(options).analyzeFile({ path: file, text }).findings;
}

export function ruleIds(findings: readonly Finding[]): string[] {
  return findings.map((finding) => finding.ruleId);
}
