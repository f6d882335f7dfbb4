// Summarises a V8 .cpuprofile: top functions by self time, and by total time (self + callees).
// Frames in an unminified esbuild bundle are named after their source module (esbuild writes a
// `// path/to/module.ts` comment before each module). Usage: node profileSummary.mjs FILE [count]
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** For a bundle file: line number → source module, from esbuild's module comments. */
function moduleLocator() {
  const bundles = new Map();
  return (url, line) => {
    if (!url.startsWith('file://')) return undefined;
    if (!bundles.has(url)) {
      const starts = [];
      try {
        fs.readFileSync(fileURLToPath(url), 'utf8').split('\n').forEach((text, index) => {
          const match = /^\/\/ ((?:node_modules|server|client|test)\/\S+\.[cm]?[jt]s)$/.exec(text);
          if (match) starts.push([index, match[1]]);
        });
      } catch {
        // not readable: plain file:line names
      }
      bundles.set(url, starts);
    }
    const starts = bundles.get(url);
    let found;
    for (const [start, module] of starts) {
      if (start > line) break;
      found = module;
    }
    return found?.replace(/^node_modules\//, '');
  };
}

export function summariseProfile(file, count = 15) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) selfMicros.set(profile.samples[i], (selfMicros.get(profile.samples[i]) ?? 0) + (deltas[i] ?? 0));
  const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const locate = moduleLocator();
  const label = (node) => {
    const frame = node.callFrame;
    const module = frame.url ? locate(frame.url, frame.lineNumber) : undefined;
    const where = module ?? (frame.url ? `${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}` : '');
    return `${frame.functionName || '(anonymous)'} ${where}`.trim();
  };
  /** Frames worth listing by total time: the program's own functions, not the loader or the root. */
  const interesting = (name) => !/^\(|cjs\/loader|run_main|^\(anonymous\) build\//.test(name) && !/^(main|runScanCommand|scanInParallel|scanFiles|\(anonymous\)) /.test(name);
  const self = new Map();
  const inclusive = new Map();
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id);
    self.set(label(node), (self.get(label(node)) ?? 0) + micros);
    const seen = new Set();
    for (let current = id; current !== undefined; current = parent.get(current)) {
      const name = label(byId.get(current));
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    }
  }
  const top = (map, filter = () => true) => [...map].filter(([name]) => filter(name)).sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / total }));
  return { totalMs: total / 1000, self: top(self), inclusive: top(inclusive, interesting) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = summariseProfile(process.argv[2], Number(process.argv[3] ?? 15));
  console.log(`total sampled: ${summary.totalMs.toFixed(0)} ms`);
  console.log('self time:');
  for (const row of summary.self) console.log(`  ${row.ms.toFixed(0).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`);
  console.log('total time (inclusive):');
  for (const row of summary.inclusive) console.log(`  ${row.ms.toFixed(0).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`);
}
