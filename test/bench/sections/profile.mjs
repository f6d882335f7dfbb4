// Optional (--profile): where the CLI's time goes on the corpus. Bundles the CLI unminified (so
// function names survive), runs it single-threaded under --cpu-prof, summarises the profile.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { corpusDir, outDir, repoRoot, resultsDir } from '../paths.mjs';
import { runMeasured } from '../processRunner.mjs';
import { summariseProfile } from '../profileSummary.mjs';

export async function profileCli() {
  const cli = path.join(outDir, 'build', 'cli.js');
  await build({ entryPoints: [path.join(repoRoot, 'server', 'src', 'cli.ts')], outfile: cli, bundle: true, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'], logLevel: 'warning' });
  const profileDir = path.join(resultsDir, 'cpu-profile');
  fs.rmSync(profileDir, { recursive: true, force: true });
  const report = path.join(resultsDir, 'profile-report.json');
  const run = await runMeasured(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, cli, 'scan', '.', '--format', 'json', '--fail-on', 'none', '--jobs', '1', '-o', report], { cwd: corpusDir });
  if (!run.ok) throw new Error(run.stderr);
  const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  return { wallMs: run.wallMs, file: path.join(profileDir, file), ...summariseProfile(path.join(profileDir, file), 15) };
}
