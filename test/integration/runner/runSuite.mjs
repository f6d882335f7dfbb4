// Runs one suite: a fresh code-server and Chromium, the suite's mocha tests inside VS Code's
// extension host, the extension host's output on stdout, screenshots on request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchWorkbench } from './browser.mjs';
import { isStopping, openScope } from './cleanup.mjs';
import { startCodeServer } from './codeServer.mjs';
import { logsDir, repoRoot, screenshotsDir } from './paths.mjs';
import { deadline } from './poll.mjs';
import { prepareWorkspace } from './suites.mjs';

// The lines the test side logs for the runner. They must match test/integration/helpers.ts
// and test/integration/mochaEntry.ts.
// `SHIPSHAPE_SCREENSHOT <name> [<css selector to wait for>]`
const SCREENSHOT_REQUEST = /^SHIPSHAPE_SCREENSHOT ([\w.-]+)(?: (.+))?$/;
const MOCHA_START = 'SHIPSHAPE_MOCHA_START';
const MOCHA_STATS = /^SHIPSHAPE_MOCHA_STATS (\{.*\})$/;
// The folder in which the runner answers a screenshot request with <name>.json.
const ACK_DIR_ENV = 'SHIPSHAPE_SCREENSHOT_ACKS';

// Workbench chatter that can arrive after the tests started. The workbench logs the
// extension host's console without a label, so its own lines can only be told by their text.
const WORKBENCH_CHATTER = [
  /^Ignoring fetching additional builtin extensions from gallery as it is disabled\.$/,
  /^Updating additional builtin extensions cache$/,
];
const verbose = process.env.SHIPSHAPE_IT_VERBOSE === '1';

/**
 * @returns {Promise<{ name: string, passed: boolean, stats?: { passes: number, failures: number, pending: number }, error?: Error }>}
 */
export async function runSuite(suite, { codeServerEntry, extensionPath, timeoutMs }) {
  const started = Date.now();
  const result = { name: suite.name, passed: false };
  const scope = openScope();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `shipshape-it-${suite.name}-`));
  await scope.add(async () => fs.rmSync(tmpDir, { recursive: true, force: true }));
  const ackDir = path.join(tmpDir, 'screenshot-acks');
  fs.mkdirSync(ackDir);
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const failureShot = path.join(screenshotsDir, `${suite.name}-failure.png`);
  fs.rmSync(failureShot, { force: true });
  const timeout = deadline(timeoutMs, `suite "${suite.name}" did not finish within ${timeoutMs / 1000} s `
    + '(set SHIPSHAPE_SUITE_TIMEOUT_MS to change the limit)');
  let server;
  let workbench;
  let testsStarted = false;

  const onLog = (level, text) => {
    const request = SCREENSHOT_REQUEST.exec(text);
    const stats = MOCHA_STATS.exec(text);
    if (request) return void answerScreenshot(workbench, request[1], request[2], ackDir);
    if (stats) return void (result.stats = JSON.parse(stats[1]));
    if (text === MOCHA_START) return void (testsStarted = true);
    // Until the tests start, the workbench logs its own start-up; only its problems matter.
    if (verbose || (testsStarted && !WORKBENCH_CHATTER.some((pattern) => pattern.test(text)))) console.log(text);
    else if (level === 'error' || level === 'warn') console.log(`[workbench ${level}] ${text}`);
  };

  console.log(`\n▶ suite ${suite.name}`);
  try {
    if (!fs.existsSync(suite.testsIndex)) {
      throw new Error(`${path.relative(repoRoot, suite.testsIndex)} does not exist: build the tests first (npm run build)`);
    }
    const run = async () => {
      const workspace = prepareWorkspace(suite, tmpDir);
      server = await startCodeServer({
        entry: codeServerEntry, workspace, tmpDir,
        logFile: path.join(logsDir, `${suite.name}-code-server.log`),
        env: { ...process.env, [ACK_DIR_ENV]: ackDir },
      });
      await scope.add(() => server.stop());
      workbench = await launchWorkbench({ onLog });
      await scope.add(() => workbench.close());
      await workbench.open({ server, workspace, extensionPath, testsPath: suite.testsIndex });
      return Promise.race([workbench.exited, server.exited.then((why) => Promise.reject(new Error(why)))]);
    };
    const running = run();
    // After a timeout the start may still fail (its scope is closed): nobody waits for it then.
    running.catch(() => {});
    const exitCode = await Promise.race([running, timeout.promise]);
    result.passed = exitCode === 0;
    if (!result.passed) result.error = new Error(`the tests failed (exit code ${exitCode})`);
  } catch (error) {
    result.error = error;
  } finally {
    timeout.cancel();
    if (!result.passed && !isStopping()) await reportFailure(suite, { workbench, server, failureShot });
    await scope.close();
  }
  if (isStopping()) return result;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(result.passed ? `✔ suite ${suite.name} passed in ${seconds} s` : `✖ suite ${suite.name} failed after ${seconds} s: ${result.error.message}`);
  return result;
}

/** Takes the screenshot the test asked for, then tells the test where it is (or why not). */
async function answerScreenshot(workbench, name, waitForSelector, ackDir) {
  const file = path.join(screenshotsDir, `${name}.png`);
  let answer;
  try {
    await workbench.screenshot(file, waitForSelector);
    answer = { path: file };
    console.log(`[screenshot] ${path.relative(repoRoot, file)}`);
  } catch (error) {
    answer = { error: `screenshot failed: ${error.message}` };
  }
  // Written aside and renamed, so the test never reads half an answer.
  const ack = path.join(ackDir, `${name}.json`);
  fs.writeFileSync(`${ack}.tmp`, JSON.stringify(answer));
  fs.renameSync(`${ack}.tmp`, ack);
}

async function reportFailure(suite, { workbench, server, failureShot }) {
  // The test side screenshots its first failing test itself; this covers everything else
  // (a failing hook, a crash, a timeout).
  if (workbench && !fs.existsSync(failureShot)) {
    try {
      await workbench.screenshot(failureShot);
    } catch (error) {
      console.log(`[screenshot] could not take ${path.relative(repoRoot, failureShot)}: ${error.message}`);
    }
  }
  if (fs.existsSync(failureShot)) console.log(`[screenshot] failure: ${path.relative(repoRoot, failureShot)}`);
  if (server) console.log(server.logTail());
  console.log(`Full code-server log: ${path.relative(repoRoot, path.join(logsDir, `${suite.name}-code-server.log`))}`);
}
