// Does cost grow linearly with input? The full CLI scan on 1×, 4× and 16× the corpus (hard-linked
// copies, so the disk holds one corpus), printed as time per MB. A scale whose projected run time
// would take the whole benchmark past its time budget is skipped, and the report says so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, resultsDir, scaleDir } from '../paths.mjs';
import { runMeasured } from '../processRunner.mjs';
import { shipshapeTool } from '../peers/tools.mjs';
import { median } from '../stats.mjs';

function linkTree(source, target) {
  for (const entry of fs.readdirSync(source, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(target, path.relative(source, from));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
}

function scaledCorpus(factor) {
  if (factor === 1) return corpusDir;
  const root = path.join(scaleDir, `x${factor}`);
  fs.rmSync(root, { recursive: true, force: true });
  for (let copy = 0; copy < factor; copy++) linkTree(corpusDir, path.join(root, `copy${copy}`));
  return root;
}

/** `deadline`: performance.now() value by which the benchmark should be done. */
export async function measureScaling(manifest, log, { factors = [1, 4, 16], deadline = Infinity } = {}) {
  const tool = shipshapeTool('Shipshape (full scan)');
  const rows = [];
  let msPerMb;
  for (const factor of factors) {
    const mb = (manifest.corpus.bytes * factor) / (1024 * 1024);
    const projectedS = msPerMb ? (msPerMb * mb) / 1000 : 0;
    const leftS = (deadline - performance.now()) / 1000;
    if (msPerMb && projectedS > leftS) {
      rows.push({ factor, mb, files: manifest.corpus.files * factor, skipped: `it would take about ${projectedS.toFixed(0)} s at the ${msPerMb.toFixed(0)} ms/MB just measured; ${Math.max(0, leftS).toFixed(0)} s are left of the benchmark's time budget (BENCH_TOTAL_BUDGET_S)` });
      continue;
    }
    const dir = scaledCorpus(factor);
    const runs = [];
    const count = factor === 1 ? 2 : 1;
    for (let i = 0; i < count; i++) {
      const report = path.join(resultsDir, `scale-x${factor}.json`);
      const [command, args] = tool.command(dir, report);
      const run = await runMeasured(command, args, { cwd: dir });
      log(`  scaling ${factor}×: ${run.ok ? `${(run.wallMs / 1000).toFixed(1)} s` : 'FAILED'}`);
      if (run.ok) runs.push(run);
      else rows.push({ factor, mb, files: manifest.corpus.files * factor, skipped: `failed: ${run.stderr.split('\n').pop()}` });
    }
    if (factor !== 1) fs.rmSync(dir, { recursive: true, force: true });
    if (!runs.length) continue;
    const wallMs = median(runs.map((run) => run.wallMs));
    const cpuMs = median(runs.map((run) => run.cpuMs));
    msPerMb = wallMs / mb;
    rows.push({ factor, mb, files: manifest.corpus.files * factor, runs: runs.length, wallMs, cpuMs, wallMsPerMb: wallMs / mb, cpuMsPerMb: cpuMs / mb, peakMb: Math.max(...runs.map((run) => run.peakMb ?? 0)) || null });
  }
  return rows;
}
