// Opens VS Code's workbench from code-server in Debian's headless Chromium, in the mode that
// VS Code's own browser integration tests use: the `payload` URL parameter names the
// extension under development and the compiled test entry, and the workbench reports the
// extension host's console through `codeAutomationLog` and the test result through
// `codeAutomationExit`.
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
// As root Chromium needs --no-sandbox; the rest stop it from calling Google's hosts, which
// this machine's closed network refuses, many times a second.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const VIEWPORT = { width: 1280, height: 800 };

/**
 * Starts Chromium with a page that reports to the runner; `open()` then loads the workbench
 * and starts the extension tests. `onLog(level, text)` receives every line the workbench
 * and the extension host log. `exited` resolves with the tests' exit code (0 = passed) and
 * rejects if the page crashes.
 */
export async function launchWorkbench({ onLog }) {
  // The runner cleans up on signals itself; Playwright's own handlers would exit early.
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    let settle;
    const exited = new Promise((resolve, reject) => { settle = { resolve, reject }; });
    exited.catch(() => {}); // a crash after the runner stopped listening is no error
    page.on('crash', () => settle.reject(new Error('the VS Code page crashed')));
    await page.exposeFunction('codeAutomationLog', (level, args) => onLog(level, formatArgs(args)));
    await page.exposeFunction('codeAutomationExit', (code) => settle.resolve(code));

    const open = async ({ server, workspace, extensionPath, testsPath }) => {
      // The extension and the tests live on the machine code-server runs on: remote URIs.
      const remote = (file) => `vscode-remote://127.0.0.1:${server.port}${pathToFileURL(file).pathname}`;
      const payload = [
        ['extensionDevelopmentPath', remote(extensionPath)],
        ['extensionTestsPath', remote(testsPath)],
        ['skipWelcome', 'true'],
      ];
      await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    };
    // Screenshots are taken one at a time, in the order they were asked for. A selector makes
    // the runner wait (by polling the page) until that element is visible, e.g. a menu opening.
    let queue = Promise.resolve();
    const screenshot = (file, waitForSelector) => (queue = queue.catch(() => {}).then(async () => {
      if (waitForSelector) await page.waitForSelector(waitForSelector, { state: 'visible', timeout: 10_000 });
      await page.screenshot({ path: file });
    }));
    return { open, exited, screenshot, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

// The extension host forwards console.log's arguments as they were given, printf-style
// format strings included (mocha's reporter uses them): format them as console.log would.
function formatArgs(args) {
  return format(...(Array.isArray(args) ? args : [args]));
}
