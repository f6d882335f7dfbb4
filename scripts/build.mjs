// Builds everything from a fresh `npm ci`: the extension client, the language server,
// the CLI (bundled with esbuild) and the three test tiers (compiled, not bundled with
// their dependencies, so mocha and vscode resolve at run time).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const production = !process.argv.includes('--dev');
const watch = process.argv.includes('--watch');

const bundle = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'inline',
  minify: production,
  legalComments: 'none',
  // jsonc-parser's UMD main hides its requires from esbuild; its ES module build bundles cleanly.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  absWorkingDir: root,
};

/** Every file under `dir` whose name matches `pattern`. */
function filesUnder(dir, pattern) {
  const absolute = path.join(root, dir);
  if (!fs.existsSync(absolute)) return [];
  return fs.readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

const builds = [
  { ...bundle, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
  { ...bundle, entryPoints: ['server/src/main.ts'], outfile: 'server/out/server.js' },
  { ...bundle, entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    // Tests import the sources directly; dependencies stay external and resolve from node_modules.
    ...bundle,
    minify: false,
    sourcemap: 'inline',
    packages: 'external',
    external: ['vscode'],
    entryPoints: [
      ...filesUnder('test/unit', /\.test\.ts$/),
      ...filesUnder('test/lsp', /\.test\.ts$/),
      ...filesUnder('test/package', /\.test\.ts$/),
      ...filesUnder('test/integration/suites', /\.ts$/),
    ],
    outdir: 'test/out',
    outbase: 'test',
  },
];

const started = Date.now();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('Watching for changes…');
} else {
  await Promise.all(builds.filter((options) => options.entryPoints.length > 0).map((options) => esbuild.build(options)));
  fs.chmodSync(path.join(root, 'server/out/cli.js'), 0o755);
  console.log(`Built client, server, CLI and tests in ${Date.now() - started} ms`);
}
