import type { FileContext } from '../fileContext';
import { inputRuleData } from './ruleData';

/**
 * What the JS/TS input analysis decides from a file's path and text before it asks for a parse
 * tree: handler files (detectInputFlows.ts) and modules whose exported functions a handler
 * calls (moduleSinks.ts) alike.
 */

/**
 * Test code, mocks and fixtures never receive real requests. Narrower than the secret scan's
 * test/docs list on purpose: `app/docs/…` and `examples/` are often real, copied code.
 */
export const TEST_FILE = /(^|\/)(__tests__|__mocks__|tests?|spec|e2e|cypress|playwright|fixtures?)\/|\.(test|spec|stories|e2e)\.[cm]?[jt]sx?$/i;

/** A JS/TS file that is not a type declaration file or test code. */
export function isAnalysedScript(context: FileContext): boolean {
  return !!context.language.isScript && !/\.d\.[cm]?ts$/i.test(context.path) && !TEST_FILE.test(context.projectPath.replace(/\\/g, '/'));
}

/**
 * A file can only hold a request source if it reads one the way handlers do — `req.body`,
 * `request.json()`, `ctx.query`, `c.req`, `searchParams`, a 'use server' file, NestJS
 * parameter decorators, destructuring `const { body } = req`, or a handler that hands its
 * request on whole: `(req, res)`, `(request) => {`, `function POST(request: Request) {` — not
 * merely because it says "request" or passes one to a call: `sign(request, key)` is what
 * client libraries say everywhere (on the benchmark corpus such files were 40 % of all parsing
 * and yielded nothing). A return type holds no brackets or braces, which keeps the pattern
 * linear: each try stops at the next `)`.
 */
const SOURCE_HINT = /\b(?:req|request|ctx|context|event)\s*\??\.\s*(?:body|query|params|headers|cookies|json|formData|text|nextUrl|url|files?|param|header|get|request|req|payload|data|searchParams|valid|queryStringParameters|multiValueQueryStringParameters|pathParameters)\b|\bsearchParams\b|['"]use server['"]|@(?:Body|Query|Param|Headers|Req|Request)\s*\(|\bc\.req\b|\bonCall\s*\(|\}\s*=\s*(?:req|request|ctx|context)\s*(?:;|\n)|\(\s*(?:req|request)\s*(?::[^,()\n]{0,200})?,\s*(?:res|response|reply|resp)\b|\b(?:req|request)\s*(?::\s*[\w.]+(?:<[^<>()\n]{0,200}>)?\s*)?\)\s*(?::[^(){}=;\n]{0,200})?(?:=>|\{)/;

export function mayReadRequest(text: string): boolean {
  return SOURCE_HINT.test(text);
}

let sinkHint: RegExp | undefined;

/** Whether the text names a sink (a call, property or constructor some sink rule matches). */
export function mayHoldSink(text: string): boolean {
  if (!sinkHint) {
    const names = inputRuleData().sinkNames.map((name) => name.replace(/[$]/g, '\\$'));
    sinkHint = new RegExp(`(?:^|[^\\w$])(?:${names.join('|')})(?![\\w$])`);
  }
  return sinkHint.test(text);
}

/**
 * A relative import or require, or one through a path alias (`@/lib/db`, `~/lib/db`, `#lib/db`):
 * input may reach a sink in the module it names (moduleSinks.ts).
 */
const RELATIVE_IMPORT = /(?:\bfrom|\brequire\s*\(|\bimport\s*\()\s*['"](?:\.\.?\/|[@~]\/|#)/;

export function mayCallWorkspaceModule(text: string): boolean {
  return RELATIVE_IMPORT.test(text);
}

/** The patterns above that run over whole files, for the ReDoS check. */
export const INPUT_PREFILTER_PATTERNS = { SOURCE_HINT, RELATIVE_IMPORT };
