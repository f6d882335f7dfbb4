// The editor side through the real language server: didChange → publishDiagnostics latency on the
// 5,000-line route file, and the server's memory with 1,000 open documents.
import { measureEditorLatency } from '../lsp/latency.mjs';
import { measureServerMemory } from '../lsp/serverMemory.mjs';

export async function editorLatency(manifest) {
  return measureEditorLatency({ routeRelative: manifest.routeFile.relative, edits: Number(process.env.BENCH_LSP_EDITS ?? 20) });
}

export async function serverMemory() {
  return measureServerMemory({ documents: Number(process.env.BENCH_LSP_DOCUMENTS ?? 1000), budgetMs: Number(process.env.BENCH_LSP_BUDGET_S ?? 150) * 1000 });
}
