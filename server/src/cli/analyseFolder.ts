import type { ShipshapeConfig } from '../engine/config/shipshapeConfig';
import type { Category, Finding } from '../engine/types';
import type { LinkedInventory } from '../engine/routes/link/buildInventory';
import type { WalkedFile } from '../workspace/fileWalker';
import { createAnalyzer, defaultJobs, scanInParallel } from '../workspace/parallelScan';
import { linkScannedRoutes } from '../workspace/workspaceRoutes';
import type { ScanOutcome } from '../workspace/workspaceScan';
import { collectGarbageAfterAnalysis } from './heap';

export interface FolderAnalysis {
  outcome: ScanOutcome;
  inventory: LinkedInventory;
  /** Every finding of the files plus the route findings, suppressed ones included. */
  findings: Finding[];
}

/** Scans files (in parallel when it pays) and links the route inventory: what scan, routes and report share. */
export async function analyseFiles(files: WalkedFile[], config: ShipshapeConfig, options: { rulesDirectory: string; workerScript: string; jobs?: number; workspaceRules: boolean; categories?: Category[]; readinessKeywords?: readonly string[]; onProgress?: (done: number, total: number) => void }): Promise<FolderAnalysis> {
  const job = { rulesDirectory: options.rulesDirectory, config, workspaceRules: options.workspaceRules, ...(options.categories ? { categories: options.categories } : {}), ...(options.readinessKeywords ? { readinessKeywords: options.readinessKeywords } : {}) };
  const jobs = options.jobs ?? defaultJobs(files.reduce((sum, file) => sum + file.size, 0));
  // One analyzer (its rules compiled once) scans this thread's share and treats the route findings.
  const analyzer = createAnalyzer(job);
  const outcome = await scanInParallel({ ...job, files }, jobs, options.workerScript, options.onProgress, analyzer);
  const routes = linkScannedRoutes(outcome.routeFacts, files.map((file) => file.relative), analyzer);
  collectGarbageAfterAnalysis(outcome.bytesScanned);
  return { outcome, inventory: routes.inventory, findings: [...outcome.findings, ...routes.findings] };
}
