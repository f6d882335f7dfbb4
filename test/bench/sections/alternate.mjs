// Runs several tools on the same folder in alternation (A B C A B C …), so that the machine's
// changing load falls on all of them alike; keeps every run and the findings of the last good one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultsDir } from '../paths.mjs';
import { runMeasured } from '../processRunner.mjs';
import { median } from '../stats.mjs';

/**
 * Rounds continue until `maxRounds`, or until `budgetMs` is spent once `minRounds` are done.
 * Returns { [tool.name]: { runs, ok, error, medianWallMs, medianCpuMs, peakMb, findings } }.
 */
export async function alternate(dir, tools, { minRounds = 3, maxRounds = 5, budgetMs = 120000, label = 'run', log = () => undefined } = {}) {
  const results = Object.fromEntries(tools.map((tool) => [tool.name, { runs: [], ok: false, error: null, findings: null }]));
  const started = Date.now();
  for (let round = 0; round < maxRounds; round++) {
    if (round >= minRounds && Date.now() - started > budgetMs) break;
    for (const tool of tools) {
      const result = results[tool.name];
      if (result.error && !result.ok) continue; // a tool that failed once is not run again
      const report = path.join(resultsDir, `${label}-${tool.name.replace(/\W+/g, '_')}.out`);
      fs.rmSync(report, { force: true });
      const [command, args] = tool.command(dir, report);
      const run = await runMeasured(command, args, { cwd: dir });
      if (run.ok && !fs.existsSync(report)) {
        run.ok = false;
        run.stderr = `no report written (exit code ${run.code})`;
      }
      log(`  ${label} round ${round + 1}: ${tool.name} ${run.ok ? `${(run.wallMs / 1000).toFixed(2)} s` : 'FAILED'}`);
      if (!run.ok) {
        result.error = run.stderr || `exit code ${run.code}`;
        continue;
      }
      result.ok = true;
      result.runs.push(run);
      try {
        result.findings = tool.read(report, dir);
      } catch (error) {
        result.findingsError = String(error);
      }
    }
  }
  for (const result of Object.values(results)) {
    result.medianWallMs = median(result.runs.map((run) => run.wallMs));
    result.medianCpuMs = median(result.runs.map((run) => run.cpuMs));
    result.peakMb = result.runs.length ? Math.max(...result.runs.map((run) => run.peakMb ?? 0)) || null : null;
    result.medianPeakMb = median(result.runs.map((run) => run.peakMb));
  }
  return results;
}
