// Whole-process comparisons, alternating runs on the same folder: Shipshape's full scan and its
// secrets-only scan against secretlint on the whole corpus; Shipshape against the ESLint set on the
// fixed subset (ESLint is too slow and memory-hungry for the whole corpus on this machine).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, eslintSubsetDir } from '../paths.mjs';
import { eslintTool, secretlintTool, shipshapeTool } from '../peers/tools.mjs';
import { alternate } from './alternate.mjs';
import { score, seedsWithin } from './detection.mjs';

const env = (name, fallback) => Number(process.env[name] ?? fallback);

export async function compareWithSecretlint(manifest, log) {
  const tools = [shipshapeTool('Shipshape (full scan)'), secretlintTool(), shipshapeTool('Shipshape --rules secret', ['--rules', 'secret'])];
  const results = await alternate(corpusDir, tools, {
    minRounds: env('BENCH_MIN_ROUNDS', 3),
    maxRounds: env('BENCH_MAX_ROUNDS', 5),
    budgetMs: env('BENCH_SECRETLINT_BUDGET_S', 150) * 1000,
    label: 'secretlint',
    log,
  });
  for (const result of Object.values(results)) result.detection = score(result.findings, manifest.seeds);
  return { input: manifest.corpus, results };
}

export async function compareWithEslint(manifest, log) {
  const tools = [shipshapeTool('Shipshape (full scan)'), eslintTool()];
  const results = await alternate(eslintSubsetDir, tools, {
    minRounds: env('BENCH_ESLINT_MIN_ROUNDS', 3),
    maxRounds: env('BENCH_ESLINT_MAX_ROUNDS', 3),
    budgetMs: env('BENCH_ESLINT_BUDGET_S', 120) * 1000,
    label: 'eslint',
    log,
  });
  const files = fs.readdirSync(eslintSubsetDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(eslintSubsetDir, path.join(entry.parentPath, entry.name)));
  const seeds = seedsWithin(manifest.seeds, files);
  for (const result of Object.values(results)) result.detection = score(result.findings, seeds);
  return { input: manifest.eslintSubset, results };
}
