import { execFile } from 'node:child_process';
import * as path from 'node:path';

/**
 * Answers "is this exact text already in the last commit of this file?", to tell a user that
 * deleting a leaked key is not enough once it has been committed. Uses the git binary; any
 * failure (no git, not a repository, untracked file) means "not committed".
 */
export class GitHistory {
  private readonly headContents = new Map<string, { head: string; content: string | undefined }>();

  constructor(private readonly timeoutMs = 3000) {}

  async isInHead(file: string, values: readonly string[]): Promise<boolean[]> {
    if (values.length === 0) return [];
    const directory = path.dirname(file);
    const head = await this.git(directory, ['rev-parse', 'HEAD']);
    if (!head) return values.map(() => false);
    let cached = this.headContents.get(file);
    if (!cached || cached.head !== head) {
      const top = await this.git(directory, ['rev-parse', '--show-toplevel']);
      const relative = top ? path.relative(top, file).split(path.sep).join('/') : undefined;
      const content = relative && !relative.startsWith('..') ? await this.git(top!, ['show', `HEAD:${relative}`], false) : undefined;
      cached = { head, content };
      if (this.headContents.size > 500) this.headContents.clear();
      this.headContents.set(file, cached);
    }
    return values.map((value) => cached!.content !== undefined && cached!.content.includes(value));
  }

  private git(cwd: string, args: string[], trim = true): Promise<string | undefined> {
    return new Promise((resolve) => {
      execFile('git', args, { cwd, timeout: this.timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout) => {
        resolve(error ? undefined : trim ? stdout.trim() : stdout);
      });
    });
  }
}
