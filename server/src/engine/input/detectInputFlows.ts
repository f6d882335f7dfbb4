import type { FileContext } from '../fileContext';
import type { Finding } from '../types';
import { mayHoldHandler } from './handlerHint';
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

/**
 * Test code, mocks and fixtures never receive real requests. Narrower than the secret scan's
 * test/docs list on purpose: `app/docs/…` and `examples/` are often real, copied code.
 */
const TEST_FILE = /(^|\/)(__tests__|__mocks__|tests?|spec|e2e|cypress|playwright|fixtures?)\/|\.(test|spec|stories|e2e)\.[cm]?[jt]sx?$/i;

/**
 * A file can only hold a request source if it reads one the way handlers do — `req.body`,
 * `request.json()`, `ctx.query`, `c.req`, `searchParams`, a 'use server' file, NestJS
 * parameter decorators, destructuring `const { body } = req`, or a handler that hands its
 * request on whole: `(req, res)`, `(request) => {`, `function POST(request: Request) {` — not
 * merely because it says "request" or passes one to a call: `sign(request, key)` is what
 * client libraries say everywhere (on the benchmark corpus such files were 40 % of all parsing
 * and yielded nothing).
 */
const SOURCE_HINT = /\b(?:req|request|ctx|context|event)\s*\??\.\s*(?:body|query|params|headers|cookies|json|formData|text|nextUrl|url|files?|param|header|get|request|req|payload|data|searchParams|valid)\b|\bsearchParams\b|['"]use server['"]|@(?:Body|Query|Param|Headers|Req|Request)\s*\(|\bc\.req\b|\}\s*=\s*(?:req|request|ctx|context)\s*(?:;|\n)|\(\s*(?:req|request)\s*(?::[^,()\n]{0,200})?,\s*(?:res|response|reply|resp)\b|\b(?:req|request)\s*(?::\s*[\w.]+(?:<[^<>()\n]{0,200}>)?\s*)?\)\s*(?::[^{=;\n]{0,200})?(?:=>|\{)/;

let sinkHint: RegExp | undefined;

function sinkHintPattern(): RegExp {
  if (!sinkHint) {
    const names = inputRuleData().sinkNames.map((name) => name.replace(/[$]/g, '\\$'));
    sinkHint = new RegExp(`(?:^|[^\\w$])(?:${names.join('|')})(?![\\w$])`);
  }
  return sinkHint;
}

export function detectInputFlows(context: FileContext): Finding[] {
  if (context.language.id === 'python') return detectPythonInputFlows(context);
  if (!context.language.isScript || /\.d\.[cm]?ts$/i.test(context.path)) return [];
  if (TEST_FILE.test(context.projectPath.replace(/\\/g, '/'))) return [];
  const text = context.text;
  const data = inputRuleData();
  if (!SOURCE_HINT.test(text) || !sinkHintPattern().test(text) || !mayHoldHandler(text, context.projectPath, data)) return [];
  const sourceFile = context.sourceFile();
  if (!sourceFile) return [];

  const facts = collectFileFacts(sourceFile, context.projectPath, data);
  const collector = new InputFindingCollector(context, sourceFile, data);
  const validators = new Set(context.config.validators);
  // Besides the tree, the results depend on the configuration, the project's dependencies and the file's place.
  const analysisContext = [context.projectPath, facts.useServer, facts.pageFile, [...validators].join(','), [...context.dependencies].join(',')].join('\n');
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
