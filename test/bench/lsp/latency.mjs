// Editor latency through the real server: time from sending a one-line didChange of the 5,000-line
// route file to the publishDiagnostics for that version (this includes the server's debounce).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, lspDir } from '../paths.mjs';
import { median, percentile } from '../stats.mjs';
import { LspClient } from './lspClient.mjs';

const DEFAULT_DEBOUNCE_MS = 150;

/** A workspace holding the seeded app's sources (not its generated browser bundles), hard-linked from the corpus. */
function latencyWorkspace() {
  const root = path.join(lspDir, 'latency');
  fs.rmSync(root, { recursive: true, force: true });
  const app = path.join(corpusDir, 'app');
  for (const entry of fs.readdirSync(app, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.parentPath.includes(`${path.sep}public`)) continue;
    const source = path.join(entry.parentPath, entry.name);
    const target = path.join(root, path.relative(app, source));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.linkSync(source, target);
  }
  return root;
}

export async function measureEditorLatency({ routeRelative, edits = 20, settings = {} }) {
  const root = latencyWorkspace();
  const file = path.join(root, path.relative('app', routeRelative));
  const uri = `file://${file}`;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const editable = lines.map((line, index) => ({ line, index })).filter(({ line }) => /res\.json\(/.test(line));
  const client = new LspClient(settings);
  try {
    await client.initialize(root);
    await client.waitForIndex();
    const openedAt = performance.now();
    await client.open(uri, lines.join('\n'), 1);
    const first = await client.diagnosticsFor(uri, 1);
    const openMs = first.at - openedAt;
    const latencies = [];
    let diagnosticsCount = first.count;
    for (let i = 0; i < edits; i++) {
      const target = editable[(i * 11) % editable.length];
      const column = target.line.length;
      const version = i + 2;
      const sentAt = performance.now();
      await client.change(uri, version, [{ range: { start: { line: target.index, character: column }, end: { line: target.index, character: column } }, text: ' ' }]);
      const entry = await client.diagnosticsFor(uri, version);
      latencies.push(entry.at - sentAt);
      diagnosticsCount = entry.count;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const debounceMs = typeof settings.debounce === 'number' ? settings.debounce : DEFAULT_DEBOUNCE_MS;
    return {
      lines: lines.length - 1,
      debounceMs,
      edits,
      openMs,
      diagnostics: diagnosticsCount,
      medianMs: median(latencies),
      p95Ms: percentile(latencies, 95),
      maxMs: Math.max(...latencies),
      overDebounceMedianMs: median(latencies) - debounceMs,
      overDebounceP95Ms: percentile(latencies, 95) - debounceMs,
    };
  } finally {
    await client.shutdown();
  }
}
