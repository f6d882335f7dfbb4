import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ShipshapeConfig } from '../engine/config/shipshapeConfig';
import { assessReadiness } from '../engine/readiness/assessReadiness';
import { collectLockedPackages } from '../engine/readiness/lockfiles';
import { lookupVulnerabilities, type PackageQuery, type VulnerabilityLookupResult } from '../engine/readiness/osvLookup';
import type { KeywordsFound, ReadinessReport } from '../engine/readiness/types';
import type { Route } from '../engine/routes/routeTypes';
import type { Category, Finding } from '../engine/types';

/** The opt-in advisory look-up; nothing is sent unless `enabled`. */
export interface OnlineOptions {
  enabled: boolean;
  baseUrl?: string;
  cacheDirectory?: string;
  timeoutMs?: number;
}

export interface WorkspaceAssessmentInput {
  /** Absolute folder assessed. */
  root: string;
  /** Every walked file, relative to `root`, forward slashes. */
  files: readonly string[];
  /** Text of a file relative to `root`: the open editor's text, else disk; undefined when unreadable. */
  read(relative: string): string | undefined;
  /** Secret, auth and input findings, paths relative to `root`. */
  findings: readonly Finding[];
  analysedCategories?: readonly Category[];
  routes?: readonly Route[];
  config: ShipshapeConfig;
  trackedFiles?: ReadonlySet<string>;
  online?: OnlineOptions;
  now?: Date;
  keywordsFound?: KeywordsFound;
}

/** The readiness report of one folder, with the optional online look-up done first. Shared by CLI and server. */
export async function assessWorkspace(input: WorkspaceAssessmentInput): Promise<ReadinessReport> {
  // No cache here: the assessment keeps what it reads within a memory budget (readiness/workspace.ts).
  const read = (relative: string): string | undefined => input.read(relative);
  const now = input.now ?? new Date();
  let vulnerabilities: VulnerabilityLookupResult | undefined;
  if (input.online?.enabled) {
    const packages: PackageQuery[] = collectLockedPackages(input.files, read).flatMap((entry) => entry.packages.map((item) => ({ ...item, lockfile: entry.lockfile })));
    vulnerabilities = await lookupVulnerabilities(packages, { enabled: true, baseUrl: input.online.baseUrl, cacheDirectory: input.online.cacheDirectory, timeoutMs: input.online.timeoutMs, now });
  }
  return assessReadiness({
    root: input.root,
    files: input.files,
    read,
    ...(input.trackedFiles ? { trackedFiles: input.trackedFiles } : {}),
    findings: input.findings,
    ...(input.analysedCategories ? { analysedCategories: input.analysedCategories } : {}),
    ...(input.routes ? { routes: input.routes } : {}),
    config: input.config,
    now,
    ...(vulnerabilities ? { vulnerabilities } : {}),
    ...(input.keywordsFound ? { keywordsFound: input.keywordsFound } : {}),
  });
}

/** Reads a file under `root` from disk as UTF-8 text, or undefined. */
export function diskReader(root: string): (relative: string) => string | undefined {
  return (relative) => {
    try {
      const file = path.join(root, relative);
      return fs.statSync(file).size > 5 * 1024 * 1024 ? undefined : fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Files git tracks under `root`, relative to it; undefined when git or the repository is unavailable. */
export function gitTrackedFilesSync(root: string): ReadonlySet<string> | undefined {
  try {
    const output = execFileSync('git', ['ls-files', '-z', '--full-name', '--', '.'], { cwd: root, encoding: 'utf8', timeout: 10000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true }).trim();
    return trackedRelativeTo(root, top, output);
  } catch {
    return undefined;
  }
}

/** The same, without blocking (for the language server). */
export function gitTrackedFiles(root: string): Promise<ReadonlySet<string> | undefined> {
  const run = (args: string[]) => new Promise<string | undefined>((resolve) => {
    execFile('git', args, { cwd: root, encoding: 'utf8', timeout: 10000, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout));
  });
  return Promise.all([run(['ls-files', '-z', '--full-name', '--', '.']), run(['rev-parse', '--show-toplevel'])]).then(([output, top]) => {
    if (output === undefined || top === undefined) return undefined;
    try {
      return trackedRelativeTo(root, top.trim(), output);
    } catch {
      return undefined;
    }
  });
}

function trackedRelativeTo(root: string, top: string, output: string): ReadonlySet<string> {
  const prefix = path.relative(fs.realpathSync(top), fs.realpathSync(root)).split(path.sep).join('/');
  return new Set(output.split('\0').filter(Boolean).filter((file) => !prefix || file.startsWith(`${prefix}/`)).map((file) => (prefix ? file.slice(prefix.length + 1) : file)));
}
