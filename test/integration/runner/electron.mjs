// The same compiled suites in a desktop VS Code, for machines that can download one
// (SHIPSHAPE_TEST_ELECTRON=1). On Linux it needs a display: run it under xvfb-run there.
// Screenshots are not available in this mode: takeScreenshot() returns '' (no runner answers).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { prepareWorkspace } from './suites.mjs';

export async function runSuiteInElectron(suite, { extensionPath }) {
  console.log(`\n▶ suite ${suite.name} (desktop VS Code)`);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `shipshape-it-${suite.name}-`));
  try {
    await runTests({
      version: process.env.SHIPSHAPE_VSCODE_VERSION, // default: the latest stable
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: suite.testsIndex,
      launchArgs: [
        prepareWorkspace(suite, tmpDir),
        '--disable-extensions', // installed ones; built-ins and ours stay on
        '--disable-workspace-trust',
        '--skip-welcome',
        '--user-data-dir', path.join(tmpDir, 'user-data'),
        '--extensions-dir', path.join(tmpDir, 'extensions'),
      ],
    });
    return { name: suite.name, passed: true };
  } catch (error) {
    return { name: suite.name, passed: false, error };
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
