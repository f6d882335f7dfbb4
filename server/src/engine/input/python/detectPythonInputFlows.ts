import type { FileContext } from '../../fileContext';
import type { Finding, FixHint } from '../../types';
import { collectPyFileFacts, pyLibraryPresent } from './pyFileFacts';
import { PyFlowAnalysis } from './pyFlow';
import { PyInputFindingCollector } from './pyInputFindings';
import { pyInputData } from './pyRuleData';
import { pyPickFieldsFix } from './fixes/pyPickFields';
import { pySqlParameterizationFix } from './fixes/pySqlParameterize';

/**
 * The input detector for Python: request input in Flask, Django / DRF / Ninja and FastAPI
 * handlers that reaches a database query, shell, `eval`, file path, redirect, outbound
 * request, HTML or a whole-object write unchecked. Runs on every keystroke, so it decides
 * from the text first whether the file can read a request at all, and only then asks for the
 * parse tree (shared with the route detector through FileContext).
 */

/** Tests, fixtures and conftest never receive real requests. */
export const PYTHON_TEST_FILE = /(^|\/)(tests?|testing|__tests__|fixtures?)\/|(^|\/)(test_[^/]*|[^/]*_tests?|conftest)\.py$/i;

/** A request object, or a FastAPI / Ninja handler whose parameters are the input. */
const SOURCE_HINT = /\brequest\b|\b(?:FastAPI|APIRouter|NinjaAPI)\b|@\w+(?:\.\w+)*\.(?:route|get|post|put|patch|delete|api_route)\s*\(/;

let sinkHint: RegExp | undefined;

function sinkHintPattern(): RegExp {
  if (!sinkHint) {
    const data = pyInputData();
    const names = data.sinkNames.map((name) => name.replace(/[$]/g, '\\$'));
    // A Flask view's return value is a sink too (HTML built from input).
    sinkHint = new RegExp(`\\b(?:${[...names, 'return', 'objects'].join('|')})\\b|\\*\\*`);
  }
  return sinkHint;
}

/** `knownViews`: the URL configuration names views of this file, so input needs no sign in the text (a Flask MethodView reads no `request`). */
export function mayHavePythonInputFlows(projectPath: string, text: string, knownViews = false): boolean {
  if (PYTHON_TEST_FILE.test(projectPath.replace(/\\/g, '/'))) return false;
  return (knownViews || SOURCE_HINT.test(text)) && sinkHintPattern().test(text);
}

export function detectPythonInputFlows(context: FileContext): Finding[] {
  if (context.language.id !== 'python' || !mayHavePythonInputFlows(context.projectPath, context.text, !!context.viewParameters?.size)) return [];
  const module = context.pythonModule();
  if (!module) return [];
  const data = pyInputData();
  const facts = collectPyFileFacts(module, data);
  // No web framework imported: a worker, a script or a library; its functions are never guessed
  // to be handlers (unless the URL configuration routes to them).
  if (facts.frameworks.size === 0 && !context.viewParameters) return [];
  const collector = new PyInputFindingCollector(context, data);
  const text = context.text;
  const analysis = new PyFlowAnalysis({
    module,
    text,
    data,
    facts,
    validators: new Set(context.config.validators),
    libraryPresent: (libraries) => pyLibraryPresent(facts, context.dependencies, libraries),
    report: (hit) => collector.add(hit),
    sqlFix: (call, site, isTainted) => pySqlParameterizationFix({ call, site, text, module, data, facts, dependencies: context.dependencies, isTainted }),
    ...(context.viewParameters ? { viewParameters: context.viewParameters } : {}),
    ...(context.importedModules ? { importedModules: context.importedModules } : {}),
  });
  try {
    analysis.run();
  } catch {
    // Code mid-edit can be stranger than any test: keep what was found before the surprise.
  }
  const findings: Finding[] = [];
  for (const hits of collector.groups()) {
    let extra: FixHint[] = [];
    try {
      const pick = hits[0].pattern.rule.kind === 'mass' ? pyPickFieldsFix(hits[0], text) : undefined;
      if (pick) extra = [pick];
    } catch {
      extra = [];
    }
    findings.push(collector.toFinding(hits, extra));
  }
  return findings;
}
