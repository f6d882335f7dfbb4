import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { findRulesDirectory } from './engine/secrets/loadSecretRules';
import { runParseWorkerFor, runScanWorker, type ScanJob, type WorkerMessage } from './workspace/parallelScan';
import type { ParseWorkerChannel } from './workspace/parseWorkers';
import { processIo, UsageError } from './cli/cliIo';
import { parseCliOptions } from './cli/options';
import { runScanCommand } from './cli/scanCommand';
import { runRulesCommand } from './cli/rulesCommand';
import { runInitCommand } from './cli/initCommand';
import { runRoutesCommand } from './cli/routesCommand';
import { runReportCommand } from './cli/reportCommand';
import { analyseFiles } from './cli/analyseFolder';
import { loadConfig } from './cli/scanInputs';
import * as path from 'node:path';
import { SHIPSHAPE_VERSION } from './version';

const USAGE = `Usage: shipshape <command> [options]

Commands:
  scan [paths…]     Report exposed secrets, unprotected routes, unchecked input and
                    readiness gaps (default: the current folder)
  routes [paths…]   List every HTTP route and server action with its auth status and why
  report [folder]   Production-readiness report in Markdown (or --format json): level,
                    areas, every check with evidence and what to do
  rules             List every rule with its category, severity and documentation
  init              Write a commented .shipshape.json, a GitHub Actions workflow that
                    uploads SARIF, and a pre-commit hook

Options for scan:
  -f, --format text|json|sarif|markdown   Output format (default text)
  -o, --output FILE                       Write the report to FILE
      --fail-on error|warning|note|none   Exit with 1 when findings reach this level (default error)
      --baseline FILE                     Report only findings not in FILE
      --write-baseline FILE               Record the current findings as accepted
      --changed-since GIT_REF             Only files changed since GIT_REF (and untracked ones)
  -c, --config FILE                       Use this .shipshape.json
      --rules LIST                        Only these rules: ids or categories, e.g. secret,auth/*
  -q, --quiet                             Print only findings that fail the run
  -v, --verbose                           Also list skipped files and why
  -j, --jobs N                            Threads to use (default: one per core, up to 4, from 4 MB)

Options for report: --format markdown|json, --output FILE, --config FILE.
      --online                            Opt in to online look-ups (known-vulnerable versions
                                          from OSV.dev, cached); nothing leaves the machine without it

Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage, configuration or I/O error.
Colour is used on a terminal only; set NO_COLOR to turn it off.
`;

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  try {
    const options = parseCliOptions(argv);
    if (options.version) {
      io.stdout(`${SHIPSHAPE_VERSION}\n`);
      return 0;
    }
    if (options.help || !options.command) {
      (options.help ? io.stdout : io.stderr)(USAGE);
      return options.help ? 0 : 2;
    }
    const rulesDirectory = findRulesDirectory(__dirname);
    switch (options.command) {
      case 'scan':
        return await runScanCommand(options, { io, rulesDirectory, workerScript: __filename, cwd: process.cwd() });
      case 'routes':
        return await runRoutesCommand(options, io, { cwd: process.cwd(), rulesDirectory, workerScript: __filename });
      case 'report':
        return await runReport(options, io, rulesDirectory);
      case 'rules':
        return runRulesCommand(options, io, rulesDirectory);
      case 'init':
        return runInitCommand(options, io, process.cwd());
      default:
        throw new UsageError(`unknown command "${options.command}"; run shipshape --help`);
    }
  } catch (error) {
    const known = error instanceof UsageError || String((error as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS');
    io.stderr(`shipshape: ${known ? (error as Error).message : `internal error: ${(error as Error).message}`}\n`);
    return 2;
  }
}

/** `report`: the full analysis of the folder (findings and routes), then the readiness assessment. */
async function runReport(options: ReturnType<typeof parseCliOptions>, io: ReturnType<typeof processIo>, rulesDirectory: string): Promise<number> {
  const cwd = process.cwd();
  const root = path.resolve(cwd, options.paths[0] ?? '.');
  const config = loadConfig(options.config ? path.resolve(cwd, options.config) : path.join(root, '.shipshape.json'), options.config !== undefined);
  return runReportCommand({ ...options, format: options.format === 'text' ? 'markdown' : options.format }, io, {
    cwd,
    rulesDirectory,
    analyse: async (files) => {
      const analysis = await analyseFiles(files, config, { rulesDirectory, workerScript: __filename, jobs: options.jobs, workspaceRules: true });
      return { findings: analysis.findings, routes: analysis.inventory.routes };
    },
    ...(options.online ? { online: { enabled: true } } : {}),
  });
}

if (!isMainThread && workerData?.shipshapeParseJob) {
  // This bundle doubles as the parse worker of a scan on several threads.
  runParseWorkerFor(workerData.shipshapeParseJob as ScanJob, parentPort!, workerData.shipshapeParseChannel as ParseWorkerChannel);
} else if (!isMainThread && workerData?.shipshapeScanJob) {
  // This bundle doubles as the scan worker for --jobs.
  runScanWorker(workerData.shipshapeScanJob as ScanJob, workerData.shipshapeNextFile as Int32Array, (message: WorkerMessage) => parentPort!.postMessage(message));
} else {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
