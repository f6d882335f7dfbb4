// In-process measurements of Shipshape's engine (no process start-up, no file I/O in the timings):
// secret detection alone over the corpus, full analysis per file, the 5,000-line route file,
// re-analysis after a one-line edit, and the input analysis alone on generated 5,000-line Express
// and Flask files. Compiled with esbuild by run.mjs; prints one JSON object.
//
//   node test/out/bench/build/engineBench.js --corpus DIR --route REL [--sections secrets,files,route,edit,detectors]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer } from '../../server/src/engine/analyzer';
import { SecretScanner } from '../../server/src/engine/secrets/secretScanner';
import { findRulesDirectory } from '../../server/src/engine/secrets/loadSecretRules';
import { builtinSecretRules } from '../../server/src/engine/builtinRules';
import { languageOf } from '../../server/src/engine/files/languages';
import { isLockFile, isTestOrDocsPath, looksMinified } from '../../server/src/engine/files/fileTraits';
import { ParseCache } from '../../server/src/engine/js/parseCache';
import { FileContext } from '../../server/src/engine/fileContext';
import { detectInputFlows } from '../../server/src/engine/input/detectInputFlows';
import { LineIndex } from '../../server/src/engine/text/lineIndex';
import { defaultConfig } from '../../server/src/engine/config/shipshapeConfig';
import { expressRouteFile, flaskRouteFile } from './generatedRouteFiles';

interface CorpusFile {
  relative: string;
  text: string;
  bytes: number;
}

const MB = 1024 * 1024;

function argument(name: string, fallback?: string): string {
  const index = process.argv.indexOf(`--${name}`);
  if (index !== -1 && process.argv[index + 1]) return process.argv[index + 1];
  if (fallback !== undefined) return fallback;
  throw new Error(`missing --${name}`);
}

function readCorpus(root: string): CorpusFile[] {
  const files: CorpusFile[] = [];
  const entries = fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    const text = fs.readFileSync(absolute, 'utf8');
    files.push({ relative: path.relative(root, absolute).split(path.sep).join('/'), text, bytes: Buffer.byteLength(text) });
  }
  return files.sort((a, b) => (a.relative < b.relative ? -1 : 1));
}

function now(): number {
  return performance.now();
}

/** CPU time of this process (user + system, all threads) in ms: steadier than wall time on a busy machine. */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function sorted(values: number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

function median(values: number[]): number {
  const list = sorted(values);
  const middle = Math.floor(list.length / 2);
  return list.length % 2 ? list[middle] : (list[middle - 1] + list[middle]) / 2;
}

function p95(values: number[]): number {
  const list = sorted(values);
  return list[Math.min(list.length - 1, Math.ceil(0.95 * list.length) - 1)];
}

function summary(values: number[], cpu: number[] = []) {
  return { runs: values.length, medianMs: median(values), p95Ms: p95(values), minMs: Math.min(...values), maxMs: Math.max(...values), ...(cpu.length ? { cpuMedianMs: median(cpu) } : {}) };
}

/** Secret detection alone, the way the analyzer calls it: generic rules off for minified, lock, test and docs files. */
function secretsOnly(files: CorpusFile[], rulesDirectory: string, passes: number) {
  const scanner = new SecretScanner(builtinSecretRules(rulesDirectory));
  const inputs = files.map((file) => ({
    text: file.text,
    options: {
      languageId: languageOf(file.relative).id,
      generic: !isLockFile(file.relative) && !looksMinified(file.relative, file.text) && !isTestOrDocsPath(file.relative),
      maxMatches: 200,
    },
  }));
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  const times: number[] = [];
  const cpu: number[] = [];
  let matches = 0;
  for (let pass = 0; pass < passes + 1; pass++) {
    matches = 0;
    const started = now();
    const cpuStarted = cpuNow();
    for (const input of inputs) matches += scanner.scan(input.text, input.options).length;
    if (pass > 0) {
      // the first pass warms up the JIT
      times.push(now() - started);
      cpu.push(cpuNow() - cpuStarted);
    }
  }
  const medianMs = median(times);
  return { passes, bytes, matches, ...summary(times, cpu), mbPerSecond: bytes / MB / (medianMs / 1000), cpuMbPerSecond: bytes / MB / (median(cpu) / 1000) };
}

/** Full analysis of every corpus file, one after the other: per-file times and the whole pass. */
function perFile(files: CorpusFile[], analyzer: Analyzer) {
  const times: { relative: string; ms: number; bytes: number }[] = [];
  const byCategory: Record<string, number> = {};
  const failures: string[] = [];
  const started = now();
  const cpuStarted = cpuNow();
  for (const file of files) {
    const fileStarted = now();
    const result = analyzer.analyzeFile({ path: file.relative, text: file.text });
    times.push({ relative: file.relative, ms: now() - fileStarted, bytes: file.bytes });
    for (const finding of result.findings) byCategory[finding.category] = (byCategory[finding.category] ?? 0) + 1;
    for (const failure of result.failures ?? []) failures.push(`${file.relative}: ${failure.detector}: ${failure.message}`);
  }
  const totalMs = now() - started;
  const totalCpuMs = cpuNow() - cpuStarted;
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  const ms = times.map((entry) => entry.ms);
  return {
    files: files.length,
    bytes,
    totalMs,
    totalCpuMs,
    mbPerSecond: bytes / MB / (totalMs / 1000),
    ...summary(ms),
    slowest: [...times].sort((a, b) => b.ms - a.ms).slice(0, 8),
    findingsByCategory: byCategory,
    failures: failures.slice(0, 10),
  };
}

/** The 5,000-line route file analysed again and again (after warm-up). */
function routeFile(file: CorpusFile, analyzer: Analyzer, runs: number) {
  for (let i = 0; i < 5; i++) analyzer.analyzeFile({ path: file.relative, text: file.text });
  const times: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const started = now();
    const cpuStarted = cpuNow();
    findings = analyzer.analyzeFile({ path: file.relative, text: file.text }).findings.length;
    times.push(now() - started);
    cpu.push(cpuNow() - cpuStarted);
  }
  return { lines: file.text.split('\n').length - 1, bytes: file.bytes, findings, ...summary(times, cpu) };
}

/**
 * Typing: one-line edits applied one after the other, each followed by a re-analysis through the
 * same Analyzer. With `cache`, a ParseCache is passed as the language server does (TypeScript's
 * incremental parser re-parses only the edited region); without it, every re-analysis starts afresh.
 */
function editedRouteFile(file: CorpusFile, analyzer: Analyzer, runs: number, cache: boolean) {
  const lines = file.text.split('\n');
  const editable = lines.map((line, index) => ({ line, index })).filter(({ line }) => /logger\.info|res\.json\(/.test(line));
  const parseCache = cache ? new ParseCache() : undefined;
  analyzer.analyzeFile({ path: file.relative, text: file.text, parseCache });
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const target = editable[(i * 7) % editable.length];
    lines[target.index] = `${lines[target.index]} // edit ${i}`;
    const text = lines.join('\n');
    const started = now();
    const cpuStarted = cpuNow();
    analyzer.analyzeFile({ path: file.relative, text, parseCache });
    times.push(now() - started);
    cpu.push(cpuNow() - cpuStarted);
  }
  return { editableLines: editable.length, parseCache: cache, ...summary(times, cpu) };
}

/**
 * The input analysis alone (the parse excluded) on generated 5,000-line Express and Flask files:
 * the part of a route file's time that is Shipshape's own interpreter, in each language.
 */
function inputDetector(runs: number) {
  const measure = (path: string, text: string, dependencies: string[], parse: (context: FileContext) => unknown) => {
    const detect: number[] = [];
    const parsing: number[] = [];
    let findings = 0;
    for (let run = 0; run < runs + 2; run++) {
      const context = new FileContext(path, path, text, languageOf(path), new LineIndex(text), defaultConfig(), new Set(dependencies));
      let started = now();
      parse(context);
      const parsed = now() - started;
      started = now();
      findings = detectInputFlows(context).length;
      // The first two runs warm up the JIT.
      if (run >= 2) {
        detect.push(now() - started);
        parsing.push(parsed);
      }
    }
    return { lines: text.split('\n').length, findings, ...summary(detect), parseMedianMs: median(parsing) };
  };
  return {
    express: measure('src/routes/items.ts', expressRouteFile(5000).text, ['pg'], (context) => context.sourceFile()),
    flask: measure('app/routes.py', flaskRouteFile(5000).text, ['flask'], (context) => context.pythonModule()),
  };
}

function main(): void {
  const corpus = argument('corpus');
  const routeRelative = argument('route');
  const sections = new Set(argument('sections', 'secrets,files,route,edit,detectors').split(','));
  const rulesDirectory = findRulesDirectory(__dirname);
  const loadStarted = now();
  const files = readCorpus(corpus);
  const loadMs = now() - loadStarted;
  const analyzer = new Analyzer({ secretRules: builtinSecretRules(rulesDirectory) });
  const route = files.find((file) => file.relative === routeRelative);
  if (!route) throw new Error(`route file ${routeRelative} is not in ${corpus}`);

  const result: Record<string, unknown> = { files: files.length, bytes: files.reduce((sum, file) => sum + file.bytes, 0), readMs: loadMs };
  if (sections.has('secrets')) result.secrets = secretsOnly(files, rulesDirectory, Number(argument('secret-passes', '5')));
  if (sections.has('route')) result.route = routeFile(route, analyzer, Number(argument('route-runs', '40')));
  if (sections.has('edit')) {
    result.edit = editedRouteFile(route, analyzer, Number(argument('edit-runs', '100')), true);
    result.editWithoutCache = editedRouteFile(route, analyzer, Number(argument('edit-runs', '100')), false);
  }
  if (sections.has('detectors')) result.inputDetector = inputDetector(Number(argument('detector-runs', '12')));
  if (sections.has('files')) result.perFile = perFile(files, analyzer);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
