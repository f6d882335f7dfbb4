import type { ShipshapeConfig } from '../engine/config/shipshapeConfig';
import type { Category, Finding } from '../engine/types';
import type { LinkedInventory } from '../engine/routes/link/buildInventory';
import type { WalkedFile } from '../workspace/fileWalker';
import { createAnalyzer, defaultJobs, scanInParallel, scanOptionsFor, scanParses } from '../workspace/parallelScan';
import { linkScannedRoutes } from '../workspace/workspaceRoutes';
import { describeFailures, walkedFileInput, type FileInputSources, type ScanOutcome } from '../workspace/workspaceScan';
import { neededHelperFacts } from '../workspace/deferredRouteFacts';
import { readSourceFile } from '../workspace/readSourceFile';
import type { Analyzer } from '../engine/analyzer';
import { collectGarbageAfterAnalysis } from './heap';
import { viewParametersByFile } from '../engine/routes/link/viewParameters';

export interface FolderAnalysis {
  outcome: ScanOutcome;
  inventory: LinkedInventory;
  /** Every finding of the files plus the route findings, suppressed ones included. */
  findings: Finding[];
}

export interface AnalyseOptions {
  rulesDirectory: string;
  workerScript: string;
  jobs?: number;
  workspaceRules: boolean;
  categories?: Category[];
  readinessKeywords?: readonly string[];
  /**
   * Files that can only hold auth helpers get their route facts read only when a file with route
   * facts refers to them (default: true; see AnalyzerOptions.deferAuthHelpers).
   */
  deferAuthHelpers?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Scans files (in parallel when it pays) and links the route inventory: what scan, routes and report share. */
export async function analyseFiles(files: WalkedFile[], config: ShipshapeConfig, options: AnalyseOptions): Promise<FolderAnalysis> {
  const job = { rulesDirectory: options.rulesDirectory, config, workspaceRules: options.workspaceRules, deferAuthHelpers: options.deferAuthHelpers ?? true, ...(options.categories ? { categories: options.categories } : {}), ...(options.readinessKeywords ? { readinessKeywords: options.readinessKeywords } : {}) };
  const jobs = options.jobs ?? defaultJobs(files.reduce((sum, file) => sum + file.size, 0), scanParses(options.categories));
  // One analyzer (its rules compiled once) scans this thread's share and treats the route findings.
  const analyzer = createAnalyzer(job);
  const allFiles = files.map((file) => file.relative);
  // Helpers a route file refers to have their facts read before the workers stop (they have the parser loaded).
  const outcome = await scanInParallel({ ...job, files }, jobs, options.workerScript, options.onProgress, analyzer, async (scanned, routeFactsOf) => {
    const extract = async (batch: WalkedFile[]) => (await routeFactsOf(batch)).map((facts, index) => {
      if (facts.failures) scanned.limited.push({ relative: batch[index].relative, reason: 'analysis-failed', detail: describeFailures(facts.failures) });
      return facts.routeFacts;
    });
    scanned.routeFacts.push(...await neededHelperFacts(scanned.routeFacts, scanned.deferredRouteFacts ?? [], allFiles, extract));
  });
  const routes = linkScannedRoutes(outcome.routeFacts, allFiles, analyzer);
  if (!options.categories || options.categories.includes('input')) {
    const inputJob = { ...job, categories: ['input' as const] };
    const inputAnalyzer = createAnalyzer(inputJob);
    withViewParameters(outcome, routes.inventory, files, inputAnalyzer, scanOptionsFor(inputJob, inputAnalyzer));
  }
  collectGarbageAfterAnalysis(outcome.bytesScanned);
  return { outcome, inventory: routes.inventory, findings: [...outcome.findings, ...routes.findings] };
}

/**
 * Django and Flask views get URL parameters as arguments (`def detail(request, slug)`), known
 * only once the URL configuration is linked: each view file is analysed again for input with
 * them, and its input findings replace the first analysis's.
 */
function withViewParameters(outcome: ScanOutcome, inventory: LinkedInventory, files: readonly WalkedFile[], inputAnalyzer: Analyzer, sources: FileInputSources): void {
  const byRelative = new Map(files.map((file) => [file.relative, file]));
  const isInput = (finding: Finding) => finding.category === 'input';
  const replaced = new Map<string, Finding[]>();
  for (const [relative, viewParameters] of viewParametersByFile(inventory.routes)) {
    const file = byRelative.get(relative);
    const read = file && readSourceFile(file.path, file.size);
    if (!file || !read || 'skip' in read) continue;
    try {
      const result = inputAnalyzer.analyzeFile({ ...walkedFileInput(file, read.text, sources), viewParameters });
      // A failure keeps the first analysis's findings, and says so.
      if (result.failures) outcome.limited.push({ relative, reason: 'analysis-failed', detail: describeFailures(result.failures) });
      else replaced.set(relative, result.findings.filter(isInput));
    } catch (error) {
      outcome.limited.push({ relative, reason: 'analysis-failed', detail: `input with URL parameters: ${(error as Error).message}` });
    }
  }
  if (replaced.size === 0) return;
  outcome.findings = [...outcome.findings.filter((finding) => !replaced.has(finding.file) || !isInput(finding)), ...[...replaced.values()].flat()];
}
