import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig, parseShipshapeConfig, type ShipshapeConfig } from '../engine/config/shipshapeConfig';
import { walkWorkspace, type WalkedFile } from '../workspace/fileWalker';
import type { ScanSummary } from '../report/scanSummary';
import { UsageError } from './cliIo';
import type { CliOptions } from './options';
import { changedFilesSince } from './changedFiles';

/** What every command that reads the workspace needs: the files to read and the configuration. */

/** The files to scan: walked folders and named files, minus what --changed-since rules out. */
export function collectFiles(options: CliOptions, cwd: string): { files: WalkedFile[]; skipped: ScanSummary['skipped']; ignored: string[] } {
  const files: WalkedFile[] = [];
  const skipped: ScanSummary['skipped'] = [];
  const ignored: string[] = [];
  const seen = new Set<string>();
  const changed = options.changedSince ? changedFilesSince(options.changedSince, cwd) : undefined;
  for (const target of options.paths.length ? options.paths : ['.']) {
    const absolute = path.resolve(cwd, target);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      throw new UsageError(`${target}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
    }
    const found: WalkedFile[] = [];
    if (stat.isDirectory()) {
      const walked = walkWorkspace(absolute);
      for (const skip of walked.skipped) {
        const file = relativeTo(cwd, path.join(absolute, skip.relative));
        if (skip.kind === 'ignored') ignored.push(file);
        else skipped.push({ file, reason: skip.kind, ...(skip.detail ? { detail: skip.detail } : {}) });
      }
      found.push(...walked.files.map((file) => ({ ...file, relative: relativeTo(cwd, file.path), projectPath: file.relative })));
    } else {
      found.push({ path: absolute, relative: relativeTo(cwd, absolute), size: stat.size });
    }
    for (const file of found) {
      if (seen.has(file.path) || (changed && !changed.has(file.path))) continue;
      seen.add(file.path);
      files.push(file);
    }
  }
  return { files, skipped, ignored };
}

export function loadConfig(file: string, required: boolean): ShipshapeConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (required || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`cannot read the config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return defaultConfig();
  }
  const { config, problems } = parseShipshapeConfig(text);
  const error = problems.find((problem) => problem.severity === 'error');
  if (error) {
    const line = text.slice(0, error.start).split('\n').length;
    throw new UsageError(`${path.basename(file)}:${line}: ${error.message}`);
  }
  return config;
}

export function relativeTo(root: string, file: string): string {
  const relative = path.relative(root, file);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative || path.basename(file)).split(path.sep).join('/');
}
