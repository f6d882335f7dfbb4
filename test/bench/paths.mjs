// Where everything the benchmark reads and writes lives. Outputs stay under test/out/bench/ (git-ignored).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outDir = path.join(repoRoot, 'test', 'out', 'bench');
/** The corpus every tool scans: ordinary package files, generated files and the seeded app. */
export const corpusDir = path.join(outDir, 'corpus');
/** The fixed subset both Shipshape and the (slow) ESLint set are run on. */
export const eslintSubsetDir = path.join(outDir, 'eslint-subset');
/** Workspaces for the language server measurements. */
export const lspDir = path.join(outDir, 'lsp');
/** Hard-linked copies of the corpus for the scaling table. */
export const scaleDir = path.join(outDir, 'scale');
/** Reports the tools write, CPU profiles, compiled bench entries. */
export const resultsDir = path.join(outDir, 'results');
export const manifestPath = path.join(outDir, 'corpus-manifest.json');

/** What `npm run build` produced. */
export const builtCli = path.join(repoRoot, 'server', 'out', 'cli.js');
export const builtServer = path.join(repoRoot, 'server', 'out', 'server.js');
/**
 * The copies the benchmark runs (made at its start by run.mjs), so that a rebuild in the working tree
 * during the run cannot mix two builds. They find rules/ by walking up, as the originals do.
 */
export const shipshapeCli = path.join(outDir, 'build', 'shipshape', 'cli.js');
export const shipshapeServer = path.join(outDir, 'build', 'shipshape', 'server.js');
export const nodeModules = path.join(repoRoot, 'node_modules');
