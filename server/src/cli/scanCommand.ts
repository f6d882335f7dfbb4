import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSecretRuleSpecs } from '../engine/secrets/loadSecretRules';
import { allRuleDescriptions } from '../engine/allRules';
import type { Category, Finding, Severity } from '../engine/types';
import { analyseFiles, type FolderAnalysis } from './analyseFolder';
import type { WalkedFile } from '../workspace/fileWalker';
import { assessWorkspace, diskReader, gitTrackedFilesSync } from '../workspace/readinessAssessment';
import { readinessFindings } from '../engine/readiness/readinessFindings';
import { readinessPrefilterKeywords } from '../engine/readiness/catalog';
import type { ShipshapeConfig } from '../engine/config/shipshapeConfig';
import { textReport } from '../report/textReport';
import { jsonReport } from '../report/jsonReport';
import { sarifReport } from '../report/sarifReport';
import { markdownReport } from '../report/markdownReport';
import type { ScanSummary } from '../report/scanSummary';
import { SHIPSHAPE_VERSION } from '../version';
import { UsageError, type CliIo } from './cliIo';
import { checkRuleFilters, ruleSelected, type CliOptions, type FailOn } from './options';
import { readBaseline, writeBaseline } from './baseline';
import { collectFiles, loadConfig, relativeTo } from './scanInputs';
import { ProgressLine } from './progress';

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };
const THRESHOLD: Record<FailOn, number> = { info: 1, warning: 2, error: 3, none: Infinity };

export interface ScanEnvironment {
  io: CliIo;
  rulesDirectory: string;
  /** The script that worker threads run (the CLI bundle itself). */
  workerScript: string;
  cwd: string;
}

/** `shipshape scan [paths…]`: every finding for the given files and folders. Returns the exit code. */
export async function runScanCommand(options: CliOptions, environment: ScanEnvironment): Promise<number> {
  const { io, cwd } = environment;
  const started = Date.now();
  if (options.rules.length > 0) checkRuleFilters(options.rules, allRuleDescriptions(loadSecretRuleSpecs(environment.rulesDirectory)).map((rule) => rule.id));
  const config = loadConfig(options.config ? path.resolve(cwd, options.config) : path.join(cwd, '.shipshape.json'), options.config !== undefined);
  const baseline = options.baseline ? readBaseline(path.resolve(cwd, options.baseline)) : undefined;
  const { files, skipped, ignored } = collectFiles(options, cwd);

  const progress = new ProgressLine(process.stderr, !options.quiet && process.stderr.isTTY === true && io.color);
  const analysis = await analyseFiles(files, config, {
    rulesDirectory: environment.rulesDirectory,
    workerScript: environment.workerScript,
    jobs: options.jobs,
    workspaceRules: true,
    ...(categoriesFor(options.rules) ? { categories: categoriesFor(options.rules) } : {}),
    ...(readinessRuns(options, cwd) ? { readinessKeywords: readinessPrefilterKeywords() } : {}),
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.finish();
  const { outcome } = analysis;
  const readiness = await readinessOfScan(options, cwd, files, analysis, config);

  let findings = [...analysis.findings, ...readiness].filter((finding) => ruleSelected(finding.ruleId, options.rules));
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  if (options.writeBaseline) {
    const count = writeBaseline(path.resolve(cwd, options.writeBaseline), findings);
    if (!options.quiet) io.stderr(`Wrote ${count} finding${count === 1 ? '' : 's'} to the baseline ${options.writeBaseline}\n`);
  }
  let baselined = 0;
  if (baseline) {
    const before = findings.length;
    findings = findings.filter((finding) => finding.suppression || !baseline.has(finding.fingerprint ?? ''));
    baselined = before - findings.length;
  }

  const summary: ScanSummary = {
    toolVersion: SHIPSHAPE_VERSION,
    root: cwd,
    filesScanned: outcome.filesScanned,
    skipped: [...skipped, ...outcome.skipped.map((note) => ({ file: note.relative, reason: note.reason, ...(note.detail ? { detail: note.detail } : {}) }))],
    limited: outcome.limited.map((note) => ({ file: note.relative, reason: note.reason, ...(note.detail ? { detail: note.detail } : {}) })),
    baselined,
    durationMs: Date.now() - started,
  };

  const threshold = THRESHOLD[options.failOn];
  const reported = options.quiet ? findings.filter((finding) => finding.suppression || RANK[finding.severity] >= Math.min(threshold, RANK.error)) : findings;
  const rendered = render(options, reported, summary, environment.rulesDirectory, io.color && !options.output);
  if (options.output) {
    try {
      fs.writeFileSync(path.resolve(cwd, options.output), rendered);
    } catch (error) {
      throw new UsageError(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!options.quiet && options.format !== 'text') io.stderr(textSummaryLine(findings, summary));
  } else {
    io.stdout(rendered);
  }
  if (options.verbose) io.stderr(verboseNotes(summary, ignored));

  return findings.some((finding) => !finding.suppression && RANK[finding.severity] >= threshold) ? 1 : 0;
}

function render(options: CliOptions, findings: Finding[], summary: ScanSummary, rulesDirectory: string, color: boolean): string {
  switch (options.format) {
    case 'json':
      return jsonReport(findings, summary);
    case 'sarif':
      return sarifReport(findings, allRuleDescriptions(loadSecretRuleSpecs(rulesDirectory)).filter((rule) => ruleSelected(rule.id, options.rules)), summary);
    case 'markdown':
      return markdownReport(findings, summary);
    default:
      return textReport(findings, {
        color,
        quiet: options.quiet,
        filesScanned: summary.filesScanned,
        skipped: summary.skipped.length,
        limited: summary.limited.length,
        baselined: summary.baselined,
        durationMs: summary.durationMs,
      });
  }
}

function textSummaryLine(findings: readonly Finding[], summary: ScanSummary): string {
  const shown = findings.filter((finding) => !finding.suppression);
  return `${shown.length} finding${shown.length === 1 ? '' : 's'} in ${summary.filesScanned} files (${(summary.durationMs / 1000).toFixed(2)} s)\n`;
}

function verboseNotes(summary: ScanSummary, ignored: readonly string[]): string {
  const lines = [
    ...ignored.map((file) => `ignored  ${file} (.gitignore, .shipshapeignore or default folder rules)`),
    ...summary.skipped.map((skip) => `skipped  ${skip.file}: ${skip.reason}${skip.detail ? ` (${skip.detail})` : ''}`),
    ...summary.limited.map((limit) => `partial  ${limit.file}: ${limit.reason} (${limit.detail ?? 'secrets scanned; no structural analysis'})`),
  ];
  return lines.length ? `${lines.join('\n')}\n` : 'No files skipped.\n';
}

/**
 * Readiness findings of a scan of one folder (the current folder by default): the workspace
 * checks need the whole folder, so a scan of single files or --changed-since leaves them out.
 */
async function readinessOfScan(options: CliOptions, cwd: string, scanned: readonly WalkedFile[], analysis: FolderAnalysis, config: ShipshapeConfig): Promise<Finding[]> {
  if (!readinessRuns(options, cwd)) return [];
  const root = path.resolve(cwd, options.paths[0] ?? '.');
  // Scan output names files relative to the current folder, or absolute when outside it (relativeTo);
  // readiness works relative to the scanned folder.
  const toRoot = (file: string) => path.relative(root, path.resolve(cwd, file)).split(path.sep).join('/');
  const fromRoot = (file: string) => relativeTo(cwd, path.join(root, file));
  // One folder, no --changed-since: the scanned files are that folder's walk, already made.
  const walked = scanned.map((file) => file.projectPath ?? toRoot(file.relative));
  const trackedFiles = gitTrackedFilesSync(root);
  const report = await assessWorkspace({
    root,
    files: walked,
    read: diskReader(root),
    findings: analysis.findings.map((finding) => ({ ...finding, file: toRoot(finding.file) })),
    routes: analysis.inventory.routes.map((route) => ({ ...route, file: toRoot(route.file), evidence: route.evidence.map((item) => ({ ...item, file: toRoot(item.file) })) })),
    config,
    ...(trackedFiles ? { trackedFiles } : {}),
    ...(options.online ? { online: { enabled: true } } : {}),
    ...(analysis.outcome.keywordsFound ? { keywordsFound: { keywords: readinessPrefilterKeywords(), files: new Map(analysis.outcome.keywordsFound.map(([file, bits]) => [toRoot(file), bits])) } } : {}),
  });
  return readinessFindings(report)
    .filter((finding) => !RESTATES_FINDINGS.has(finding.ruleId))
    .map((finding) => ({ ...finding, file: fromRoot(finding.file), related: finding.related?.map((related) => ({ ...related, file: fromRoot(related.file) })) }));
}

/** Readiness is assessed when one whole folder is scanned, and the rules asked for include it. */
function readinessRuns(options: CliOptions, cwd: string): boolean {
  if (options.changedSince || options.paths.length > 1 || (options.rules.length > 0 && !options.rules.some((rule) => rule.startsWith('readiness')))) return false;
  return fs.statSync(path.resolve(cwd, options.paths[0] ?? '.')).isDirectory();
}

/** Readiness checks that sum up findings the scan already reports one by one: not repeated. */
const RESTATES_FINDINGS = new Set(['readiness/secrets-in-files', 'readiness/unauthenticated-writes', 'readiness/injection', 'readiness/hardcoded-auth-secret', 'readiness/jwt-decode-for-auth']);

/**
 * The analyses a --rules filter needs: `secret` alone never parses a file. Readiness checks
 * build on every other kind of finding, so they need everything.
 */
function categoriesFor(filters: readonly string[]): Category[] | undefined {
  if (filters.length === 0) return undefined;
  const categories = new Set(filters.map((filter) => filter.split('/')[0]));
  if (categories.has('readiness')) return undefined;
  return [...categories, 'config'] as Category[];
}
