import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer } from '../engine/analyzer';
import { builtinSecretRules } from '../engine/builtinRules';
import { FILE_DETECTORS } from '../engine/detectors';
import type { Route } from '../engine/routes/routeTypes';
import type { Category, Finding } from '../engine/types';
import { readinessMarkdown } from '../report/readinessReport';
import { walkWorkspace, type WalkedFile } from '../workspace/fileWalker';
import { scanFiles } from '../workspace/workspaceScan';
import { assessWorkspace, diskReader, gitTrackedFilesSync, type OnlineOptions } from '../workspace/readinessAssessment';
import { UsageError, type CliIo } from './cliIo';
import { loadConfig } from './scanInputs';
import type { CliOptions } from './options';

export interface ReportContext {
  cwd: string;
  rulesDirectory: string;
  /**
   * The full analysis of the walked files: their secret, auth and input findings and the route
   * inventory. By default only the secret scan runs here.
   */
  analyse?: (files: WalkedFile[]) => Promise<{ findings: Finding[]; routes?: readonly Route[] }>;
  /** Opt-in advisory look-up (off unless `enabled`); nothing is sent otherwise. */
  online?: OnlineOptions;
  /** Assessment date (tests); default now. */
  now?: Date;
}

/**
 * `shipshape report [folder]`: the production-readiness report of a workspace, as Markdown
 * (default) or JSON (`--format json`), to stdout or `--output FILE`. Exit code 0, or 2 for a
 * usage, configuration or I/O error: a report is information, not a gate.
 */
export async function runReportCommand(options: CliOptions, io: CliIo, context: ReportContext): Promise<number> {
  if (options.format === 'sarif') throw new UsageError('report writes markdown (default) or json; use `shipshape scan --format sarif` for SARIF');
  if (options.paths.length > 1) throw new UsageError('report takes one folder');
  const root = path.resolve(context.cwd, options.paths[0] ?? '.');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new UsageError(`${options.paths[0] ?? root}: no such folder`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${options.paths[0]}: report needs a folder, not a file`);

  const config = loadConfig(options.config ? path.resolve(context.cwd, options.config) : path.join(root, '.shipshape.json'), options.config !== undefined);
  const walked = walkWorkspace(root).files;

  let findings: Finding[];
  let routes: readonly Route[] | undefined;
  let analysedCategories: Category[] | undefined;
  if (context.analyse) {
    ({ findings, routes } = await context.analyse(walked));
  } else {
    const analyzer = new Analyzer({ secretRules: builtinSecretRules(context.rulesDirectory), config });
    findings = scanFiles(walked, analyzer).findings;
    // The secret scan always runs; auth and input analyses only when their detectors are registered.
    analysedCategories = ['secret', ...FILE_DETECTORS.map((detector) => detector.name).filter((name): name is Category => name === 'auth' || name === 'input')];
  }

  const trackedFiles = gitTrackedFilesSync(root);
  const report = await assessWorkspace({
    root,
    files: walked.map((file) => file.relative),
    read: diskReader(root),
    findings,
    ...(analysedCategories ? { analysedCategories } : {}),
    ...(routes ? { routes } : {}),
    config,
    ...(trackedFiles ? { trackedFiles } : {}),
    ...(context.online ? { online: context.online } : {}),
    ...(context.now ? { now: context.now } : {}),
  });

  const rendered = options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : readinessMarkdown(report);
  if (options.output) {
    try {
      fs.writeFileSync(path.resolve(context.cwd, options.output), rendered);
    } catch (error) {
      throw new UsageError(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!options.quiet) io.stderr(`Readiness: ${report.level === 'none' ? 'no level yet' : report.level}; report written to ${options.output}\n`);
  } else {
    io.stdout(rendered);
  }
  return 0;
}
