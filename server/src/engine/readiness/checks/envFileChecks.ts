import ignore from 'ignore';
import { patternFound } from '../declarative';
import type { Evidence, Verdict } from '../types';
import { folderOf, NOT_APP_CODE } from '../units';
import { type CheckContext, stringParameter } from './context';

/** `.env` files: committed to git, or not kept out of it by .gitignore. */

function isEnvFile(context: CheckContext, path: string): boolean {
  const name = path.split('/').pop() ?? '';
  return patternFound(stringParameter(context, 'envFilePattern'), name, 'i') && !patternFound(stringParameter(context, 'templatePattern'), name, 'i');
}

function unitPrefix(context: CheckContext): string {
  return context.scope.unit.path === '.' || context.scope.kind === 'workspace' ? '' : `${context.scope.unit.path}/`;
}

export function envFileCommitted(context: CheckContext): Verdict {
  const tracked = context.input.trackedFiles;
  const prefix = unitPrefix(context);
  if (!tracked) {
    const present = context.scope.files.filter((file) => isEnvFile(context, file.path));
    return {
      status: 'unknown',
      evidence: present.slice(0, 5).map((file) => context.workspace.evidenceAtLine(file.path, 0, `${file.path} exists; whether git tracks it is unknown`)),
      reason: 'Git is not available here, so Shipshape cannot tell which files are committed.',
    };
  }
  const committed = [...tracked].filter((path) => (prefix === '' || path.startsWith(prefix)) && !NOT_APP_CODE.test(path) && isEnvFile(context, path)).sort();
  if (committed.length) {
    return {
      status: 'fail',
      evidence: committed.slice(0, 10).map((file) => ({ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, description: `${file} is committed: everyone with the repository has its values, including its history` })),
    };
  }
  return { status: 'pass', evidence: [], reason: 'No .env file is committed (templates such as .env.example are fine).' };
}

/**
 * Whether `.env` in the unit's folder is ignored by the .gitignore files that apply to it
 * (the root's and those of the folders down to the unit), read with gitignore semantics.
 */
export function envInGitignore(context: CheckContext): Verdict {
  const unitFolder = context.scope.kind === 'workspace' ? '.' : context.scope.unit.path;
  const target = unitFolder === '.' ? '.env' : `${unitFolder}/.env`;
  const gitignores = context.workspace.files.filter((file) => /(?:^|\/)\.gitignore$/.test(file)).filter((file) => {
    const folder = folderOf(file);
    return folder === '.' || target.startsWith(`${folder}/`);
  });
  if (gitignores.length === 0) return { status: 'fail', evidence: [], reason: 'There is no .gitignore, so nothing keeps a .env file out of git.' };
  const consulted: Evidence[] = [];
  for (const file of gitignores.sort((a, b) => a.length - b.length)) {
    const text = context.workspace.read(file);
    if (text === undefined) continue;
    const folder = folderOf(file);
    const relative = folder === '.' ? target : target.slice(folder.length + 1);
    const lines = text.split(/\r?\n/);
    const index = lines.findIndex((line) => /^\s*\/?(?:\*\*\/)?\.env/.test(line));
    if (ignore().add(text).ignores(relative)) {
      return { status: 'pass', evidence: [context.workspace.evidenceAtLine(file, Math.max(0, index), `${file} keeps .env out of git`)] };
    }
    consulted.push(context.workspace.evidenceAtLine(file, 0, `${file} does not ignore .env`));
  }
  return { status: 'fail', evidence: consulted.slice(0, 3), reason: '.env is not listed in .gitignore.' };
}
