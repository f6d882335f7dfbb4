import { baseName } from './languages';

/**
 * Traits of a file that change how much work the engine does on it: lock files hold
 * hashes that look random, minified files have enormous lines, binary files are not text.
 */

const LOCK_FILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb',
  'poetry.lock', 'pipfile.lock', 'uv.lock', 'pdm.lock', 'cargo.lock', 'composer.lock', 'gemfile.lock',
  'go.sum', 'packages.lock.json', 'flake.lock', 'deno.lock',
]);

export function isLockFile(filePath: string): boolean {
  return LOCK_FILES.has(baseName(filePath).toLowerCase());
}

/** Lines longer than this are treated as minified: no generic heuristics, bounded windows. */
export const MINIFIED_LINE_LENGTH = 1000;

/** A file is minified when a sample of it has few line breaks for its size. */
export function looksMinified(filePath: string, text: string): boolean {
  const base = baseName(filePath).toLowerCase();
  if (/\.min\.(js|css|mjs)$/.test(base)) return true;
  const sample = Math.min(text.length, 64 * 1024);
  if (sample < MINIFIED_LINE_LENGTH) return false;
  // Average line length over the sample; indexOf finds line breaks far faster than a character loop.
  let breaks = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < sample; at = text.indexOf('\n', at + 1)) breaks++;
  return sample / (breaks + 1) > MINIFIED_LINE_LENGTH / 2;
}

/** Binary files contain NUL bytes early on; text files practically never do. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).indexOf(0) !== -1;
}

export function textLooksBinary(text: string): boolean {
  const limit = Math.min(text.length, 8000);
  return text.slice(0, limit).indexOf('\u0000') !== -1;
}

const TEST_PATH = /(^|[\\/])(__tests__|__mocks__|tests?|spec|specs|fixtures?|testdata|test-data|mocks?|e2e|cypress|playwright|stories|examples?|samples?|docs?)[\\/]|\.(test|spec|stories|fixture)\.[a-z0-9]+$|(^|[\\/])test_[^\\/]*\.py$|_test\.(py|go)$/i;

/** Test, fixture and documentation files, where example credentials are expected. */
export function isTestOrDocsPath(filePath: string): boolean {
  return TEST_PATH.test(filePath) || /\.(md|mdx|rst|adoc|txt)$/i.test(filePath);
}
