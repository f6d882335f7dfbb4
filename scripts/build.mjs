// Builds everything from a fresh `npm ci`: the extension client, the language server,
// the CLI (bundled with esbuild) and the three test tiers (compiled, not bundled with
// their dependencies, so mocha and vscode resolve at run time).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

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

/**
 * TypeScript's parser is most of the bundle and takes ~0.2 s to load, yet a secrets-only scan
 * or a project without JS never needs it. The server and CLI bundles get a stand-in whose
 * properties load `typescript.js` (a bundle of its own, beside them) on first use and then
 * become plain data properties, so parsing code pays nothing after the first access. Enums
 * and other plain values (`SyntaxKind`, `ScriptKind`, `version`) are copied in at build time:
 * modules read them at load time without loading the parser. The parser loads with a V8 code
 * cache in the user's cache folder (server/src/codeCache.ts).
 */
const require = createRequire(import.meta.url);
const typescript = require('typescript');
const isPlainValue = (value) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const typescriptValues = Object.fromEntries(Object.entries(typescript).filter(([, value]) => isPlainValue(value)
  || (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isPlainValue))));
const typescriptFunctions = Object.keys(typescript).filter((name) => !(name in typescriptValues));
const lazyTypescript = {
  name: 'lazy-typescript',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: 'typescript', namespace: 'lazy-typescript' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-typescript' }, () => ({
      loader: 'js',
      resolveDir: path.join(root, 'server', 'src'),
      contents: `
        // JSON.parse of a string is far quicker for V8 than an object literal this size (85 KB).
        const standIn = JSON.parse(${JSON.stringify(JSON.stringify(typescriptValues))});
        const functionNames = JSON.parse(${JSON.stringify(JSON.stringify(typescriptFunctions))});
        function load() {
          const { requireWithCodeCache } = require('./codeCache');
          const real = requireWithCodeCache(require('node:path').join(__dirname, 'typescript.js'));
          for (const name of functionNames) Object.defineProperty(standIn, name, { value: real[name], writable: true, enumerable: true, configurable: true });
        }
        for (const name of functionNames) Object.defineProperty(standIn, name, { get() { load(); return standIn[name]; }, enumerable: true, configurable: true });
        module.exports = standIn;`,
    }));
  },
};

/**
 * Rule files carry positive and negative examples for the tests: realistic fake secrets,
 * `.env` files with passwords. Nothing reads them at run time, and shipped they would trip
 * every secret scanner that looks at the package (vsce's own refuses it). The bundles import
 * rule data without them, and the secret rules the engine reads from disk are written to
 * server/out/rules/ without them (findRulesDirectory finds that copy first).
 */
function withoutExamples(value) {
  if (Array.isArray(value)) return value.map(withoutExamples);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'examples').map(([key, inner]) => [key, withoutExamples(inner)]));
}
const ruleDataWithoutExamples = {
  name: 'rule-data-without-examples',
  setup(build) {
    build.onLoad({ filter: /[\\/]rules[\\/].+\.json$/ }, (args) => ({ loader: 'json', contents: JSON.stringify(withoutExamples(JSON.parse(fs.readFileSync(args.path, 'utf8')))) }));
  },
};
function writeRuntimeRules() {
  const target = path.join(root, 'server', 'out', 'rules', 'secrets');
  fs.rmSync(path.dirname(target), { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const file of filesUnder('rules/secrets', /\.json$/)) {
    fs.writeFileSync(path.join(target, path.basename(file)), `${JSON.stringify(withoutExamples(JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'))))}\n`);
  }
}

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
  { ...bundle, entryPoints: ['server/src/main.ts'], outfile: 'server/out/server.js', plugins: [lazyTypescript, ruleDataWithoutExamples] },
  { ...bundle, entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyTypescript, ruleDataWithoutExamples] },
  { ...bundle, entryPoints: ['node_modules/typescript/lib/typescript.js'], outfile: 'server/out/typescript.js' },
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
writeRuntimeRules();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('Watching for changes…');
} else {
  await Promise.all(builds.filter((options) => options.entryPoints.length > 0).map((options) => esbuild.build(options)));
  fs.chmodSync(path.join(root, 'server/out/cli.js'), 0o755);
  console.log(`Built client, server, CLI and tests in ${Date.now() - started} ms`);
}
