import * as fs from 'node:fs';
import * as path from 'node:path';
import { walkWorkspace } from '../../../../server/src/workspace/fileWalker';
import { RouteIndex } from '../../../../server/src/engine/routes/routeIndex';
import { defaultConfig, type ShipshapeConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import type { Finding } from '../../../../server/src/engine/types';
import type { LinkedInventory } from '../../../../server/src/engine/routes/link/buildInventory';
import { builtinAnalyzer, repoRoot } from '../../helpers';

export const routeFixtures = path.join(repoRoot, 'test', 'fixtures', 'routes');

export interface AnalysedWorkspace {
  inventory: LinkedInventory;
  index: RouteIndex;
  config: ShipshapeConfig;
  /** Findings per file, with the route findings included and suppressions applied. */
  findings: Map<string, Finding[]>;
  texts: Map<string, string>;
}

/** Analyses a fixture workspace the way the CLI does: every file once, then the inventory. */
export function analyseWorkspace(root: string, config: ShipshapeConfig = defaultConfig()): AnalysedWorkspace {
  const analyzer = builtinAnalyzer({ config });
  const index = new RouteIndex();
  const walked = walkWorkspace(root).files;
  index.addFiles(walked.map((file) => file.relative));
  const texts = new Map<string, string>();
  for (const file of walked) {
    const text = fs.readFileSync(file.path, 'utf8');
    texts.set(file.relative, text);
    index.update(file.relative, analyzer.analyzeFile({ path: file.relative, text }).routeFacts);
  }
  const findings = new Map<string, Finding[]>();
  for (const [file, text] of texts) {
    const result = analyzer.analyzeFile({ path: file, text, workspaceFindings: () => index.findingsFor(file, config) });
    findings.set(file, result.findings);
  }
  return { inventory: index.inventory(config), index, config, findings, texts };
}

/** Analyses in-memory files the way analyseWorkspace does a fixture folder. */
export function analyseFiles(files: Record<string, string>, config: ShipshapeConfig = defaultConfig()): AnalysedWorkspace {
  const analyzer = builtinAnalyzer({ config });
  const index = new RouteIndex();
  index.addFiles(Object.keys(files));
  for (const [file, text] of Object.entries(files)) index.update(file, analyzer.analyzeFile({ path: file, text }).routeFacts);
  const findings = new Map<string, Finding[]>();
  for (const [file, text] of Object.entries(files)) {
    findings.set(file, analyzer.analyzeFile({ path: file, text, workspaceFindings: () => index.findingsFor(file, config) }).findings);
  }
  return { inventory: index.inventory(config), index, config, findings, texts: new Map(Object.entries(files)) };
}

/** `METHOD path → status` lines, sorted, as the tables in the tests read. */
export function routeTable(inventory: LinkedInventory): string[] {
  return inventory.routes.map((route) => `${route.method} ${route.path} → ${route.auth}`).sort();
}

/** `file:line ruleId` for the unsuppressed auth findings of a workspace. */
export function authFindings(workspace: AnalysedWorkspace): string[] {
  return [...workspace.findings.values()].flat()
    .filter((finding) => finding.category === 'auth' && !finding.suppression)
    .map((finding) => `${finding.file}:${finding.range.start.line + 1} ${finding.ruleId}`)
    .sort();
}
