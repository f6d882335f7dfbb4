import type { FileContext } from '../fileContext';
import type { Finding } from '../types';
import { mayHoldHandler } from './handlerHint';
import { isAnalysedScript, mayCallWorkspaceModule, mayHoldSink, mayReadRequest } from './inputPrefilter';
import type { ImportedModules } from './moduleSinks';
import { holdsHandler } from './handlers';
import { collectFileFacts, libraryPresent } from './fileFacts';
import { runFlowAnalysis } from './incrementalFlow';
import { InputFindingCollector } from './inputFindings';
import { inputRuleData } from './ruleData';
import { sqlParameterizationFix } from './fixes/sqlParameterize';
import { sourceFixes } from './fixes/sourceFixes';
import { detectPythonInputFlows } from './python/detectPythonInputFlows';

/**
 * The input detector: request input that reaches a database query, shell, code evaluation,
 * file path, redirect, outbound request, HTML response or whole-object write unchecked.
 * Runs on every keystroke, so it first decides from the text whether the file can have both
 * a request source and a sink, and only then asks for the parse tree.
 */

export function detectInputFlows(context: FileContext): Finding[] {
  if (context.language.id === 'python') return detectPythonInputFlows(context);
  if (!isAnalysedScript(context)) return [];
  const text = context.text;
  const data = inputRuleData();
  // A handler with no sink of its own may pass input to a module that has one.
  if (!mayReadRequest(text) || !(mayHoldSink(text) || (context.importedModules && mayCallWorkspaceModule(text))) || !mayHoldHandler(text, context.projectPath, data)) return [];
  const sourceFile = context.sourceFile();
  if (!sourceFile) return [];

  const facts = collectFileFacts(sourceFile, context.projectPath, data);
  const collector = new InputFindingCollector(context, sourceFile, data);
  const validators = new Set(context.config.validators);
  // Other modules are worth reading only for a file with a handler: files that merely look like
  // one (HTTP client code reading `request.headers`) call their modules with arguments all the time.
  const importedModules = context.importedModules && holdsHandler(sourceFile, { data, facts, validators }) ? context.importedModules : undefined;
  // Besides the tree, the results depend on the configuration, the project's dependencies and the file's place.
  const analysisContext = [context.projectPath, facts.useServer, facts.pageFile, [...validators].join(','), [...context.dependencies].join(','), importedKey(context, importedModules, facts.modules)].join('\n');
  runFlowAnalysis(
    context.reparsedIncrementally,
    {
      sourceFile,
      text,
      data,
      facts,
      validators,
      libraryPresent: (libraries) => libraryPresent(facts, context.dependencies, libraries),
      report: (hit) => collector.add(hit),
      ...(importedModules ? { importedModules } : {}),
      sqlFix: (call, method, receiver, access) => sqlParameterizationFix({ call, method, receiver, access, sourceFile, text, data, facts, dependencies: context.dependencies }),
    },
    analysisContext,
  );
  const findings: Finding[] = [];
  const fixesFor = sourceFixes({ sourceFile, text, data, facts, dependencies: context.dependencies, projectPath: context.projectPath, groups: collector.groups() });
  for (const hits of collector.groups()) {
    try {
      findings.push(collector.toFinding(hits, fixesFor(hits)));
    } catch {
      findings.push(collector.toFinding(hits, []));
    }
  }
  return findings;
}

/**
 * What the file's kept results (an editor's incremental analysis) depend on in the modules it
 * imports: the statements that call them are replayed only while this stays the same. A fresh
 * analysis asks for a module only when a call to it carries input.
 */
function importedKey(context: FileContext, imported: ImportedModules | undefined, modules: ReadonlySet<string>): string {
  if (!imported || !context.reparsedIncrementally) return '';
  const keys: string[] = [];
  for (const specifier of [...modules].sort()) {
    const key = imported.sinks(specifier)?.key;
    if (key !== undefined) keys.push(`${specifier}=${key}`);
  }
  return keys.join('\n');
}
