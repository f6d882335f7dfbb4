import ts = require('typescript');
import { calleeName, dottedName, numberValue, rootIdentifier, stringValue } from '../../js/astUtil';
import type { AuthCheck, SourceSpan, ValueRef } from '../routeFacts';
import { isCredentialName, isSessionCall, looksLikeAuthName, verifyCall } from '../authSignals';
import type { JsFileContext } from './jsFileContext';
import { alwaysExits, switchStatementsFor, thenRunsFor } from './requestMethod';

/**
 * What a function body says about authentication, read in source order:
 * - an auth check: a call that verifies identity and rejects by itself (jwt.verify,
 *   auth.protect(), stripe.webhooks.constructEvent), or a rejection (401, 403 on a
 *   credential condition, redirect to a login page) guarding the work;
 * - whether that check comes only after the body has already done work (written to a
 *   database, called an API), which protects nothing;
 * - the plain function calls made before any work, which may be the project's own auth
 *   helpers (resolved across files later).
 */
export interface BodyAuth {
  authCheck?: AuthCheck;
  checkAfterWork?: AuthCheck;
  firstWork?: SourceSpan;
  callsAtStart: ValueRef[];
}

/** Objects whose method calls are not "work": reading the request, answering, logging, validating. */
const HARMLESS_ROOTS = new Set([
  'console', 'logger', 'log', 'JSON', 'Math', 'Number', 'String', 'Boolean', 'Object', 'Array', 'Date', 'Promise', 'URL', 'URLSearchParams',
  'z', 'Joi', 'yup', 'v', 'schema', 'NextResponse', 'Response', 'Headers', 'res', 'reply', 'response', 'ctx', 'c', 'context', 'event', 'h',
  'req', 'request', 'headers', 'cookies', 'params', 'searchParams', 'formData', 'body', 'query', 'next', 'error', 'redirect', 'json', 'Buffer', 'crypto', 'path',
]);

const REJECTING_EXCEPTIONS = /^(Unauthorized|Forbidden|Authentication|NotAuthenticated|Unauthenticated|Auth|Permission|Access)\w*(Exception|Error)$|^HttpException$|^HTTPException$|^HttpError$/;
const LOGIN_PATH = /^\/?(api\/)?(auth|login|log-in|signin|sign-in|signup|sign-up|account\/login|users\/sign_in)\b/i;
const MAX_DEPTH = 200;

// The walk below looks at every node of every handler: kinds are compared as constants read
// once (each `ts.isX` or `ts.SyntaxKind.X` is a property look-up on a very large object).
const {
  FunctionDeclaration, FunctionExpression, ArrowFunction, ClassDeclaration, ClassExpression, IfStatement, SwitchStatement, ConditionalExpression,
  VariableDeclaration, CallExpression, NewExpression, ThrowStatement, ReturnStatement, BinaryExpression, Identifier, LastToken, EqualsToken,
} = ts.SyntaxKind;

/**
 * Results kept per function node. After an edit, TypeScript's incremental parser reuses the
 * nodes of unchanged functions (shifting their positions), so their analysis is reused too;
 * spans are kept relative to the function and placed again on the way out. The file's symbol
 * table is part of the key: a new import can change what a call refers to.
 */
interface CachedBody {
  symbols: string;
  authCheck?: RelativeCheck;
  checkAfterWork?: RelativeCheck;
  firstWork?: { start: number; end: number };
  callsAtStart: ValueRef[];
}

interface RelativeCheck {
  description: string;
  start: number;
  end: number;
  webhook?: boolean;
}

/** By function node, then by the request method the body was read for ('' for all). */
const bodyCache = new WeakMap<ts.Node, Map<string, CachedBody>>();

/**
 * `method`: read the body as it runs for this HTTP method, skipping branches on `req.method`
 * for others (a Next.js pages/api handler serves every method from one function).
 */
export function analyzeBody(fn: ts.SignatureDeclaration, context: JsFileContext, method?: string): BodyAuth {
  const origin = fn.getStart(context.sourceFile);
  let byMethod = bodyCache.get(fn);
  if (!byMethod) {
    byMethod = new Map();
    bodyCache.set(fn, byMethod);
  }
  const cached = byMethod.get(method ?? '');
  if (cached && cached.symbols === context.symbolSignature) {
    const place = (check: RelativeCheck | undefined): AuthCheck | undefined => check && { description: check.description, span: context.spanBetween(origin + check.start, origin + check.end), ...(check.webhook ? { webhook: true } : {}) };
    const authCheck = place(cached.authCheck);
    const checkAfterWork = place(cached.checkAfterWork);
    return {
      ...(authCheck ? { authCheck } : {}),
      ...(checkAfterWork ? { checkAfterWork } : {}),
      ...(cached.firstWork ? { firstWork: context.spanBetween(origin + cached.firstWork.start, origin + cached.firstWork.end) } : {}),
      callsAtStart: cached.callsAtStart,
    };
  }
  const result = analyzeBodyUncached(fn, context, method);
  const relative = (check: AuthCheck | undefined): RelativeCheck | undefined => check && { description: check.description, start: check.span.start - origin, end: check.span.end - origin, ...(check.webhook ? { webhook: true } : {}) };
  byMethod.set(method ?? '', {
    symbols: context.symbolSignature,
    ...(result.authCheck ? { authCheck: relative(result.authCheck) } : {}),
    ...(result.checkAfterWork ? { checkAfterWork: relative(result.checkAfterWork) } : {}),
    ...(result.firstWork ? { firstWork: { start: result.firstWork.start - origin, end: result.firstWork.end - origin } } : {}),
    callsAtStart: result.callsAtStart,
  });
  return result;
}

function analyzeBodyUncached(fn: ts.SignatureDeclaration, context: JsFileContext, method: string | undefined): BodyAuth {
  const body = 'body' in fn ? (fn.body as ts.Node | undefined) : undefined;
  const result: BodyAuth = { callsAtStart: [] };
  if (!body) return result;
  const credentialVariables = new Set<string>();
  const requestNames = parameterNames(fn);

  // Where the walk is, kept outside the per-child callback so that no closure is made per node.
  let childDepth = 0;
  let childGuard: ts.Expression | undefined;
  const visitChild = (child: ts.Node): boolean => {
    // Tokens (identifiers, literals, keywords) have no children and are never an auth event.
    if (child.kind <= LastToken) return false;
    visit(child, childDepth, childGuard);
    return result.authCheck !== undefined || methodReturned; // nothing after the check (or the return) matters: stop the walk
  };
  const visitChildren = (node: ts.Node, depth: number, guardCondition: ts.Expression | undefined): void => {
    const outerDepth = childDepth;
    const outerGuard = childGuard;
    childDepth = depth + 1;
    childGuard = guardCondition;
    ts.forEachChild(node, visitChild);
    childDepth = outerDepth;
    childGuard = outerGuard;
  };

  // Set once the code for `method` has returned: nothing after it runs for that method.
  let methodReturned = false;
  const visit = (node: ts.Node, depth: number, guardCondition: ts.Expression | undefined): void => {
    if (depth > MAX_DEPTH || result.authCheck || methodReturned) return;
    const kind = node.kind;
    // A nested function is a separate body (callbacks run later); a returned middleware is handled by the caller.
    if (node !== body && (kind === FunctionDeclaration || kind === FunctionExpression || kind === ArrowFunction || kind === ClassDeclaration || kind === ClassExpression)) return;

    if (kind === IfStatement) {
      const statement = node as ts.IfStatement;
      // For one method, a branch on req.method that runs only for others is not read, and one
      // that runs for this method and returns is the last code this method runs.
      const thenRuns = method ? thenRunsFor(statement.expression, method, context.sourceFile) : undefined;
      visit(statement.expression, depth + 1, guardCondition);
      if (thenRuns !== false) visit(statement.thenStatement, depth + 1, statement.expression);
      if (statement.elseStatement && thenRuns !== true) visit(statement.elseStatement, depth + 1, guardCondition);
      if (thenRuns === true && alwaysExits(statement.thenStatement)) methodReturned = true;
      if (thenRuns === false && statement.elseStatement && alwaysExits(statement.elseStatement)) methodReturned = true;
      return;
    }
    if (kind === SwitchStatement && method) {
      const statements = switchStatementsFor(node as ts.SwitchStatement, method, context.sourceFile);
      if (statements) {
        for (const statement of statements) visit(statement, depth + 1, guardCondition);
        if (statements.some(alwaysExits)) methodReturned = true;
        return;
      }
    }
    if (kind === ConditionalExpression) {
      const conditional = node as ts.ConditionalExpression;
      visit(conditional.condition, depth + 1, guardCondition);
      visit(conditional.whenTrue, depth + 1, conditional.condition);
      visit(conditional.whenFalse, depth + 1, guardCondition);
      return;
    }
    if (kind === VariableDeclaration && (node as ts.VariableDeclaration).initializer) {
      const declaration = node as ts.VariableDeclaration;
      const call = firstCall(declaration.initializer!);
      const callee = call && calleeName(call);
      if (callee && (isSessionCall(callee) || verifyCall(callee, context.importOf(callee)?.module))) {
        for (const name of boundNames(declaration.name)) credentialVariables.add(name);
      }
    }

    // Only these kinds can be an auth event; skipping the rest keeps the walk cheap.
    const isCall = kind === CallExpression || kind === NewExpression;
    const callee = isCall ? calleeName(node as ts.CallExpression | ts.NewExpression) : undefined;
    if (isCall || kind === ThrowStatement || kind === BinaryExpression || kind === ReturnStatement) {
      const check = authEvent(node, guardCondition, callee);
      if (check) {
        record(check);
        return;
      }
    }
    if (isCall && !result.firstWork) {
      const call = node as ts.CallExpression | ts.NewExpression;
      if (callee && isWork(call, callee)) {
        result.firstWork = context.span(node);
      } else if (callee && call.expression.kind === Identifier) {
        const ref = context.refOf(callee);
        if (ref && ref.kind !== 'router' && !result.callsAtStart.some((existing) => sameRef(existing, ref))) result.callsAtStart.push(ref);
      }
    }
    visitChildren(node, depth, guardCondition);
  };

  const record = (check: AuthCheck) => {
    if (result.firstWork) {
      if (!result.checkAfterWork) result.checkAfterWork = check;
    } else {
      result.authCheck = check;
    }
  };

  /** An auth check at this node, or undefined; `callee` is the node's callee name when it is a call. */
  const authEvent = (node: ts.Node, guardCondition: ts.Expression | undefined, callee: string | undefined): AuthCheck | undefined => {
    const kind = node.kind;
    if (kind === CallExpression) {
      const call = node as ts.CallExpression;
      if (!callee) return undefined;
      const verified = verifyCall(callee, context.importOf(callee)?.module);
      if (verified) return { description: verified.description, span: context.span(node), ...(verified.webhook ? { webhook: true } : {}) };
      if (context.authFunctionNames.has(callee) || context.authFunctionNames.has(lastSegment(callee))) {
        return { description: `calls ${callee} (an auth check named in .shipshape.json)`, span: context.span(node) };
      }
      if (/^(require|ensure)(User|UserId|Auth|Session|Login|LoggedIn|Admin|SignedIn)$/.test(lastSegment(callee)) && !context.functions.has(callee)) {
        return { description: `calls ${callee}`, span: context.span(node) };
      }
      if (callee === 'unauthorized' || callee === 'forbidden') return { description: `calls ${callee}() when the caller is not allowed`, span: context.span(node) };
      const status = rejectionStatus(call, callee);
      if (status === 401) return { description: 'answers 401 Unauthorized when the caller is not signed in', span: context.span(node) };
      if (status === 403 && guardCondition && mentionsCredential(guardCondition)) return { description: 'answers 403 Forbidden when the caller is not allowed', span: context.span(node) };
      if (isLoginRedirect(call, callee) && (!guardCondition || mentionsCredential(guardCondition))) return { description: 'redirects anonymous visitors to sign in', span: context.span(node) };
    }
    if (kind === NewExpression && /^(Response|NextResponse)$/.test(callee ?? '') && (node as ts.NewExpression).arguments) {
      // new Response('Unauthorized', { status: 401 })
      const status = responseStatus((node as ts.NewExpression).arguments!);
      if (status === 401) return { description: 'answers 401 Unauthorized when the caller is not signed in', span: context.span(node) };
      if (status === 403 && guardCondition && mentionsCredential(guardCondition)) return { description: 'answers 403 Forbidden when the caller is not allowed', span: context.span(node) };
    }
    if (kind === ThrowStatement && (node as ts.ThrowStatement).expression && guardCondition && mentionsCredential(guardCondition)) {
      return { description: 'throws when the caller is not signed in', span: context.span(node) };
    }
    if (kind === ThrowStatement && ts.isThrowStatement(node) && node.expression && (ts.isNewExpression(node.expression) || ts.isCallExpression(node.expression))) {
      const name = dottedName(node.expression.expression) ?? '';
      const last = lastSegment(name);
      const status = numericArgument(node.expression);
      if ((REJECTING_EXCEPTIONS.test(last) && !/^Http(Exception|Error)$|^HTTPException$/.test(last)) || status === 401 || (status === 403 && guardCondition && mentionsCredential(guardCondition))) {
        return { description: `throws ${last || 'an error'} when the caller is not allowed`, span: context.span(node) };
      }
    }
    if (kind === ReturnStatement && ts.isReturnStatement(node) && node.expression && ts.isObjectLiteralExpression(node.expression)) {
      // A Netlify / AWS Lambda response: return { statusCode: 401, body: … }
      const statusCode = node.expression.properties.find((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'statusCode');
      const status = statusFrom(statusCode?.initializer);
      if (status === 401) return { description: 'answers 401 Unauthorized when the caller is not signed in', span: context.span(node) };
      if (status === 403 && guardCondition && mentionsCredential(guardCondition)) return { description: 'answers 403 Forbidden when the caller is not allowed', span: context.span(node) };
    }
    if (kind === BinaryExpression && ts.isBinaryExpression(node) && node.operatorToken.kind === EqualsToken && /\.status$/.test(dottedName(node.left) ?? '') && numberValue(node.right) === 401) {
      return { description: 'answers 401 Unauthorized when the caller is not signed in', span: context.span(node) };
    }
    return undefined;
  };

  const mentionsCredential = (condition: ts.Expression): boolean => {
    let found = false;
    const look = (node: ts.Node, depth: number): void => {
      if (found || depth > 50) return;
      if (ts.isIdentifier(node) && (isCredentialName(node.text) || credentialVariables.has(node.text))) found = true;
      else if (ts.isPropertyAccessExpression(node) && (isCredentialName(node.name.text) || /^(isAuthenticated|authorization)$/.test(node.name.text))) found = true;
      else if (ts.isCallExpression(node)) {
        const callee = calleeName(node) ?? '';
        if (isSessionCall(callee) || /isAuthenticated$/.test(callee) || looksLikeAuthName(lastSegment(callee))) found = true;
      }
      if (!found) ts.forEachChild(node, (child) => look(child, depth + 1));
    };
    look(condition, 0);
    return found;
  };

  const isWork = (node: ts.CallExpression | ts.NewExpression, callee: string): boolean => {
    if (node.kind === NewExpression) return false;
    const root = rootIdentifier(node.expression)?.text ?? callee.split('.')[0];
    if (requestNames.has(root) || HARMLESS_ROOTS.has(root)) return false;
    if (isSessionCall(callee) || verifyCall(callee) || looksLikeAuthName(lastSegment(callee))) return false;
    // A bare call to a local or imported function may be an auth helper: resolved later, not work now.
    if (node.expression.kind === Identifier) return (node.expression as ts.Identifier).text === 'fetch';
    return /\.(create|createMany|insert|insertOne|insertMany|update|updateOne|updateMany|upsert|delete|deleteOne|deleteMany|destroy|save|remove|query|execute|exec|run|send|sendMail|charge|transfer|put|post|patch|set|add|write|writeFile|unlink|rm|publish|enqueue|from|rpc)\b/.test(callee)
      || /^(db|prisma|pool|client|knex|sql|supabase|firestore|admin|stripe|mongoose|redis|fs|axios|openai|resend|sgMail|twilio|s3|bucket|collection|model)\b/i.test(root);
  };

  visit(body, 0, undefined);
  return result;
}

/** `verify` of `jwt.verify`: read for every call, so no array from split(). */
function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The status a call answers with, when it is a response with a literal 4xx status. */
function rejectionStatus(call: ts.CallExpression, callee: string): number | undefined {
  const last = lastSegment(callee);
  if (/^(status|sendStatus|code|writeHead)$/.test(last)) return statusFrom(call.arguments[0]);
  if (last === 'throw' && /^(ctx|context)\.throw$/.test(callee)) return statusFrom(call.arguments[0]);
  if (/^(json|text|html|body|error|redirect)$/.test(last) || callee === 'error' || callee === 'json') {
    // c.json(body, 401), NextResponse.json(body, { status: 401 }), error(401, 'msg'), json(data, { status: 401 })
    return responseStatus(call.arguments);
  }
  return undefined;
}

/** A 4xx status among response arguments: a bare number or `{ status: 401 }`. */
function responseStatus(args: readonly ts.Expression[]): number | undefined {
  for (const argument of args) {
    const direct = statusFrom(argument);
    if (direct !== undefined && direct >= 400) return direct;
    if (ts.isObjectLiteralExpression(argument)) {
      const statusProperty = argument.properties.find((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'status');
      const status = statusFrom(statusProperty?.initializer);
      if (status !== undefined) return status;
    }
  }
  return undefined;
}

function numericArgument(call: ts.CallExpression | ts.NewExpression): number | undefined {
  for (const argument of call.arguments ?? []) {
    const status = statusFrom(argument);
    if (status !== undefined) return status;
  }
  return undefined;
}

function statusFrom(node: ts.Node | undefined): number | undefined {
  if (!node) return undefined;
  const literal = numberValue(node);
  if (literal !== undefined) return literal;
  const name = dottedName(node) ?? '';
  if (/\.(UNAUTHORIZED|Unauthorized)$/.test(name)) return 401;
  if (/\.(FORBIDDEN|Forbidden)$/.test(name)) return 403;
  return undefined;
}

function isLoginRedirect(call: ts.CallExpression, callee: string): boolean {
  if (!/(^|\.)redirect$/.test(callee) && callee !== 'redirectToLogin') return false;
  if (callee === 'redirectToLogin') return true;
  return call.arguments.some((argument) => {
    const value = stringValue(argument) ?? (ts.isNewExpression(argument) ? stringValue(argument.arguments?.[0]) : undefined);
    return value !== undefined && LOGIN_PATH.test(value);
  });
}

function firstCall(node: ts.Expression): ts.CallExpression | undefined {
  let current: ts.Node = node;
  for (let depth = 0; depth < 8; depth++) {
    if (ts.isCallExpression(current)) return current;
    if (ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current) || ts.isPropertyAccessExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
    else return undefined;
  }
  return undefined;
}

function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) names.push(...boundNames(element.name));
  return names;
}

function parameterNames(fn: ts.SignatureDeclaration): Set<string> {
  const names = new Set<string>();
  for (const parameter of fn.parameters) for (const name of boundNames(parameter.name)) names.add(name);
  return names;
}

function sameRef(a: ValueRef, b: ValueRef): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
