#!/usr/bin/env node
// Integration tests: each suite in test/integration/suites/<name>/ runs its compiled mocha
// tests inside a real VS Code (code-server in headless Chromium; see
// shared/VSCODE-TESTS-OFFLINE.md), or in a desktop VS Code when SHIPSHAPE_TEST_ELECTRON=1.
//
//   node test/integration/run.mjs [suite ...]
//
// Environment:
//   SHIPSHAPE_EXTENSION_PATH    the extension to load (default: the repo root)
//   SHIPSHAPE_SUITE_TIMEOUT_MS  the limit for one suite, start-up included (default: 10 minutes)
//   SHIPSHAPE_IT_VERBOSE=1      also print the workbench's own start-up log
//   SHIPSHAPE_TEST_ELECTRON=1   use @vscode/test-electron (downloads VS Code) instead
import path from 'node:path';
import { closeScopesOnSignals, isStopping } from './runner/cleanup.mjs';
import { repoRoot } from './runner/paths.mjs';
import { discoverSuites } from './runner/suites.mjs';

const DEFAULT_SUITE_TIMEOUT_MS = 10 * 60_000;

async function main() {
  const suites = discoverSuites(process.argv.slice(2));
  if (suites.length === 0) throw new Error('No integration suites found in test/integration/suites/');
  const extensionPath = path.resolve(process.env.SHIPSHAPE_EXTENSION_PATH ?? repoRoot);
  const timeoutMs = Number(process.env.SHIPSHAPE_SUITE_TIMEOUT_MS ?? DEFAULT_SUITE_TIMEOUT_MS);

  const results = [];
  if (process.env.SHIPSHAPE_TEST_ELECTRON === '1') {
    const { runSuiteInElectron } = await import('./runner/electron.mjs');
    for (const suite of suites) results.push(await runSuiteInElectron(suite, { extensionPath }));
  } else {
    closeScopesOnSignals();
    const { provision } = await import('./runner/provision.mjs');
    const { runSuite } = await import('./runner/runSuite.mjs');
    const codeServerEntry = await provision();
    for (const suite of suites) {
      if (isStopping()) break;
      results.push(await runSuite(suite, { codeServerEntry, extensionPath, timeoutMs }));
    }
  }
  return isStopping() ? undefined : summarize(results);
}

/** Prints one line per suite and the closing count; returns the exit code. */
function summarize(results) {
  let passed = 0;
  let failed = 0;
  console.log('\nIntegration suites:');
  for (const result of results) {
    // Without mocha's numbers (desktop VS Code, or a suite that never got to its tests) a
    // suite counts as one test; a suite that failed outside its tests counts as one failure.
    const stats = result.stats ?? { passes: Number(result.passed), failures: 0 };
    passed += stats.passes;
    failed += Math.max(stats.failures, Number(!result.passed));
    console.log(`  ${result.passed ? '✔' : '✖'} ${result.name}${result.passed ? '' : `: ${result.error?.message.split('\n')[0]}`}`);
  }
  console.log(`integration: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  // After a signal, the signal handler exits once code-server and Chromium are stopped.
  (code) => isStopping() || process.exit(code),
  (error) => {
    console.error(`[integration] ${error.stack ?? error}`);
    process.exit(1);
  },
);
