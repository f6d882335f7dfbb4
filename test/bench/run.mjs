// `npm run bench`: Shipshape against secretlint and the ESLint set on one corpus, in one run.
// Builds the corpus, runs every comparison, prints the tables, the targets and, last, one JSON line
// with the headline figures. A part that fails is reported as such; the rest still runs.
//
//   node test/bench/run.mjs [--profile]     (after `npm run build`)
//   node test/bench/run.mjs --report-only    (prints the last run's report again)
// Environment: BENCH_REUSE_CORPUS=1 keeps an existing corpus; BENCH_MIN_ROUNDS / BENCH_MAX_ROUNDS,
// BENCH_SECRETLINT_BUDGET_S, BENCH_ESLINT_BUDGET_S, BENCH_ESLINT_CORPUS_ROUNDS (ESLint on the whole
// corpus, default 3), BENCH_ESLINT_MIN_ROUNDS (on the subset), BENCH_LSP_BUDGET_S, BENCH_LSP_DOCUMENTS,
// BENCH_LSP_EDITS tune how long it runs; BENCH_TOTAL_BUDGET_S (default 840 s) is the time the
// scaling table may use up to (a scale that would overrun it is skipped and said so).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtCli, builtServer, manifestPath, outDir, resultsDir, shipshapeCli, shipshapeServer } from './paths.mjs';
import { buildCorpus, readManifest } from './corpus/build.mjs';
import { versions } from './peers/tools.mjs';
import { peakRssMethod } from './processRunner.mjs';
import { compareWithEslint, compareWithSecretlint } from './sections/wholeProcess.mjs';
import { compileEngineBench, engineOnCorpus, engineOnEslintSubset, peersInProcess } from './sections/inProcess.mjs';
import { editorLatency, serverMemory } from './sections/editor.mjs';
import { measureScaling } from './sections/scaling.mjs';
import { profileCli } from './sections/profile.mjs';
import { printReport } from './report.mjs';

const started = performance.now();
const deadline = started + Number(process.env.BENCH_TOTAL_BUDGET_S ?? 840) * 1000;
const log = (line) => process.stderr.write(`${line}\n`);
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');

/** Runs one part of the benchmark; a failure becomes { error } and the benchmark goes on. */
async function part(name, body) {
  const partStarted = performance.now();
  log(`[bench] ${name}…`);
  try {
    const value = await body();
    log(`[bench] ${name} done in ${((performance.now() - partStarted) / 1000).toFixed(1)} s`);
    return value;
  } catch (error) {
    log(`[bench] ${name} FAILED: ${error?.stack ?? error}`);
    return { error: String(error?.message ?? error).split('\n').slice(0, 3).join(' | ') };
  }
}

const rawResults = path.join(resultsDir, 'bench-results.json');
if (process.argv.includes('--report-only')) {
  printReport(JSON.parse(fs.readFileSync(rawResults, 'utf8')), (text) => process.stdout.write(`${text}\n`));
  process.exit(0);
}

const r = {
  versions: versions(),
  machine: {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memoryGb: os.totalmem() / 1024 ** 3,
    platform: `${os.type()} ${os.release()}, Node ${process.version}`,
    loadBefore: load(),
    peakRssMethod,
  },
};

fs.mkdirSync(path.dirname(shipshapeCli), { recursive: true });
if (!fs.existsSync(builtCli) || !fs.existsSync(builtServer)) {
  log(`[bench] ${builtCli} or server.js is missing: run \`npm run build\` first (npm run bench does).`);
} else {
  fs.copyFileSync(builtCli, shipshapeCli);
  fs.copyFileSync(builtServer, shipshapeServer);
  // Both bundles load TypeScript's parser from beside them on first use.
  fs.copyFileSync(path.join(path.dirname(builtCli), 'typescript.js'), path.join(path.dirname(shipshapeCli), 'typescript.js'));
  r.machine.build = `server/out/cli.js, server.js and typescript.js of ${fs.statSync(builtCli).mtime.toISOString()}, copied to test/out/bench/build/shipshape/ for the run`;
}

const manifest = await part('corpus', () => (process.env.BENCH_REUSE_CORPUS && fs.existsSync(manifestPath) ? readManifest() : buildCorpus()));
if (manifest.error) r.corpusError = manifest.error;
else {
  r.manifest = manifest;
  log(`[bench] corpus: ${manifest.corpus.files} files, ${(manifest.corpus.bytes / 1024 / 1024).toFixed(1)} MB, ${manifest.corpus.lines} lines`);
  const compiled = await part('compile the engine bench', compileEngineBench);
  r.secretlint = await part('whole process vs secretlint', () => compareWithSecretlint(manifest, log));
  r.eslint = await part('whole process vs ESLint set (whole corpus)', () => compareWithEslint(manifest, log, { wholeCorpus: true }));
  r.eslintSubset = await part('whole process vs ESLint set (subset)', () => compareWithEslint(manifest, log, { wholeCorpus: false }));
  const route = manifest.routeFile.relative;
  r.engine = compiled?.error ? compiled : await part('in-process engine (corpus)', () => engineOnCorpus(route));
  r.engineSubset = compiled?.error ? compiled : await part('in-process engine (ESLint subset)', () => engineOnEslintSubset(route));
  r.peersInProcess = await part('in-process peers', () => peersInProcess(route));
  r.latency = await part('editor latency (language server)', () => editorLatency(manifest));
  r.memory = await part('server memory, 1,000 open documents', () => serverMemory());
  r.scaling = await part('scaling 1× / 4× / 16×', () => measureScaling(manifest, log, { deadline }));
  if (process.argv.includes('--profile') || process.env.BENCH_PROFILE) r.profile = await part('CPU profile of the CLI', () => profileCli());
}
r.machine.loadAfter = load();
r.elapsedMs = performance.now() - started;
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(rawResults, JSON.stringify(r));
printReport(r, (text) => process.stdout.write(`${text}\n`));
