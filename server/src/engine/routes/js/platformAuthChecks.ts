import ts = require('typescript');
import type { TextEdit } from '../../types';
import type { AuthInsertion } from '../routeFacts';
import type { JsFileContext } from './jsFileContext';
import { rootIdentifier } from '../../js/astUtil';

/**
 * The "Require authentication" fix of platform functions, whose platform lets anyone call them:
 * a check written at the top of the handler, in the platform's own terms — so that applying it
 * makes the route authenticated in the next analysis, and nothing else changes. Undefined when
 * the handler's shape leaves no safe place for it (an expression body, a parameter that is not
 * a plain name, a Supabase handler that is not async).
 */

type CheckInsertion = AuthInsertion & { kind: 'check' };

/**
 * Supabase Edge Function: a client made with the caller's Authorization header, and 401 when
 * `auth.getUser()` finds no user. Written after a leading CORS preflight answer, which browsers
 * send without credentials.
 */
export function supabaseUserCheck(fn: ts.SignatureDeclaration, context: JsFileContext): CheckInsertion | undefined {
  const request = plainParameter(fn, 0);
  const body = blockBody(fn);
  if (!request || !body || !(ts.canHaveModifiers(fn) && ts.getModifiers(fn)?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword))) return undefined;
  const preflight = body.statements.find((statement, index) => index === 0 && ts.isIfStatement(statement) && /\.method\s*===?\s*['"]OPTIONS['"]|['"]OPTIONS['"]\s*===?\s*\w+\.method/.test(context.text(statement.expression)));
  const indent = indentOf(body, context);
  const edits: TextEdit[] = [];
  if (!context.imports.has('createClient')) {
    const end = importsEnd(context);
    edits.push({ start: end, end, newText: `${end > 0 ? '\n' : ''}import { createClient } from "npm:@supabase/supabase-js@2";${end > 0 ? '' : '\n'}` });
  }
  const at = preflight ? preflight.end : body.getStart(context.sourceFile) + 1;
  edits.push({
    start: at,
    end: at,
    newText: [
      '',
      `${indent}// Supabase lets anyone with the public anon key call this: check who the caller is.`,
      `${indent}const { data: { user } } = await createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {`,
      `${indent}  global: { headers: { Authorization: ${request}.headers.get("Authorization") ?? "" } },`,
      `${indent}}).auth.getUser();`,
      `${indent}if (!user) return new Response("Unauthorized", { status: 401 });`,
    ].join('\n'),
  });
  return { kind: 'check', offset: at, check: { title: 'Require a signed-in user (supabase.auth.getUser())', edits } };
}

/**
 * Firebase callable function: throw `unauthenticated` when the request carries no user —
 * `request.auth` in v2 (HttpsError from the module `onCall` came from), `context.auth` in v1
 * (`functions.https.HttpsError` through the same namespace as the callee).
 */
export function firebaseCallableCheck(fn: ts.SignatureDeclaration, callee: ts.Expression, context: JsFileContext): CheckInsertion | undefined {
  const body = blockBody(fn);
  if (!body) return undefined;
  const v1 = fn.parameters.length === 2 || plainParameter(fn, 0) === 'data';
  const holder = plainParameter(fn, v1 ? 1 : 0);
  if (!holder) return undefined;
  const edits: TextEdit[] = [];
  let error: string;
  const root = rootIdentifier(callee)?.text;
  const rootImport = root ? context.imports.get(root) : undefined;
  if (!root || !rootImport) return undefined;
  if (rootImport.imported === '*' || rootImport.imported === 'default') {
    // `functions.https.onCall` → `functions.https.HttpsError`; `https.onCall` (a namespace of …/https) → `https.HttpsError`.
    error = /\/https$/.test(rootImport.module) ? `${root}.HttpsError` : `${root}.https.HttpsError`;
  } else if (rootImport.imported === 'https') {
    error = `${root}.HttpsError`;
  } else if (context.imports.has('HttpsError')) {
    error = 'HttpsError';
  } else {
    const named = namedImportOf(context, rootImport.module);
    if (!named) return undefined;
    const last = named.elements[named.elements.length - 1];
    edits.push({ start: last.end, end: last.end, newText: ', HttpsError' });
    error = 'HttpsError';
  }
  const indent = indentOf(body, context);
  const at = body.getStart(context.sourceFile) + 1;
  edits.push({ start: at, end: at, newText: `\n${indent}if (!${holder}.auth) throw new ${error}("unauthenticated", "Sign in first.");` });
  return { kind: 'check', offset: at, check: { title: `Require a signed-in user (${holder}.auth)`, edits } };
}

function plainParameter(fn: ts.SignatureDeclaration, index: number): string | undefined {
  const parameter = fn.parameters[index];
  return parameter && ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
}

function blockBody(fn: ts.SignatureDeclaration): ts.Block | undefined {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  return body && ts.isBlock(body) ? body : undefined;
}

/** The indentation of the body's first statement, or two spaces more than the line the body starts on. */
function indentOf(body: ts.Block, context: JsFileContext): string {
  const text = context.sourceFile.text;
  const from = body.statements[0]?.getStart(context.sourceFile) ?? body.getStart(context.sourceFile);
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const leading = /^[ \t]*/.exec(text.slice(lineStart, from))?.[0] ?? '';
  return body.statements.length ? leading : `${leading}  `;
}

function importsEnd(context: JsFileContext): number {
  let end = 0;
  for (const statement of context.sourceFile.statements) if (ts.isImportDeclaration(statement)) end = statement.end;
  return end;
}

/** The `{ … }` of the file's named import from `module`. */
function namedImportOf(context: JsFileContext, module: string | undefined): ts.NamedImports | undefined {
  for (const statement of context.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings) && bindings.elements.length && !statement.importClause?.isTypeOnly) return bindings;
  }
  return undefined;
}
