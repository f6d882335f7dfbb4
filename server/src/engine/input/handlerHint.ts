import { escapeRegExp } from '../text/escapeRegExp';
import { RESPONSE_TYPES } from './handlers';
import { isNetlifyFunction } from './fileFacts';
import { pagesFunctionPath } from '../routes/js/conventionPaths';
import type { InputRuleData } from './ruleData';

/**
 * Whether a JS/TS file can hold a request handler (or call a source function), decided from
 * text before parsing. Reading `request.headers` next to a sink-like call is everyday code in
 * HTTP *client* libraries — pipelines, retry policies, fetch wrappers — and without a handler
 * there is no flow to report: parsing those files was a third of a full scan (on the benchmark
 * corpus, 235 files read a request and call a sink-like method; 30 have a hint of a handler).
 *
 * It is meant never to say no where `detectHandler` (handlers.ts) could say yes, so each clause
 * mirrors one way a function becomes a handler, loosely: a framework or source module named in
 * the file, a 'use server' directive, an exported Next.js route function, a page file, a
 * function with `(request, response)` parameters or a `(ctx, next)` signature, or a request-like
 * function passed to a registration call (`app.post('/x', …, async (req) => …)`). Two clauses
 * are bounded so they stay linear: the function starts within 2,000 characters of the call, and
 * a parameter list holds no parentheses of its own.
 */
export function mayHoldHandler(text: string, projectPath: string, data: InputRuleData): boolean {
  const hints = hintsFor(data);
  if (!hints) return true;
  const path = projectPath.replace(/\\/g, '/');
  if (data.handlers.pageFilePattern.test(path) || isNetlifyFunction(path) || pagesFunctionPath(path) !== undefined) return true;
  if (text.includes('use server')) return true;
  if (hints.module.test(text) || hints.routeExport.test(text) || hints.responseSignature.test(text) || hints.koaSignature.test(text)) return true;
  if (FETCH_SERVER.test(text) || (text.includes('export default') && FETCH_MEMBER.test(text))) return true;
  return passesRequestFunctionToRegistration(text, hints);
}

/** A file serving web-standard requests (FileFacts.fetchServer): `Deno.serve`, `Bun.serve`, Deno's std/http. */
export const FETCH_SERVER = /\b(?:Deno|Bun)\.serve\b|['"](?:jsr:)?@std\/http\b|deno\.land\/std(?:@[^/'"\n]{1,40})?\/http\//;
/** `export default { fetch(request) … }` or `{ fetch: handler }` (workers). */
export const FETCH_MEMBER = /\bfetch\s*[(:]/;

/** How far after `app.get(` a request-like function may start: path, options and middleware come first. */
const REGISTRATION_WINDOW = 2000;

interface Hints {
  module: RegExp;
  routeExport: RegExp;
  responseSignature: RegExp;
  koaSignature: RegExp;
  registration: RegExp;
  requestFunction: RegExp;
}

let compiled: { data: InputRuleData; hints: Hints | undefined } | undefined;

/** The hint's regular expressions by name (for the pattern-safety test); empty when there is no hint. */
export function handlerHintPatterns(data: InputRuleData): Record<string, RegExp> {
  return { ...hintsFor(data) };
}

/** undefined when a source function needs no import: then any file may read input. */
function hintsFor(data: InputRuleData): Hints | undefined {
  if (compiled?.data !== data) compiled = { data, hints: compileHints(data) };
  return compiled.hints;
}

function compileHints(data: InputRuleData): Hints | undefined {
  if (!data.sourceFunctionModules) return undefined;
  const { handlers } = data;
  const alternatives = (names: readonly string[]) => [...new Set(names)].map(escapeRegExp).join('|');
  const modules = alternatives([...handlers.frameworkModules, ...handlers.contextModules, ...handlers.nestModules, ...data.sourceFunctionModules]);
  const routeNames = alternatives(handlers.nextRouteExports);
  const responseNames = alternatives(handlers.responseNames);
  const requestish = alternatives([...handlers.requestNames, ...handlers.contextNames]);
  const requestTypes = alternatives([...handlers.requestTypes, ...handlers.contextTypes]);
  // A parameter's type may hold commas and line breaks (Request<{}, {}, Body>): bounded, lazily.
  const type = '(?::[^()]{0,200}?)?';
  return {
    module: new RegExp(`['"](?:${modules})(?:/[^'"\\n]{0,200})?['"]`),
    routeExport: new RegExp(`\\bexport\\s+(?:async\\s+)?function\\s+(?:${routeNames})\\b|\\bexport\\s+(?:const|let|var)\\s+(?:${routeNames})\\b`),
    // A request and a response parameter (then `=>`, `{` or a return type), not a call such as `log(request, response)`.
    responseSignature: new RegExp(`\\(\\s*(?:(?:${alternatives(handlers.requestNames)})\\s*(?:\\?\\s*)?${type}|[\\w$]+\\s*(?:\\?\\s*)?:\\s*(?:${alternatives(handlers.requestTypes)})\\b[^()]{0,200}?),\\s*(?:(?:${responseNames})\\b|[\\w$]+\\s*:\\s*(?:${alternatives(RESPONSE_TYPES)})\\b)[^()]{0,200}\\)\\s*(?:=>|\\{|:)`),
    koaSignature: new RegExp(`\\(\\s*ctx\\s*${type},\\s*next\\b`),
    registration: new RegExp(`\\.(?:${alternatives(handlers.registrationMethods)})\\s*\\(`, 'g'),
    // A function, not a call: `function (req`, `(req, res) =>` (or `(req): T =>`), `req =>`, or a typed parameter.
    requestFunction: new RegExp(
      [
        `\\bfunction(?:\\s*\\*)?(?:\\s+[\\w$]{1,100})?\\s*\\(\\s*(?:${requestish})\\s*[,):=?]`,
        `\\(\\s*(?:${requestish})\\s*(?:[,:=?][^()]{0,200})?\\)\\s*(?:=>|:)`,
        `(?:^|[^\\w$.])(?:${requestish})\\s*=>`,
        `\\(\\s*[\\w$]+\\s*\\??:\\s*(?:${requestTypes})\\b`,
      ].join('|'),
      'g',
    ),
  };
}

/** A request- or context-like function starting within REGISTRATION_WINDOW of a registration call. Linear: each search resumes where the last stopped. */
function passesRequestFunctionToRegistration(text: string, hints: Hints): boolean {
  const { registration, requestFunction } = hints;
  registration.lastIndex = 0;
  let nextFunction = -1;
  for (let call = registration.exec(text); call; call = registration.exec(text)) {
    if (nextFunction < call.index) {
      requestFunction.lastIndex = call.index;
      const found = requestFunction.exec(text);
      if (!found) return false;
      nextFunction = found.index;
    }
    if (nextFunction - call.index <= REGISTRATION_WINDOW) return true;
  }
  return false;
}
