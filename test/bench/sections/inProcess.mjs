// In-process API calls, each set in its own child process: Shipshape's engine (compiled with esbuild)
// and the peers' APIs (secretlint lintSource, ESLint Linter.verify) on the same in-memory text.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { build } from 'esbuild';
import { corpusDir, eslintSubsetDir, outDir, repoRoot } from '../paths.mjs';

export const engineBenchJs = path.join(outDir, 'build', 'engineBench.js');

export async function compileEngineBench() {
  await build({
    entryPoints: [path.join(repoRoot, 'test', 'bench', 'engineBench.ts')],
    outfile: engineBenchJs,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's UMD main hides its requires from esbuild; its ES module build bundles cleanly.
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
}

function runJson(args, timeoutMs = 10 * 60 * 1000) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${String(stderr).trim().split('\n').slice(-5).join('\n')}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

/** Shipshape's engine: secrets alone, full analysis per file, the route file and a one-line edit. */
export function engineOnCorpus(routeRelative) {
  return runJson([engineBenchJs, '--corpus', corpusDir, '--route', routeRelative]);
}

/** Shipshape's engine over the ESLint subset, for the in-process comparison with Linter.verify. */
export function engineOnEslintSubset(routeRelative) {
  return runJson([engineBenchJs, '--corpus', eslintSubsetDir, '--route', routeRelative, '--sections', 'files']);
}

export function peersInProcess(routeRelative) {
  return runJson([path.join(repoRoot, 'test', 'bench', 'peersInProcess.mjs'), '--corpus', corpusDir, '--eslint-subset', eslintSubsetDir, '--route', routeRelative]);
}
