import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { UsageError } from './cliIo';

/**
 * Files changed since a git ref (committed, staged or not, plus new untracked files), as
 * absolute paths, for `--changed-since`.
 */
export function changedFilesSince(ref: string, cwd: string): Set<string> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
      throw new UsageError(`--changed-since ${ref}: git failed (${stderr || (error as Error).message})`);
    }
  };
  const top = git(['rev-parse', '--show-toplevel']).trim();
  git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const changed = git(['diff', '--name-only', '--diff-filter=ACMR', '-z', ref]).split('\0');
  const untracked = git(['ls-files', '--others', '--exclude-standard', '-z']).split('\0');
  return new Set([...changed, ...untracked].filter(Boolean).map((file) => path.join(top, file)));
}
