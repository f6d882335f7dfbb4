// The entry VS Code calls for a suite (extensionTestsPath -> suites/<name>/index.js -> run()).
// It runs the suite's *.test.js with mocha inside the extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { takeScreenshot } from './helpers';

type MochaClass = typeof import('mocha');
// mocha 12 is an ES module whose index re-exports its CommonJS build; through Node 20's
// require(esm) that arrives as a namespace, so the class is the named export `Mocha`.
const { Mocha } = require('mocha') as { Mocha: MochaClass };

// Lines the runner (test/integration/runner/runSuite.mjs) reads; keep both in step.
const MOCHA_START = 'SHIPSHAPE_MOCHA_START';
const MOCHA_STATS = 'SHIPSHAPE_MOCHA_STATS';

/**
 * Runs every `*.test.js` in `testsRoot` (bdd, spec reporter); rejects with the number of
 * failures. `timeoutMs` is mocha's limit for each test and hook.
 */
export function runMochaSuite(testsRoot: string, timeoutMs = 60_000): Promise<void> {
  const suiteName = path.basename(testsRoot);
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: timeoutMs });
  const files = fs.readdirSync(testsRoot).filter((file) => file.endsWith('.test.js')).sort();
  if (files.length === 0) return Promise.reject(new Error(`No *.test.js files in ${testsRoot}`));
  for (const file of files) mocha.addFile(path.join(testsRoot, file));

  // A picture of VS Code at the first failure, before later tests change what it shows.
  let failureShot = false;
  mocha.suite.afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || failureShot) return;
    failureShot = true;
    await takeScreenshot(`${suiteName}-failure`).catch((error) => console.error(`failure screenshot: ${error}`));
  });

  console.log(MOCHA_START);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      console.log(`${MOCHA_STATS} ${JSON.stringify({ passes, failures, pending })}`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else if (passes === 0) reject(new Error(`No test ran in ${testsRoot}`));
      else resolve();
    });
  });
}
