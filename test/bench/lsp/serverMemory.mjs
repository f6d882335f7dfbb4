// Memory of the language server with 1,000 open documents. The workspace is an app of 1,000 files
// on disk (so the workspace index holds them too): 150 generated Express route modules and 850
// ordinary JavaScript files from the corpus; every one is opened through the client.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, lspDir } from '../paths.mjs';
import { procUsage } from '../processRunner.mjs';
import { routeFile } from '../corpus/app.mjs';
import { LspClient } from './lspClient.mjs';

const RESOURCES = ['orders', 'invoices', 'customers', 'products', 'projects', 'tickets', 'teams', 'reports', 'coupons', 'shipments', 'reviews', 'plans', 'payouts', 'tags'];
const ROUTE_SHARE = 0.15;

function memoryWorkspace(count) {
  const root = path.join(lspDir, 'memory');
  fs.rmSync(root, { recursive: true, force: true });
  const files = [];
  const routeCount = Math.round(count * ROUTE_SHARE);
  for (let i = 0; i < routeCount; i++) {
    const resources = [RESOURCES[i % RESOURCES.length], RESOURCES[(i * 5 + 3) % RESOURCES.length]].map((name) => `${name}${i}`);
    const writer = routeFile(`src/routes/area${Math.floor(i / 50)}/module${i}.js`, 120 + (i % 5) * 40, resources, i);
    const file = path.join(root, writer.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, writer.text());
    files.push(file);
  }
  const packages = path.join(corpusDir, 'packages');
  const ordinary = fs.readdirSync(packages, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && fs.statSync(path.join(entry.parentPath, entry.name)).size <= 64 * 1024)
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const wanted = count - routeCount;
  for (let i = 0; i < wanted && ordinary.length; i++) {
    const source = ordinary[Math.floor((i * ordinary.length) / wanted)];
    const file = path.join(root, 'src', 'lib', path.relative(packages, source));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.linkSync(source, file);
    files.push(file);
  }
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'memory-workspace', private: true, dependencies: { express: '^4.19.2', pg: '^8.11.5', zod: '^3.23.8' } }, null, 2));
  return { root, routeCount, files: files.sort() };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureServerMemory({ documents = 1000, budgetMs = 150000 } = {}) {
  const { root, routeCount, files } = memoryWorkspace(documents);
  const bytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  const client = new LspClient();
  try {
    const started = performance.now();
    await client.initialize(root);
    await client.waitForIndex(budgetMs);
    const indexMs = performance.now() - started;
    await sleep(500);
    const afterIndex = procUsage(client.pid);
    const uris = files.map((file) => `file://${file}`);
    const openStarted = performance.now();
    // Sent without waiting for each write, as an editor restoring a session does.
    files.forEach((file, index) => void client.open(uris[index], fs.readFileSync(file, 'utf8'), index + 1));
    const analysed = () => uris.filter((uri, index) => (client.latest.get(uri)?.version ?? -1) >= index + 1).length;
    let done = 0;
    while (performance.now() - openStarted < budgetMs) {
      done = analysed();
      if (done === files.length) break;
      await sleep(100);
    }
    const openAllMs = done === files.length ? performance.now() - openStarted : null;
    await sleep(1000);
    const withOpen = procUsage(client.pid);
    return {
      documents: files.length,
      routeModules: routeCount,
      bytes,
      indexMs,
      openAllMs,
      analysed: done,
      budgetMs,
      afterIndexRssMb: afterIndex?.rssMb ?? null,
      openRssMb: withOpen?.rssMb ?? null,
      peakMb: withOpen?.peakMb ?? null,
      serverCpuMs: withOpen?.cpuMs ?? null,
    };
  } finally {
    await client.shutdown();
  }
}
