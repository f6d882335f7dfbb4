import ts = require('typescript');
import type { FileContext } from '../fileContext';
import type { FixHint, Range } from '../types';
import { directiveFor, parseDirectives, type InlineDirective } from '../suppression/inlineSuppressions';
import { collectFileFacts, libraryPresent } from './fileFacts';
import { FlowAnalysis, type FunctionExport } from './flowAnalysis';
import { inputRuleData } from './ruleData';
import { isAnalysedScript } from './inputPrefilter';
import { sqlParameterizationFix } from './fixes/sqlParameterize';
import type { SinkPattern } from './ruleData';
import type { AnyTaint, ParamOriginOf, TaintOf } from './shared/taintCore';
import type { PySinkPattern } from './python/pyRuleData';
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
  /** The sink's code as that file held it, and its offset there, to find it again after edits (never output). */
  text: string;
  start: number;
  /** The reason of a `shipshape-ignore` at the sink: every flow into it is suppressed. */
  suppressedBecause?: string;
}

/**
 * A parameter taint without the module's syntax nodes: summaries are kept for as long as the
 * module is unchanged, and must not keep its whole parse tree alive. The call applying it
 * supplies the nodes (`attachedTaint`).
 */
export interface DetachedTaint {
  index: number;
  open: number;
  whole: boolean;
  structured: boolean;
  path: readonly string[];
  label: string;
}

/** A parameter of an exported function that reaches a sink, and where that sink is. */
export interface ParameterSink<Pattern> {
  pattern: Pattern;
  requirement: 'any' | 'whole' | 'structured';
  taint: DetachedTaint;
  remote: RemoteSink;
  /** Fixes decided at the sink (the SQL parameterisation), as edits of the sink's file. */
  fixes?: FixHint[];
}

/** What an exported function does with its parameters. */
export interface ExportedSinksOf<Pattern> {
  hits: readonly ParameterSink<Pattern>[];
  /** Parameters the function returns. */
  returns?: readonly DetachedTaint[];
  /** Parameter names, for keyword arguments (Python). */
  params?: readonly string[];
}

export type ExportedSinks = ExportedSinksOf<SinkPattern>;
export type PyExportedSinks = ExportedSinksOf<PySinkPattern>;

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
 * The workspace modules a file imports, by specifier as the file writes it: a JS/TS one
 * (`./db`, `../lib/users.js`, `@/lib/db` through the project's tsconfig), or a Python module
 * (`.db`, `app.services.reports`).
 */
export interface ImportedModules {
  /** The module's sinks; undefined when the specifier names no module of the workspace. */
  sinks(specifier: string): ModuleSinks | undefined;
  /** Whether the specifier names a module of the workspace (nothing is analysed to say so). */
  inWorkspace(specifier: string): boolean;
}

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
    // Offered from the handler's finding, as an edit of this file.
    sqlFix: (call, method, receiver, access) => sqlParameterizationFix({ call, method, receiver, access, sourceFile, text, data, facts, dependencies: context.dependencies }),
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
    const sinks = exportedSinks(context, fn, summary, (node: ts.Node) => ({ start: node.getStart(sourceFile), end: node.end }));
    if (sinks) exports.set(name, sinks);
  }
  if (context.importedModules) reexports(sourceFile, context.importedModules, exports);
  return { file: context.path, exports, key: keyOf(exports) };
}

/**
 * What a barrel file passes on: `export * from './users'`, `export { getUser as find } from
 * './users'`, `export * as users from './users'` (the module's own exports win over `*`).
 */
function reexports(sourceFile: ts.SourceFile, imported: ImportedModules, exports: Map<string, ExportedSinks>): void {
  for (const statement of sourceFile.statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly || !statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const from = imported.sinks(statement.moduleSpecifier.text)?.exports;
    if (!from?.size) continue;
    const clause = statement.exportClause;
    if (!clause) {
      for (const [name, sinks] of from) if (name !== 'default' && !name.startsWith('default.') && !exports.has(name)) exports.set(name, sinks);
    } else if (ts.isNamespaceExport(clause)) {
      for (const [name, sinks] of from) exports.set(`${clause.name.text}.${name}`, sinks);
    } else {
      for (const element of clause.elements) {
        const original = (element.propertyName ?? element.name).text;
        for (const [name, sinks] of from) {
          if (name === original) exports.set(element.name.text, sinks);
          else if (name.startsWith(`${original}.`)) exports.set(`${element.name.text}${name.slice(original.length)}`, sinks);
        }
      }
    }
  }
}

/** A summary's parameter hits (each with where its sink is) and returned parameters, detached; undefined when it has neither. */
export function exportedSinks<Pattern extends { rule: { id: string } }, Node>(
  context: FileContext,
  fn: unknown,
  summary: { hits: readonly SummaryHit<Pattern, Node>[]; returns?: { taints?: readonly AnyTaint[] } },
  spanOf: (node: Node) => { start: number; end: number },
): ExportedSinksOf<Pattern> | undefined {
  const hits: ParameterSink<Pattern>[] = [];
  let directives: InlineDirective[] | undefined;
  for (const hit of summary.hits) {
    if (hit.taint.origin.kind !== 'param') continue;
    const fixes = hit.fixes?.map((fix) => (fix.kind === 'edit' && !fix.target ? inThisFile(context, fix) : fix));
    let remote = hit.remote;
    if (!remote) {
      const { start, end } = spanOf(hit.node);
      const range = context.rangeOf(start, end);
      directives ??= parseDirectives(context.text, context.lines);
      const ignored = directiveFor(directives, hit.pattern.rule.id, range.start.line);
      remote = { file: context.path, range, text: context.text.slice(start, end), start, ...(ignored ? { suppressedBecause: ignored.reason || '(no reason given)' } : {}) };
    }
    hits.push({ pattern: hit.pattern, requirement: hit.requirement, taint: detached(hit.taint, hit.taint.origin.index), remote, ...(fixes?.length ? { fixes } : {}) });
  }
  const returns: DetachedTaint[] = [];
  for (const taint of summary.returns?.taints ?? []) if (taint.origin.kind === 'param' && taint.origin.fn === fn) returns.push(detached(taint, taint.origin.index));
  return hits.length || returns.length ? { hits, ...(returns.length ? { returns } : {}) } : undefined;
}

/** A fix decided at a sink of this module, for a finding in another file: it names this file and the text it replaces. */
function inThisFile(context: FileContext, fix: Extract<FixHint, { kind: 'edit' }>): FixHint {
  return { ...fix, title: `${fix.title} (in ${context.path})`, target: { file: context.path, originals: fix.edits.map((edit) => context.text.slice(edit.start, edit.end)) } };
}

function detached(taint: AnyTaint, index: number): DetachedTaint {
  return { index, open: taint.open, whole: taint.whole, structured: taint.structured, path: taint.path, label: taint.label };
}

/** A detached parameter taint made whole again for one call: the call stands for the function and the node. */
export function attachedTaint<Node>(taint: DetachedTaint, call: Node): TaintOf<ParamOriginOf<Node>, Node> {
  return { origin: { kind: 'param', index: taint.index, fn: call }, open: taint.open, whole: taint.whole, structured: taint.structured, path: taint.path, label: taint.label, node: call };
}

interface SummaryHit<Pattern, Node> {
  pattern: Pattern;
  node: Node;
  requirement: 'any' | 'whole' | 'structured';
  taint: AnyTaint;
  remote?: RemoteSink;
  fixes?: FixHint[];
}

/** Everything a caller's findings take from the module's sinks, as text. */
export function keyOf(exports: ReadonlyMap<string, ExportedSinksOf<{ rule: { id: string }; label: string }>>): string {
  const taintKey = (taint: DetachedTaint) => [taint.index, taint.path.join('.'), taint.open, taint.whole, taint.structured, taint.label];
  return JSON.stringify([...exports].map(([name, { hits, returns }]) => [
    name,
    hits.map((hit) => [hit.pattern.rule.id, hit.pattern.label, hit.requirement, taintKey(hit.taint), hit.remote.file, hit.remote.range, hit.remote.start, hit.remote.text, hit.remote.suppressedBecause ?? '']),
    (returns ?? []).map(taintKey),
  ]));
}
