import { patternFound } from '../declarative';
import { parseYaml, yamlGet, yamlScalars, yamlText, type YamlMap, type YamlNode } from '../parse/yaml';
import type { Evidence, Verdict } from '../types';
import type { ScopedFile } from '../workspace';
import { stringList, stringParameter, type CheckContext } from './context';

/** GitHub Actions and other CI: token permissions, pull_request_target, tests running. */

function workflows(context: CheckContext): { file: ScopedFile; text: string; document: YamlNode | undefined }[] {
  return context.workspace
    .select(context.scope, stringList(context.parameters.workflowFiles))
    .map((file) => ({ file, text: context.workspace.read(file.path) }))
    .filter((entry): entry is { file: ScopedFile; text: string } => entry.text !== undefined)
    .map((entry) => ({ ...entry, document: parseYaml(entry.text) }));
}

/** The `on:` triggers of a workflow (YAML 1.1 reads a bare `on` as true; both spellings are accepted). */
function triggers(document: YamlNode | undefined): string[] {
  const on = yamlGet(document, 'on') ?? yamlGet(document, 'true');
  if (!on) return [];
  if (on.kind === 'scalar') return [on.value];
  if (on.kind === 'seq') return on.items.map((item) => yamlText(item) ?? '');
  return [...on.entries.keys()];
}

export function workflowPermissions(context: CheckContext): Verdict {
  const found = workflows(context);
  if (found.length === 0) return { status: 'pass', evidence: [], notApplicable: true, reason: 'No GitHub Actions workflows.' };
  const failures: Evidence[] = [];
  const passes: Evidence[] = [];
  for (const { file, document } of found) {
    if (document?.kind !== 'map') continue;
    const top = document.entries.get('permissions');
    const jobs = yamlGet(document, 'jobs');
    const jobEntries = jobs?.kind === 'map' ? [...jobs.entries.entries()] : [];
    const writeAll = [top?.value, ...jobEntries.map(([, job]) => yamlGet(job.value, 'permissions'))].find((node) => yamlText(node) === 'write-all');
    if (writeAll) {
      failures.push(context.workspace.evidenceAtLine(file.path, writeAll.line, `${file.path}: permissions: write-all gives every step a token that can push code and change releases`));
      continue;
    }
    if (top) {
      passes.push(context.workspace.evidenceAtLine(file.path, top.keyLine, `${file.path} sets the token's permissions`));
      continue;
    }
    const withoutPermissions = jobEntries.filter(([, job]) => job.value.kind === 'map' && !job.value.entries.has('permissions') && !job.value.entries.has('uses'));
    if (jobEntries.length > 0 && withoutPermissions.length === 0) {
      passes.push(context.workspace.evidenceAtLine(file.path, jobs!.line, `${file.path} sets permissions on every job`));
      continue;
    }
    failures.push(context.workspace.evidenceAtLine(file.path, 0, `${file.path} has no top-level permissions: its token gets the repository's default, which may allow writing`));
  }
  if (failures.length) return { status: 'fail', evidence: failures.slice(0, 10) };
  if (passes.length) return { status: 'pass', evidence: passes.slice(0, 10) };
  return { status: 'unknown', evidence: [], reason: 'The workflow files could not be read.' };
}

/**
 * `pull_request_target` runs with the base repository's secrets and a write token; checking
 * out the pull request's own code there lets any fork run its code with them ("pwn request").
 */
export function pullRequestTargetCheckout(context: CheckContext): Verdict {
  const found = workflows(context);
  const headRef = stringParameter(context, 'headRefPattern');
  const headCheckout = stringParameter(context, 'runCheckoutPattern');
  const failures: Evidence[] = [];
  let targets = 0;
  for (const { file, document } of found) {
    if (!triggers(document).includes('pull_request_target')) continue;
    targets++;
    const jobs = yamlGet(document, 'jobs');
    if (jobs?.kind !== 'map') continue;
    for (const [jobName, job] of jobs.entries) {
      const steps = yamlGet(job.value, 'steps');
      if (steps?.kind !== 'seq') continue;
      for (const step of steps.items) {
        const uses = yamlText(yamlGet(step, 'uses')) ?? '';
        if (/^actions\/checkout@/i.test(uses)) {
          const withNode = yamlGet(step, 'with') as YamlMap | undefined;
          const ref = yamlGet(withNode, 'ref');
          const repository = yamlGet(withNode, 'repository');
          const risky = [ref, repository].find((node) => node && patternFound(headRef, yamlText(node) ?? ''));
          if (risky) failures.push(context.workspace.evidenceAtLine(file.path, risky.line, `${file.path} (job ${jobName}): pull_request_target checks out the pull request's code, which then runs with this repository's secrets`));
        }
        const run = yamlGet(step, 'run');
        if (run && patternFound(headCheckout, yamlText(run) ?? '')) {
          failures.push(context.workspace.evidenceAtLine(file.path, run.line, `${file.path} (job ${jobName}): pull_request_target fetches the pull request's code in a run step`));
        }
      }
    }
  }
  if (failures.length) return { status: 'fail', evidence: failures.slice(0, 10) };
  if (found.length === 0) return { status: 'pass', evidence: [], notApplicable: true, reason: 'No GitHub Actions workflows.' };
  return { status: 'pass', evidence: [], reason: targets ? 'pull_request_target workflows do not check out the pull request\'s code.' : 'No workflow runs on pull_request_target.' };
}

/**
 * CI must run the project's tests: a step that calls a test runner directly, a package.json
 * script that runs one (`npm test`, `pnpm run check`), or a script file / make target that does.
 */
export function ciRunsTests(context: CheckContext): Verdict {
  const ciFiles = context.workspace.select(context.scope, stringList(context.parameters.ciFiles));
  if (ciFiles.length === 0) return { status: 'fail', evidence: [], reason: 'No CI configuration (.github/workflows, .gitlab-ci.yml, .circleci/config.yml, bitbucket-pipelines.yml, azure-pipelines.yml).' };
  const runner = stringParameter(context, 'testRunnerPattern');
  const placeholder = stringParameter(context, 'placeholderTestPattern');
  // package.json scripts that run tests, directly or through another script.
  const testScripts = new Set<string>();
  const scripts = context.scope.packageJsons.flatMap((manifest) => Object.entries(manifest.scripts));
  for (const [name, script] of scripts) {
    if (patternFound(placeholder, script.command)) continue;
    if (patternFound(runner, script.command) || /^test(?::|$)/.test(name)) testScripts.add(name);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, script] of scripts) {
      if (testScripts.has(name) || patternFound(placeholder, script.command)) continue;
      if ([...testScripts].some((test) => invokesScript(script.command, test))) {
        testScripts.add(name);
        changed = true;
      }
    }
  }
  const delegated: string[] = [];
  for (const file of ciFiles) {
    const text = context.workspace.read(file.path);
    if (text === undefined) continue;
    const commands = commandLines(file.path, text);
    for (const { command, line } of commands) {
      const direct = new RegExp(runner).exec(command);
      const script = [...testScripts].find((name) => invokesScript(command, name));
      if (direct || script) {
        // Name what runs the tests rather than echo the line, which may hold credentials.
        return { status: 'pass', evidence: [context.workspace.evidenceAtLine(file.path, line, `${file.path} runs the tests (${direct ? direct[0] : `the "${script}" script`})`)] };
      }
      // A step that runs a script file or make target: look inside it.
      const scriptFile = /(?:^|\s|\.\/)((?:[\w.-]+\/)*[\w.-]+\.(?:sh|bash|py|mjs|js))\b/.exec(command)?.[1];
      const target = scriptFile && context.workspace.has(scriptFile.replace(/^\.\//, '')) ? scriptFile.replace(/^\.\//, '') : undefined;
      if (target) {
        const body = context.workspace.read(target) ?? '';
        if (patternFound(runner, body) || [...testScripts].some((name) => invokesScript(body, name))) {
          return { status: 'pass', evidence: [context.workspace.evidenceAtLine(file.path, line, `${file.path} runs ${target}, which runs the tests`)] };
        }
      } else if (/\bmake\s+\w+/.test(command) && context.workspace.has('Makefile')) {
        const makefile = context.workspace.read('Makefile') ?? '';
        const makeTarget = /\bmake\s+([\w-]+)/.exec(command)![1];
        const recipe = new RegExp(`^${makeTarget.replace(/[-]/g, '\\-')}:[^\\n]*\\n((?:\\t[^\\n]*\\n?)*)`, 'm').exec(makefile)?.[1] ?? '';
        if (patternFound(runner, recipe) || [...testScripts].some((name) => invokesScript(recipe, name))) {
          return { status: 'pass', evidence: [context.workspace.evidenceAtLine(file.path, line, `${file.path} runs make ${makeTarget}, which runs the tests`)] };
        }
      } else if (/^\s*uses:\s*[\w.-]+\/[\w.-]+\/\.github\/workflows\//.test(command)) {
        delegated.push(`${file.path}:${line + 1}`);
      }
    }
  }
  if (delegated.length) return { status: 'unknown', evidence: [], reason: `CI calls reusable workflows from other repositories (${delegated.slice(0, 2).join(', ')}); Shipshape cannot see whether they run the tests.` };
  return {
    status: 'fail',
    evidence: ciFiles.slice(0, 3).map((file) => context.workspace.evidenceAtLine(file.path, 0, `${file.path} runs no test step`)),
    reason: 'CI is set up but no step runs the tests.',
  };
}

/** Flags of npm, pnpm, yarn, bun, turbo and nx that take a value (`--filter web`). */
const VALUE_FLAGS = new Set(['--prefix', '-C', '--dir', '--filter', '-F', '--cwd', '--workspace', '-w', '--scope', '--projects', '-p', '--target', '-t', '--configuration', '-c']);

/** Whether a command line calls a package.json script by name (npm test, pnpm run x, yarn x, bun run x, turbo run x). */
function invokesScript(command: string, name: string): boolean {
  for (const segment of command.split(/&&|\|\||;|\||\n/)) {
    const tokens = segment.trim().split(/\s+/).map((token) => token.replace(/^["']|["']$/g, ''));
    for (let index = 0; index < tokens.length; index++) {
      const tool = tokens[index].replace(/^.*\//, '');
      if (!['npm', 'pnpm', 'yarn', 'bun', 'turbo', 'nx', 'npx'].includes(tool)) continue;
      let k = index + 1;
      if (tool === 'npx' && (tokens[k] === 'turbo' || tokens[k] === 'nx')) k++;
      const skipFlags = () => {
        while (k < tokens.length && tokens[k].startsWith('-')) {
          const flag = tokens[k].split('=')[0];
          k += VALUE_FLAGS.has(flag) && !tokens[k].includes('=') ? 2 : 1;
        }
      };
      skipFlags();
      if (name === 'test' && tool === 'npm' && ['t', 'tst', 'test', 'it', 'cit', 'install-test', 'ci-test'].includes(tokens[k] ?? '')) return true;
      if (['run', 'run-script', 'run-many', 'affected', 'workspaces', 'recursive', '-r'].includes(tokens[k] ?? '')) {
        k++;
        skipFlags();
      }
      // `pnpm -r test`, `yarn workspace web test`, `nx run-many -t test`.
      if (tokens[k] === 'workspace' && tool === 'yarn') k += 2;
      const candidates = tokens.slice(k, k + 2).map((token) => token.replace(/[;,]$/, ''));
      if (candidates[0] === name || (tool === 'nx' && candidates.includes(name))) return true;
      const flagged = segment.match(/(?:--target[= ]|-t\s+)([\w:-]+)/);
      if ((tool === 'nx' || tool === 'turbo') && flagged?.[1] === name) return true;
    }
  }
  return false;
}

/** The lines of a CI file that run commands (run: blocks, script: lists…), each with its line. */
function commandLines(path: string, text: string): { command: string; line: number }[] {
  if (/\.ya?ml$/i.test(path)) {
    const document = parseYaml(text);
    const scalars = yamlScalars(document);
    const fromYaml = scalars.flatMap((scalar) => scalar.value.split('\n').map((command, offset) => ({ command, line: scalar.line + (scalar.value.includes('\n') ? offset + 1 : 0) })));
    // `uses:` lines, to recognise reusable workflows from elsewhere.
    const uses = text.split(/\r?\n/).map((command, line) => ({ command, line })).filter((entry) => /^\s*(?:-\s+)?uses:/.test(entry.command)).map((entry) => ({ command: entry.command.replace(/^\s*-\s+/, '  '), line: entry.line }));
    return [...fromYaml, ...uses];
  }
  return text.split(/\r?\n/).map((command, line) => ({ command, line }));
}
