// In-process API calls of the peers, on the same in-memory text as Shipshape's engine bench:
// secretlint's lintSource (preset-recommend) and ESLint's Linter.verify (security + no-secrets).
// Prints one JSON object. Usage: node peersInProcess.mjs --corpus DIR --eslint-subset DIR --route REL
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths.mjs';
import { median, percentile, MB } from './stats.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));
const argument = (name) => process.argv[process.argv.indexOf(`--${name}`) + 1];

function readTree(root) {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({ file, relative: path.relative(root, file), text: fs.readFileSync(file, 'utf8') }));
}

const bytesOf = (files) => files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);

async function timeRuns(runs, body) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await body();
    times.push(performance.now() - started);
  }
  return { runs, medianMs: median(times), p95Ms: percentile(times, 95) };
}

async function secretlint(corpus, route) {
  // secretlint's own copy of @secretlint/core, so the version is the one its CLI runs.
  const cliRequire = createRequire(require.resolve('secretlint/package.json'));
  const nodeRequire = createRequire(cliRequire.resolve('@secretlint/node'));
  const { lintSource } = await import(pathToFileURL(nodeRequire.resolve('@secretlint/core')).href);
  const { creator } = await import(pathToFileURL(require.resolve('@secretlint/secretlint-rule-preset-recommend')).href);
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
  const lint = (file) => lintSource({ source: { filePath: file.file, content: file.text, contentType: 'text', ext: path.extname(file.file) }, options: { config, maskSecrets: true } });
  for (const file of corpus.slice(0, 50)) await lint(file); // warm-up
  let messages = 0;
  const started = performance.now();
  for (const file of corpus) messages += (await lint(file)).messages.length;
  const corpusMs = performance.now() - started;
  const routeRuns = await timeRuns(20, () => lint(route));
  return { corpus: { files: corpus.length, bytes: bytesOf(corpus), ms: corpusMs, mbPerSecond: bytesOf(corpus) / MB / (corpusMs / 1000), messages }, route: routeRuns };
}

async function eslint(subset, route) {
  const { Linter } = require('eslint');
  const security = require('eslint-plugin-security');
  const noSecrets = require('eslint-plugin-no-secrets');
  const linter = new Linter({ configType: 'flat' });
  const config = [
    { languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    security.configs.recommended,
    { plugins: { 'no-secrets': noSecrets }, rules: { 'no-secrets/no-secrets': 'error' } },
  ];
  const verify = (file) => linter.verify(file.text, config, { filename: file.file, allowInlineConfig: false });
  const lintable = subset.filter((file) => /\.(js|mjs|cjs)$/.test(file.file));
  verify(route);
  let messages = 0;
  const started = performance.now();
  for (const file of lintable) messages += verify(file).length;
  const subsetMs = performance.now() - started;
  const routeRuns = await timeRuns(5, () => verify(route));
  return { subset: { files: lintable.length, bytes: bytesOf(lintable), ms: subsetMs, mbPerSecond: bytesOf(lintable) / MB / (subsetMs / 1000), messages }, route: routeRuns };
}

async function main() {
  const corpus = readTree(argument('corpus'));
  const subset = readTree(argument('eslint-subset'));
  const route = corpus.find((file) => file.relative === argument('route'));
  const result = {};
  for (const [name, run] of [['secretlint', () => secretlint(corpus, route)], ['eslint', () => eslint(subset, route)]]) {
    try {
      result[name] = await run();
    } catch (error) {
      result[name] = { error: String(error?.stack ?? error).split('\n').slice(0, 3).join(' | ') };
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
