// The tools compared: how to run each as a whole process, where its report goes, how to read the
// report back as { file, line, ruleId } findings, and which versions are installed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { repoRoot, resultsDir, shipshapeCli } from '../paths.mjs';
import { writeEslintConfig } from './eslintConfig.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));

function packageVersion(request, from = require) {
  try {
    return JSON.parse(fs.readFileSync(from.resolve(`${request}/package.json`), 'utf8')).version;
  } catch {
    return null;
  }
}

export function versions() {
  const secretlintRequire = (() => {
    try {
      const cli = createRequire(require.resolve('secretlint/package.json'));
      return createRequire(cli.resolve('@secretlint/node'));
    } catch {
      return require;
    }
  })();
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    node: process.version,
    shipshape: `${JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version}${commit ? ` (${commit}, working tree)` : ''}`,
    secretlint: packageVersion('secretlint'),
    '@secretlint/core (used by secretlint)': packageVersion('@secretlint/core', secretlintRequire),
    '@secretlint/secretlint-rule-preset-recommend': packageVersion('@secretlint/secretlint-rule-preset-recommend'),
    eslint: packageVersion('eslint'),
    'eslint-plugin-security': packageVersion('eslint-plugin-security'),
    'eslint-plugin-no-secrets': packageVersion('eslint-plugin-no-secrets'),
  };
}

function secretlintrc() {
  const file = path.join(resultsDir, 'secretlintrc.json');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2));
  return file;
}

/**
 * A runnable tool: `command(dir, reportFile)` gives [executable, args] to run with cwd = dir;
 * `read(reportFile, dir)` gives the findings with paths relative to dir.
 */
export function shipshapeTool(name, extraArgs = []) {
  return {
    name,
    command: (dir, report) => [process.execPath, [shipshapeCli, 'scan', '.', '--format', 'json', '--fail-on', 'none', '-o', report, ...extraArgs]],
    read: (report) => JSON.parse(fs.readFileSync(report, 'utf8')).findings.map((finding) => ({ file: finding.file, line: finding.line, ruleId: finding.ruleId })),
  };
}

export function secretlintTool() {
  const rc = secretlintrc();
  const bin = path.join(path.dirname(require.resolve('secretlint/package.json')), 'bin', 'secretlint.js');
  return {
    name: 'secretlint',
    // .gitignore is respected by default since v13 and the corpus sits in a git-ignored folder.
    command: (dir, report) => [process.execPath, [bin, '**/*', '--secretlintrc', rc, '--no-gitignore', '--no-color', '--format', 'unix', '--output', report]],
    read: (report, dir) => fs.readFileSync(report, 'utf8').split('\n').flatMap((line) => {
      const match = /^(.+?):(\d+):\d+: .*\[(?:Error|Warning|Info)\/(.+)\]$/.exec(line);
      return match ? [{ file: path.relative(dir, path.resolve(dir, match[1])), line: Number(match[2]), ruleId: match[3].split(' > ').pop() }] : [];
    }),
  };
}

export function eslintTool() {
  const config = writeEslintConfig(resultsDir);
  const bin = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');
  return {
    name: 'ESLint set',
    // Inline comments in package sources name rules that are not installed here: ignore them.
    command: (dir, report) => [process.execPath, [bin, '-c', config, '--no-inline-config', '--format', 'json', '-o', report, '.']],
    read: (report, dir) => JSON.parse(fs.readFileSync(report, 'utf8')).flatMap((file) => file.messages
      .filter((message) => !message.fatal)
      .map((message) => ({ file: path.relative(dir, file.filePath), line: message.line, ruleId: message.ruleId }))),
  };
}
