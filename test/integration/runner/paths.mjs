// Where the integration harness reads and writes, all derived from the repo root so the
// runner works from any current directory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const suitesDir = path.join(repoRoot, 'test/integration/suites');
// The lead's build (scripts/build.mjs) compiles suites/<name>/*.ts to this folder.
export const compiledSuitesDir = path.join(repoRoot, 'test/out/integration/suites');
export const screenshotsDir = path.join(repoRoot, 'test/out/screenshots');
export const logsDir = path.join(repoRoot, 'test/out/logs');
// Git-ignored; survives between runs so only the first run pays for code-server.
export const codeServerCacheDir = path.join(repoRoot, '.cache/code-server');
