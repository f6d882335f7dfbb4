// Finds the suites (test/integration/suites/<name>/suite.json) and prepares the folder each
// one opens in VS Code.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compiledSuitesDir, repoRoot, suitesDir } from './paths.mjs';

/**
 * The suites to run: those named in `requested`, or every suite when it is empty.
 * @returns {{ name: string, workspace: string, copyWorkspace: boolean, gitInit: boolean, testsIndex: string }[]}
 */
export function discoverSuites(requested) {
  const known = fs.readdirSync(suitesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(suitesDir, entry.name, 'suite.json')))
    .map((entry) => entry.name)
    .sort();
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`Unknown suite(s): ${unknown.join(', ')}. Known suites: ${known.join(', ') || 'none'}`);
  }
  return (requested.length > 0 ? requested : known).map(loadSuite);
}

function loadSuite(name) {
  const file = path.join(suitesDir, name, 'suite.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof config.workspace !== 'string') throw new Error(`${file}: "workspace" must be a path relative to the repo root`);
  const workspace = path.resolve(repoRoot, config.workspace);
  if (!fs.statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${file}: workspace ${workspace} is not a folder`);
  const overlay = config.overlay === undefined ? undefined : path.resolve(repoRoot, config.overlay);
  if (overlay && !fs.statSync(overlay, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${file}: overlay ${overlay} is not a folder`);
  const suite = {
    name,
    workspace,
    overlay,
    workspaceName: typeof config.workspaceName === 'string' ? config.workspaceName : path.basename(workspace),
    copyWorkspace: config.copyWorkspace === true,
    gitInit: config.gitInit === true,
    testsIndex: path.join(compiledSuitesDir, name, 'index.js'),
  };
  if ((suite.gitInit || suite.overlay) && !suite.copyWorkspace) throw new Error(`${file}: "gitInit" and "overlay" need "copyWorkspace": true (they must not touch the repo)`);
  return suite;
}

/**
 * The folder to open: the fixture itself, or a fresh copy of it (a git repo if asked), with the
 * `overlay` folder's files copied over it (a fixture reused with a few files added or changed).
 */
export function prepareWorkspace(suite, tmpDir) {
  if (!suite.copyWorkspace) return suite.workspace;
  // The folder's name is what the Explorer shows in screenshots.
  const copy = path.join(tmpDir, 'workspace', suite.workspaceName);
  fs.cpSync(suite.workspace, copy, { recursive: true });
  if (suite.overlay) fs.cpSync(suite.overlay, copy, { recursive: true, force: true });
  if (suite.gitInit) initGitRepo(copy);
  return copy;
}

// Fixed identity and dates: the commit is the same on every machine, whatever git config it has.
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Shipshape Tests', GIT_AUTHOR_EMAIL: 'tests@shipshape.invalid', GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Shipshape Tests', GIT_COMMITTER_EMAIL: 'tests@shipshape.invalid', GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
};

function initGitRepo(dir) {
  const git = (...args) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, stdio: 'pipe' });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git('-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '--allow-empty', '--message', 'Fixture');
}
