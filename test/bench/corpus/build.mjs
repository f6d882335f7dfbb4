// Builds the benchmark corpus under test/out/bench/corpus from node_modules plus generated files,
// and the fixed ESLint subset, and writes a manifest (sizes, seeded problems with their lines).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, eslintSubsetDir, manifestPath, nodeModules } from '../paths.mjs';
import { MB } from '../stats.mjs';
import { corpusName, listCandidates, spreadPick } from './ordinary.mjs';
import { bigModule, bundleFile, minifiedFile } from './generated.mjs';
import { buildApp } from './app.mjs';
import { makeSecrets } from './fakeSecrets.mjs';

const ORDINARY_BYTES = 24 * MB;
const ESLINT_SUBSET_ORDINARY_BYTES = 3 * MB;
/** The peers installed for this benchmark are left out of the corpus (ESLint would lint its own sources). */
const EXCLUDED_PACKAGES = ['secretlint', '@secretlint', 'eslint', '@eslint', 'eslint-plugin-security', 'eslint-plugin-no-secrets'];

function writeFile(root, relative, text) {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function countLines(text) {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.length && !text.endsWith('\n') ? lines + 1 : lines;
}

export function buildCorpus() {
  const started = Date.now();
  fs.rmSync(corpusDir, { recursive: true, force: true });
  fs.rmSync(eslintSubsetDir, { recursive: true, force: true });
  const files = [];
  const seeds = [];
  const add = (relative, text, group) => {
    writeFile(corpusDir, relative, text);
    files.push({ relative, bytes: Buffer.byteLength(text), lines: countLines(text), group });
  };

  const candidates = listCandidates(nodeModules, EXCLUDED_PACKAGES);
  const [ordinary, rest] = spreadPick(candidates, ORDINARY_BYTES);
  for (const file of ordinary) add(`packages/${corpusName(file.relative)}`, fs.readFileSync(file.path, 'utf8'), 'ordinary');

  const secrets = makeSecrets();
  const generated = [
    bundleFile('app/public/assets/app.bundle.js', [...rest, ...candidates], 5 * MB, secrets.openaiProject),
    minifiedFile('app/public/assets/index-7c1f3a.js', [...rest.slice(Math.floor(rest.length / 2)), ...candidates], 1 * MB, secrets.githubToken),
    bigModule('app/services/catalog.js', 10000, { awsKeyId: secrets.awsKeyId, stripe: secrets.stripeLive }),
  ];
  for (const writer of generated) {
    add(writer.file, writer.text(), 'generated');
    seeds.push(...writer.seeds);
  }
  const app = buildApp(secrets);
  for (const writer of app.files) {
    add(writer.file, writer.text(), 'app');
    seeds.push(...writer.seeds);
  }
  add('app/lib/cache.js', 'const store = new Map();\nexport const cache = {\n  get: (key) => store.get(key),\n  set: (key, value) => store.set(key, value),\n};\n', 'app');

  // The ESLint subset: the whole seeded app except the two generated browser files, plus ~3 MB of package files.
  const subset = files.filter((file) => file.group === 'app' || file.relative === 'app/services/catalog.js');
  const [subsetOrdinary] = spreadPick(files.filter((file) => file.group === 'ordinary').map((file) => ({ ...file, size: file.bytes })), ESLINT_SUBSET_ORDINARY_BYTES);
  for (const file of [...subset, ...subsetOrdinary]) {
    const target = path.join(eslintSubsetDir, file.relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.linkSync(path.join(corpusDir, file.relative), target);
  }

  const summarise = (list) => ({ files: list.length, bytes: list.reduce((sum, file) => sum + file.bytes, 0), lines: list.reduce((sum, file) => sum + file.lines, 0) });
  const manifest = {
    builtMs: Date.now() - started,
    corpus: summarise(files),
    groups: Object.fromEntries(['ordinary', 'generated', 'app'].map((group) => [group, summarise(files.filter((file) => file.group === group))])),
    eslintSubset: summarise([...subset, ...subsetOrdinary]),
    special: generated.map((writer) => files.find((file) => file.relative === writer.file)),
    routeFile: { relative: app.routeFile.file, lines: app.routeFile.lineCount },
    seeds,
  };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return manifest;
}

export function readManifest() {
  return JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
}
