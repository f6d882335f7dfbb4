import ts = require('typescript');
import type { FileContext } from '../fileContext';
import type { Range } from '../types';
import { collectFileFacts, libraryPresent } from './fileFacts';
import { FlowAnalysis, type FunctionExport } from './flowAnalysis';
import { inputRuleData } from './ruleData';
import { isAnalysedScript } from './inputPrefilter';
import type { SinkHit, Taint } from './taint';
import type { AnyTaint } from './shared/taintCore';
import type { PyFunctionNode, PySinkHit, PyTaint } from './python/pyValues';
import { pythonModuleSinks } from './python/pyModuleSinks';

/**
 * Request input that crosses a file: a handler passes `req.params.id` to `getUser(id)` from
 * `./db`, which puts its argument into a SQL query. The handler's analysis asks for the module's
 * sinks (`ImportedModules`, demand-driven: only when a call to a relative import carries
 * input), this file works them out from the module's exported functions' summaries, and the
 * finding is reported at the call in the handler, with the sink in the other file as related
 * information. Modules calling modules are followed the same way (the caller of
 * `ImportedModules` bounds the depth and breaks cycles).
 */

/** Where a sink reached through another file is. */
export interface RemoteSink {
  /** As the workspace's findings name files (relative to the root the importing file's path is relative to). */
  file: string;
  range: Range;
}

/** What an exported function does with its parameters, in either language's syntax. */
export interface ExportedSinksOf<Hit, T, Fn> {
  /** The function's node in the module: the `fn` of its parameter taints. */
  fn: Fn;
  /** Parameters that reach sinks: taints relative to a parameter, each with where its sink is. */
  hits: readonly (Hit & { remote: RemoteSink })[];
  /** Parameters the function returns (a taint relative to each). */
  returns?: readonly T[];
  /** Parameter names, for keyword arguments (Python). */
  params?: readonly string[];
}

export type ExportedSinks = ExportedSinksOf<SinkHit, Taint, ts.Node>;
export type PyExportedSinks = ExportedSinksOf<PySinkHit, PyTaint, PyFunctionNode>;

export interface ModuleSinks {
  file: string;
  /** A JS/TS module's, by export path: `getUser`, `default`, `users.find` (a function in an exported object). */
  exports: ReadonlyMap<string, ExportedSinks>;
  /** A Python module's, by function name. */
  pythonExports?: ReadonlyMap<string, PyExportedSinks>;
  /** Changes whenever what callers would find through this module changes (for cached analyses). */
  key: string;
}

/**
 * The sinks of the module a specifier names, as seen from one file: a relative JS/TS specifier
 * (`./db`, `../lib/users.js`), or a Python module as written (`.db`, `app.services.reports`).
 */
export type ImportedModules = (specifier: string) => ModuleSinks | undefined;

export function isRelativeSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../');
}

/** What a call reaches: `db.getUser` → `getUser`; a default import called → `default`; `export default { find }` → `default.find`. */
export function exportAt(module: ModuleSinks, path: readonly string[]): ExportedSinks | undefined {
  const name = path.length ? path.join('.') : 'default';
  return module.exports.get(name) ?? (path.length ? module.exports.get(`default.${name}`) : undefined);
}

/** An export, a `module.exports` or `exports.x` assignment: without one a module gives callers nothing. */
export const EXPORT_HINT = /\bexport\b|\bexports\b/;

const NO_EXPORTS: ReadonlyMap<string, ExportedSinks> = new Map();

/** The module's exported functions whose parameters reach sinks (directly or through modules it imports). */
export function moduleSinks(context: FileContext): ModuleSinks {
  if (context.language.id === 'python') return pythonModuleSinks(context);
  const none: ModuleSinks = { file: context.path, exports: NO_EXPORTS, key: '' };
  if (!isAnalysedScript(context)) return none;
  const { text } = context;
  // Without a sink a module's functions may still hand input back (a path built, a string formatted).
  if (!EXPORT_HINT.test(text)) return none;
  const sourceFile = context.sourceFile();
  if (!sourceFile) return none;
  const data = inputRuleData();
  const facts = collectFileFacts(sourceFile, context.projectPath, data);
  const analysis = new FlowAnalysis({
    sourceFile,
    text,
    data,
    facts,
    validators: new Set(context.config.validators),
    libraryPresent: (libraries) => libraryPresent(facts, context.dependencies, libraries),
    // Handlers in the module report in its own analysis.
    report: () => undefined,
    ...(context.importedModules ? { importedModules: context.importedModules, followParameters: true } : {}),
  });
  let exported: FunctionExport[];
  try {
    analysis.run();
    exported = analysis.exportedFunctions();
  } catch {
    return none;
  }
  const exports = new Map<string, ExportedSinks>();
  for (const { name, fn, summary } of exported) {
    const sinks = exportedSinks(context, fn, summary, (node: ts.Node) => context.rangeOf(node.getStart(sourceFile), node.end));
    if (sinks) exports.set(name, sinks);
  }
  return { file: context.path, exports, key: keyOf(exports) };
}

/** A summary's parameter hits (each with where its sink is) and returned parameters; undefined when it has neither. */
export function exportedSinks<Hit extends SummaryHit<Node>, T extends AnyTaint, Node, Fn>(context: FileContext, fn: Fn, summary: { hits: readonly Hit[]; returns?: { taints?: readonly T[] } }, rangeOf: (node: Node) => Range): ExportedSinksOf<Hit, T, Fn> | undefined {
  const hits = summary.hits
    .filter((hit) => hit.taint.origin.kind === 'param')
    .map((hit) => ({ ...hit, wholeExpressions: undefined, fixes: undefined, remote: hit.remote ?? { file: context.path, range: rangeOf(hit.node) } }));
  const returns = summary.returns?.taints?.filter((taint) => taint.origin.kind === 'param' && taint.origin.fn === fn);
  return hits.length || returns?.length ? { fn, hits, ...(returns?.length ? { returns } : {}) } : undefined;
}

interface SummaryHit<Node> {
  node: Node;
  taint: AnyTaint;
  remote?: RemoteSink;
  pattern: { rule: { id: string }; label: string };
  requirement: string;
}

/** What keyOf reads of an exported function's sinks. */
interface KeyedSinks {
  hits: readonly { pattern: { rule: { id: string }; label: string }; requirement: string; taint: AnyTaint; remote: RemoteSink }[];
  returns?: readonly AnyTaint[];
}

/** Everything a caller's findings take from the module's sinks, as text. */
export function keyOf(exports: ReadonlyMap<string, KeyedSinks>): string {
  const taintKey = (taint: AnyTaint) => [taint.origin.kind === 'param' ? taint.origin.index : -1, taint.path.join('.'), taint.open, taint.whole, taint.structured, taint.label];
  return JSON.stringify([...exports].map(([name, { hits, returns }]) => [
    name,
    hits.map((hit) => [hit.pattern.rule.id, hit.pattern.label, hit.requirement, taintKey(hit.taint), hit.remote.file, hit.remote.range]),
    (returns ?? []).map(taintKey),
  ]));
}
