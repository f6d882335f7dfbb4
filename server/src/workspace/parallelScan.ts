import * as os from 'node:os';
import { Worker, type MessagePort } from 'node:worker_threads';
import { Analyzer } from '../engine/analyzer';
import { builtinSecretRules } from '../engine/builtinRules';
import { compileWorkspaceSecretRules } from '../engine/secrets/workspaceRules';
import type { ShipshapeConfig } from '../engine/config/shipshapeConfig';
import type { Category } from '../engine/types';
import type { WalkedFile } from './fileWalker';
import { scanFiles, type ScanOptions, type ScanOutcome } from './workspaceScan';
import { ProjectDependencies } from './projectDependencies';
import { readTextFromDisk } from './workspaceModel';
import { ModuleSinkCache, diskModules } from './moduleSinkCache';
import { deferredFactsHere, runParseWorker, scanWithParseWorkers, type AfterScan, type ParseWorkerChannel } from './parseWorkers';

/** Everything a worker needs to build the same analyzer as the main thread: plain data only. */
export interface ScanJob {
  rulesDirectory: string;
  config: ShipshapeConfig;
  /** Whether to run the workspace's own secret patterns (trusted input only). */
  workspaceRules: boolean;
  /** Only these kinds of analysis (all when absent). */
  categories?: Category[];
  /** Leave auth-helper-only files' route facts for later (see AnalyzerOptions.deferAuthHelpers). */
  deferAuthHelpers?: boolean;
  /** Readiness prefilter keywords to find in each file (see scanFiles). */
  readinessKeywords?: readonly string[];
  files: WalkedFile[];
}

export type WorkerMessage = { kind: 'progress'; done: number } | { kind: 'done'; outcome: ScanOutcome } | { kind: 'failed'; message: string };

/** Below this much input, starting workers costs more than it saves. */
const PARALLEL_THRESHOLD_BYTES = 4 * 1024 * 1024;

/**
 * Threads for a scan of `totalBytes`. A scan that parses uses a parse worker per core beyond the
 * main thread (see parseWorkers.ts). One that does not (secrets only) splits files between
 * threads, and there V8's garbage collector already keeps a second core busy: a worker per core
 * beyond that only competes with it (measured: 2 threads slower than 1 on a 2-core machine).
 */
export function defaultJobs(totalBytes: number, parses: boolean): number {
  if (totalBytes < PARALLEL_THRESHOLD_BYTES) return 1;
  const cores = os.availableParallelism();
  return Math.max(1, Math.min(4, parses ? cores : cores - 1));
}

/** Whether a scan of these categories parses files (input, routes and readiness do). */
export function scanParses(categories: readonly Category[] | undefined): boolean {
  return !categories || categories.some((category) => category === 'input' || category === 'auth' || category === 'readiness');
}

export function createAnalyzer(job: Omit<ScanJob, 'files'>): Analyzer {
  const workspaceRules = job.workspaceRules ? compileWorkspaceSecretRules(job.config.secretRules).rules : [];
  return new Analyzer({ secretRules: [...builtinSecretRules(job.rulesDirectory), ...workspaceRules], config: job.config, ...(job.categories ? { categories: new Set(job.categories) } : {}), ...(job.deferAuthHelpers ? { deferAuthHelpers: true } : {}), ...(job.readinessKeywords ? { presenceKeywords: job.readinessKeywords } : {}) });
}

/**
 * Scans files on `jobs` threads. A scan that parses sends the files that need a parse tree to
 * parse workers (parseWorkers.ts). Otherwise the main thread and workers (started from `workerScript`,
 * which must call runScanWorker) take files from one shared list, largest first, each taking
 * the next one as soon as it is free. A worker needs ~0.15 s to start and cold code is slow in
 * each thread, so fixed shares left the main thread idle while the late worker finished its
 * half; taking files as they come keeps every thread busy to the end.
 */
export async function scanInParallel(job: ScanJob, jobs: number, workerScript: string, onProgress?: (done: number, total: number) => void, analyzer: Analyzer = createAnalyzer(job), afterScan?: AfterScan): Promise<ScanOutcome> {
  const total = job.files.length;
  // Deferred route facts are read where the parser is loaded: on the parse workers when there are some, else here.
  const here = async (outcome: ScanOutcome) => {
    await afterScan?.(outcome, async (files) => files.map((file) => deferredFactsHere(file, analyzer)));
    return outcome;
  };
  if (jobs <= 1 || total < 2) return here(scanFiles(job.files, analyzer, { onProgress, ...scanOptionsFor(job, analyzer) }));
  if (scanParses(job.categories)) {
    const outcome = await scanWithParseWorkers(job.files, analyzer, jobs - 1, parseWorkerStarter(workerScript, job), { ...(onProgress ? { onProgress } : {}), ...scanOptionsFor(job, analyzer) }, afterScan);
    return inFileOrder(outcome, job.files);
  }

  const files = [...job.files].sort((a, b) => b.size - a.size);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const progress = new Array<number>(jobs).fill(0);
  const report = () => onProgress?.(progress.reduce((sum, value) => sum + value, 0), total);

  const workerOutcomes = Array.from({ length: jobs - 1 }, (_, index) => new Promise<ScanOutcome>((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: { shipshapeScanJob: { ...job, files }, shipshapeNextFile: next } });
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') {
        progress[index + 1] = message.done;
        report();
      } else if (message.kind === 'done') {
        resolve(message.outcome);
      } else {
        reject(new Error(message.message));
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`scan worker exited with code ${code}`));
    });
  }));

  const own = scanFiles(files, analyzer, {
    onProgress: (done) => {
      progress[0] = done;
      report();
    },
    takeNext: () => Atomics.add(next, 0, 1),
    ...scanOptionsFor(job, analyzer),
  });
  return here(inFileOrder(merge([own, ...(await Promise.all(workerOutcomes))]), job.files));
}

/**
 * Starts a parse worker from `workerScript` (which calls runParseWorkerFor when it finds this
 * workerData). Its young generation is kept small: the worker allocates in bursts (one file's
 * tree at a time), and V8's default cost ~15 MB more at peak for no speed.
 */
export function parseWorkerStarter(workerScript: string, job: Omit<ScanJob, 'files'> & { files?: unknown }): (channel: ParseWorkerChannel) => Worker {
  const { files: _files, ...rest } = job;
  return (channel) => new Worker(workerScript, { workerData: { shipshapeParseJob: rest, shipshapeParseChannel: channel }, transferList: [channel.replies], resourceLimits: { maxYoungGenerationSizeMb: 8 } });
}

/**
 * The outcome's lists in the order of `files`, whichever thread analysed which file, so that
 * reports and the route inventory do not depend on how threads were scheduled.
 */
function inFileOrder(outcome: ScanOutcome, files: readonly WalkedFile[]): ScanOutcome {
  const order = new Map(files.map((file, index) => [file.relative, index]));
  const position = (relative: string) => order.get(relative) ?? files.length;
  const byFile = <T>(list: T[], relativeOf: (item: T) => string) => list.sort((a, b) => position(relativeOf(a)) - position(relativeOf(b)));
  byFile(outcome.findings, (finding) => finding.file);
  byFile(outcome.skipped, (note) => note.relative);
  byFile(outcome.limited, (note) => note.relative);
  byFile(outcome.routeFacts, (facts) => facts.file);
  if (outcome.deferredRouteFacts) byFile(outcome.deferredRouteFacts, (file) => file.relative);
  if (outcome.keywordsFound) byFile(outcome.keywordsFound, ([relative]) => relative);
  return outcome;
}

/** Parse worker side (see parseWorkers.ts): the same analyzer as the main thread's. */
export function runParseWorkerFor(job: Omit<ScanJob, 'files'>, requests: MessagePort, channel: ParseWorkerChannel): void {
  const analyzer = createAnalyzer(job);
  runParseWorker(analyzer, scanOptionsFor(job, analyzer), requests, channel);
}

/** Worker side: take files from the shared list (`next`: the index of the next one) and post the outcome back. */
export function runScanWorker(job: ScanJob, next: Int32Array, post: (message: WorkerMessage) => void): void {
  try {
    let lastPosted = 0;
    const analyzer = createAnalyzer(job);
    const outcome = scanFiles(job.files, analyzer, {
      takeNext: () => Atomics.add(next, 0, 1),
      onProgress: (done) => {
        if (done - lastPosted >= 100) {
          lastPosted = done;
          post({ kind: 'progress', done });
        }
      },
      ...scanOptionsFor(job, analyzer),
    });
    post({ kind: 'done', outcome });
  } catch (error) {
    post({ kind: 'failed', message: (error as Error).message });
  }
}

/** What a thread's scan with `analyzer` reads besides the files: dependencies, readiness keywords, imported modules. */
export function scanOptionsFor(job: Omit<ScanJob, 'files'>, analyzer: Analyzer): ScanOptions {
  const dependenciesOf = dependenciesFor(job);
  const modules = !job.categories || job.categories.includes('input') ? new ModuleSinkCache(diskModules(dependenciesOf)) : undefined;
  return {
    ...(dependenciesOf ? { dependenciesOf } : {}),
    ...(job.readinessKeywords ? { readinessKeywords: job.readinessKeywords } : {}),
    ...(modules ? { importedModules: (file: WalkedFile) => modules.resolverFor(file, analyzer) } : {}),
  };
}

/**
 * Dependencies of each file's project, read from disk (package.json, requirements…); input and
 * route analysis use them, so a secrets-only scan does not look for manifests at all.
 */
function dependenciesFor(job: Omit<ScanJob, 'files'>): ((file: string) => ReadonlySet<string>) | undefined {
  if (job.categories && job.categories.every((category) => category === 'secret' || category === 'config')) return undefined;
  const dependencies = new ProjectDependencies(readTextFromDisk);
  return (file) => dependencies.of(file, undefined);
}

function merge(outcomes: ScanOutcome[]): ScanOutcome {
  return {
    findings: outcomes.flatMap((outcome) => outcome.findings),
    filesScanned: outcomes.reduce((sum, outcome) => sum + outcome.filesScanned, 0),
    bytesScanned: outcomes.reduce((sum, outcome) => sum + outcome.bytesScanned, 0),
    skipped: outcomes.flatMap((outcome) => outcome.skipped),
    limited: outcomes.flatMap((outcome) => outcome.limited),
    routeFacts: outcomes.flatMap((outcome) => outcome.routeFacts),
    ...(outcomes.some((outcome) => outcome.deferredRouteFacts) ? { deferredRouteFacts: outcomes.flatMap((outcome) => outcome.deferredRouteFacts ?? []) } : {}),
    ...(outcomes.some((outcome) => outcome.keywordsFound) ? { keywordsFound: outcomes.flatMap((outcome) => outcome.keywordsFound ?? []) } : {}),
  };
}
