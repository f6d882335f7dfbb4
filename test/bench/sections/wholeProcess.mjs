// Whole-process comparisons, alternating runs on the same folder: Shipshape's full scan and its
// secrets-only scan against secretlint on the whole corpus; Shipshape against the ESLint set on the
// whole corpus (the headline: ~45 s and ~1.8 GB per ESLint run here) and on the fixed subset (a
// small folder, where both tools' start-up weighs most).
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

/**
 * Shipshape's full scan against the ESLint set, alternating, on `dir`: the whole corpus (the
 * headline figure) or the ESLint subset. ESLint needs ~45 s per run on the whole corpus, so its
 * rounds are fewer there (BENCH_ESLINT_CORPUS_ROUNDS, default 3).
 */
export async function compareWithEslint(manifest, log, { wholeCorpus }) {
  const tools = [shipshapeTool('Shipshape (full scan)'), eslintTool()];
  const dir = wholeCorpus ? corpusDir : eslintSubsetDir;
  const rounds = env(wholeCorpus ? 'BENCH_ESLINT_CORPUS_ROUNDS' : 'BENCH_ESLINT_MIN_ROUNDS', 3);
  const results = await alternate(dir, tools, {
    minRounds: rounds,
    maxRounds: rounds,
    budgetMs: env('BENCH_ESLINT_BUDGET_S', 400) * 1000,
    label: wholeCorpus ? 'eslint-corpus' : 'eslint-subset',
    log,
  });
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
  const seeds = seedsWithin(manifest.seeds, files);
  for (const result of Object.values(results)) result.detection = score(result.findings, seeds);
  return { input: wholeCorpus ? manifest.corpus : manifest.eslintSubset, results };
}
