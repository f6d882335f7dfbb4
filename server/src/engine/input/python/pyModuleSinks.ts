import type { FileContext } from '../../fileContext';
import { exportedSinks, keyOf, type ModuleSinks, type PyExportedSinks } from '../moduleSinks';
import { collectPyFileFacts, pyLibraryPresent } from './pyFileFacts';
import { PyFlowAnalysis } from './pyFlow';
import { pyInputData } from './pyRuleData';
import type { PyNode } from '../../python/ast';
import { PYTHON_TEST_FILE } from './detectPythonInputFlows';
import { pySqlParameterizationFix } from './fixes/pySqlParameterize';

/**
 * A Python module's functions as other files call them (`from .db import get_user`,
 * `services.reports.run(kind)`): which parameters reach which sinks, and which come back in
 * the return value. The Python side of ../moduleSinks.ts.
 */

/** A function or class at the top level: without one a module gives callers nothing. */
export const TOP_LEVEL_FUNCTION = /^(?:(?:async[ \t]+)?def|class)[ \t]/m;

export function pythonModuleSinks(context: FileContext): ModuleSinks {
  const none: ModuleSinks = { file: context.path, exports: new Map(), key: '' };
  if (PYTHON_TEST_FILE.test(context.projectPath.replace(/\\/g, '/')) || !TOP_LEVEL_FUNCTION.test(context.text)) return none;
  const module = context.pythonModule();
  if (!module) return none;
  const data = pyInputData();
  const facts = collectPyFileFacts(module, data);
  const analysis = new PyFlowAnalysis({
    module,
    text: context.text,
    data,
    facts,
    validators: new Set(context.config.validators),
    libraryPresent: (libraries) => pyLibraryPresent(facts, context.dependencies, libraries),
    // Handlers in the module report in its own analysis.
    report: () => undefined,
    // Offered from the handler's finding, as an edit of this module.
    sqlFix: (call, site, isTainted) => pySqlParameterizationFix({ call, site, text: context.text, module, data, facts, dependencies: context.dependencies, isTainted }),
    ...(context.importedModules ? { importedModules: context.importedModules } : {}),
  });
  let functions: ReturnType<PyFlowAnalysis['moduleFunctions']>;
  try {
    analysis.run();
    functions = analysis.moduleFunctions();
  } catch {
    return none;
  }
  const pythonExports = new Map<string, PyExportedSinks>();
  for (const { name, fn, summary, bound } of functions) {
    const sinks = exportedSinks(context, fn, summary, (node: PyNode) => node);
    if (!sinks) continue;
    const params = fn.params.map((param) => param.name);
    // A method called on an instance: the call's first argument is its second parameter.
    pythonExports.set(name, bound ? { hits: sinks.hits.map((hit) => ({ ...hit, taint: { ...hit.taint, index: hit.taint.index - 1 } })), ...(sinks.returns ? { returns: sinks.returns.map((taint) => ({ ...taint, index: taint.index - 1 })) } : {}), params: params.slice(1) } : { ...sinks, params });
  }
  return { file: context.path, exports: new Map(), pythonExports, key: keyOf(pythonExports) };
}
