import type { PyCall, PyExpr, PyFunctionDef, PyNode, PyStatement } from '../../python/ast';
import { callName, dottedName, keywordArg, positionalArg, stringValue, walkPython } from '../../python/walk';
import type { AuthCheck, SourceSpan, ValueRef } from '../routeFacts';
import { looksLikeAuthName } from '../authSignals';
import { isNotAuthCall, isPythonCredential, isPythonSessionCall, pythonVerifyCall } from './pythonSignals';
import type { PyFileContext } from './pyFileContext';
import { isUnverifiedJwtDecode, isJwtDecodeCall } from './pyJwtDecode';

/**
 * What a Python function body says about authentication, read in source order (the Python
 * counterpart of js/bodyAuth.ts):
 * - an auth check: a call that verifies identity by itself (`verify_jwt_in_request()`,
 *   `jwt.decode(token, key, algorithms=…)`), or a rejection guarding the work — `abort(401)`,
 *   `raise HTTPException(status_code=401)`, `return …, 401`, a 403 or a redirect to the login
 *   page on a condition about the caller (`if not current_user.is_authenticated:`,
 *   `if 'user_id' not in session:`), or work done only inside `if request.user.is_authenticated:`;
 * - whether that check comes only after the body has already done work (auth/check-after-work);
 * - the calls to the project's own functions made before any work (helpers resolved later).
 */
export interface PyBodyAuth {
  authCheck?: AuthCheck;
  checkAfterWork?: AuthCheck;
  firstWork?: SourceSpan;
  callsAtStart: ValueRef[];
}

/** Roots whose calls are not "work": reading the request, answering, logging, validating, templates. */
const HARMLESS_ROOTS = new Set([
  'request', 'jsonify', 'render_template', 'render', 'render_to_response', 'redirect', 'url_for', 'reverse', 'abort', 'flash', 'logger', 'logging', 'log',
  'print', 'len', 'str', 'int', 'float', 'bool', 'dict', 'list', 'set', 'tuple', 'json', 'current_app', 'make_response', 'Response', 'JSONResponse',
  'JsonResponse', 'HttpResponse', 'HTTPException', 'status', 'math', 'datetime', 'time', 'uuid', 'form', 'g', 'get_object_or_404', 'get_list_or_404',
  'isinstance', 'getattr', 'hasattr', 'super', 'sorted', 'range', 'enumerate', 'zip', 'min', 'max', 'sum', 'any', 'all', 'format', 'repr', 'type', 're', 'settings',
  'messages', 'serializers', 'Q', 'F', 'timezone', 'escape', 'markupsafe', 'secure_filename', 'hashlib', 'base64', 'hmac', 'secrets', 'typing',
]);
const WORK_VERBS = /^(create|bulk_create|bulk_update|get_or_create|update_or_create|update|delete|save|add|add_all|commit|execute|executemany|executescript|insert|insert_one|insert_many|update_one|update_many|delete_one|delete_many|replace_one|find_one_and_update|find_one_and_delete|remove|put|post|patch|send|sendall|send_mail|send_message|send_email|charge|transfer|refund|capture|publish|enqueue|delay|apply_async|write|write_text|write_bytes|unlink|rmtree|rpc|upsert|merge|flush|set_password|invoke|upload_file|put_object|delete_object|run)$/;
const WORK_ROOTS = /^(requests|httpx|aiohttp|urllib|stripe|openai|anthropic|boto3|s3|supabase|firestore|subprocess|smtplib|twilio|sendgrid|resend|shutil)$/;
const WORK_FUNCTIONS = new Set(['send_mail', 'send_mass_mail', 'urlopen']);
const LOGIN_PATH = /^\/?(api\/)?(auth|login|log-in|signin|sign-in|signup|sign-up|accounts\/login|account\/login|users\/login|users\/sign_in|admin:login)\b/i;
const UNAUTHENTICATED_EXCEPTIONS = /^(NotAuthenticated|AuthenticationFailed|Unauthorized|Unauthenticated|InvalidToken|AuthError|AuthenticationError|UnauthorizedError|NotAuthorized)$/;
const FORBIDDEN_EXCEPTIONS = /^(PermissionDenied|Forbidden|ForbiddenError|AccessDenied|PermissionError)$/;
/** Statuses that say something else than "who are you" (not found, bad input). */
const OTHER_STATUS = /^(400|404|409|410|422|429)$/;
const MAX_DEPTH = 100;

/** Each def is read once per parse, though routes, views and function facts all ask about it. */
const analysed = new WeakMap<PyFunctionDef, PyBodyAuth>();

export function analyzePyFunction(fn: PyFunctionDef, context: PyFileContext): PyBodyAuth {
  const known = analysed.get(fn);
  if (known) return known;
  const result = analyzeBody(fn, context);
  analysed.set(fn, result);
  return result;
}

function analyzeBody(fn: PyFunctionDef, context: PyFileContext): PyBodyAuth {
  const result: PyBodyAuth = { callsAtStart: [] };
  const credentialVariables = new Set<string>();
  const rejectionVariables = new Map<string, number | 'auth'>();
  const requestNames = new Set(fn.params.map((param) => param.name));
  requestNames.delete('self');

  const record = (check: AuthCheck): void => {
    if (result.firstWork) {
      if (!result.checkAfterWork) result.checkAfterWork = check;
    } else {
      result.authCheck = check;
    }
  };
  const done = (): boolean => result.authCheck !== undefined;

  const mentionsCredential = (expr: PyNode | undefined): boolean => {
    if (!expr) return false;
    let found = false;
    walkPython(expr, (node) => {
      if (found) return false;
      if (node.type === 'Lambda') return false;
      if (node.type === 'Name' && (isPythonCredential(node.id) || credentialVariables.has(node.id))) found = true;
      else if (node.type === 'Attribute' && isPythonCredential(node.attr)) found = true;
      else if (node.type === 'Str' && node.value !== undefined && /^(authorization|x-api-key|api[-_]?key|token|user_?id|x-auth-token)$/i.test(node.value)) found = true;
      else if (node.type === 'Call') {
        const callee = callName(node) ?? '';
        const last = callee.split('.').pop() ?? '';
        if (isPythonSessionCall(callee) || /(^|_)(has_perms?|is_authenticated)$/.test(last) || looksLikeAuthName(last)) found = true;
      }
      return found ? false : undefined;
    });
    return found;
  };

  /** 'negative' when the condition holds for callers who are not signed in (`if not current_user.is_authenticated`). */
  const polarity = (test: PyExpr): 'positive' | 'negative' | undefined => {
    if (!mentionsCredential(test)) return undefined;
    switch (test.type) {
      case 'UnaryOp':
        if (test.op === 'not') {
          const inner = polarity(test.operand);
          return inner === 'positive' ? 'negative' : inner === 'negative' ? 'positive' : undefined;
        }
        return undefined;
      case 'Compare': {
        const op = test.ops[0];
        const right = test.comparators[0];
        if (op === 'is' || op === '==') return right?.type === 'Constant' && (right.value === 'None' || right.value === 'False') ? 'negative' : op === '==' ? 'positive' : undefined;
        if (op === 'is not') return right?.type === 'Constant' && right.value === 'None' ? 'positive' : undefined;
        if (op === '!=') return 'negative';
        if (op === 'in') return 'positive';
        if (op === 'not in') return 'negative';
        return undefined;
      }
      case 'BoolOp': {
        const parts = test.values.map(polarity).filter((part): part is 'positive' | 'negative' => part !== undefined);
        if (parts.length === 0) return undefined;
        // `if not user or not user.is_admin:` is negative; `if user and user.is_active:` positive.
        if (test.op === 'or') return parts.includes('negative') ? 'negative' : 'positive';
        return parts.every((part) => part === 'positive') ? 'positive' : parts.includes('negative') && test.values.length === parts.length ? 'negative' : undefined;
      }
      case 'Attribute':
        return test.attr === 'is_anonymous' ? 'negative' : 'positive';
      case 'Name':
      case 'Call':
      case 'Subscript':
        return 'positive';
      default:
        return undefined;
    }
  };

  /** A condition that really says "signed in" (not just a variable named user): `request.user.is_authenticated`, `'user_id' in session`. */
  const signedInTest = (test: PyExpr): boolean => {
    let found = false;
    walkPython(test, (node) => {
      if (found) return false;
      if (node.type === 'Attribute' && /^(is_authenticated|is_staff|is_superuser|has_perm|has_perms)$/.test(node.attr)) found = true;
      else if (node.type === 'Attribute' && node.attr === 'user' && node.value.type === 'Name' && /^(request|g|self)$/.test(node.value.id)) found = true;
      else if (node.type === 'Name' && (node.id === 'current_user' || credentialVariables.has(node.id))) found = true;
      else if (node.type === 'Compare' && node.ops.some((op) => op === 'in') && node.comparators.some((comparator) => comparator.type === 'Name' && comparator.id === 'session')) found = true;
      // Flask's cookie session: `session.get('user_id')`, `session['user_id']`.
      else if (node.type === 'Call' && node.func.type === 'Attribute' && node.func.attr === 'get' && node.func.value.type === 'Name' && node.func.value.id === 'session' && /user|uid|account|token|auth/i.test(stringValue(node.args[0]) ?? '')) found = true;
      else if (node.type === 'Subscript' && node.value.type === 'Name' && node.value.id === 'session' && /user|uid|account|token|auth/i.test(stringValue(node.slice) ?? '')) found = true;
      return found ? false : undefined;
    });
    return found;
  };

  const isWork = (call: PyCall, callee: string): boolean => {
    const root = callee.split(/[.([]/)[0];
    if (requestNames.has(root) && root !== 'db' && root !== 'session') return false;
    if (HARMLESS_ROOTS.has(root)) return false;
    const last = callee.split('.').pop() ?? '';
    if (isPythonSessionCall(callee) || pythonVerifyCall(callee, context.moduleOf(root)) || looksLikeAuthName(last)) return false;
    if (call.func.type === 'Name') return WORK_FUNCTIONS.has(call.func.id);
    if (WORK_ROOTS.test(root)) return true;
    // `session.add()` is SQLAlchemy; `session.get('user_id')` reads Flask's cookie session: the verb decides.
    return WORK_VERBS.test(last.replace(/\(\)$/, ''));
  };

  /** The rejection a call makes, when it answers or aborts with 401/403 or sends anonymous visitors to log in. */
  const callEvent = (call: PyCall, guard: PyExpr | undefined): AuthCheck | undefined => {
    const callee = dottedName(call.func) ?? callName(call);
    if (!callee) return undefined;
    const root = callee.split('.')[0];
    const last = callee.split('.').pop() ?? '';
    const span = context.span(call);
    const verified = pythonVerifyCall(callee, context.moduleOf(root));
    if (verified) return { description: verified.description, span, ...(verified.webhook ? { webhook: true } : {}) };
    if (isJwtDecodeCall(callee, context) && !isUnverifiedJwtDecode(call) && (call.args.length >= 2 || keywordArg(call, 'key'))) {
      return { description: `verifies the JWT (${callee})`, span };
    }
    if (context.authFunctionNames.has(callee) || context.authFunctionNames.has(last)) return { description: `calls ${callee} (an auth check named in .shipshape.json)`, span };
    if (/^(require|ensure)_?(user|user_id|auth|authenticated|session|login|logged_in|admin|signed_in)$/i.test(last) && !context.defines(callee) && !context.importOf(callee)) {
      return { description: `calls ${callee}`, span };
    }
    if (last === 'unauthorized' && callee.includes('login_manager')) return { description: 'answers 401 through Flask-Login when the caller is not signed in', span };
    const status = callStatus(call, last);
    if (status === 401) return { description: 'answers 401 Unauthorized when the caller is not signed in', span };
    if (status === 403 && mentionsCredential(guard)) return { description: 'answers 403 Forbidden when the caller is not allowed', span };
    // Only on a condition about the caller: `return redirect(url_for('login'))` after signing up or out checks nobody.
    if (isLoginRedirect(call, last) && mentionsCredential(guard)) return { description: 'redirects anonymous visitors to sign in', span };
    return undefined;
  };

  /** Every call in an expression, in source order: an auth event, the first work, or a helper call before work. */
  const scan = (expr: PyNode | undefined, guard: PyExpr | undefined): void => {
    if (!expr || done()) return;
    walkPython(expr, (node) => {
      if (done()) return false;
      if (node.type === 'Lambda' || node.type === 'FunctionDef' || node.type === 'ClassDef') return false;
      if (node.type !== 'Call') return undefined;
      const check = callEvent(node, guard);
      if (check) {
        record(check);
        return false;
      }
      if (result.firstWork) return undefined;
      const callee = dottedName(node.func) ?? callName(node);
      if (!callee) return undefined;
      if (isWork(node, callee)) {
        result.firstWork = context.span(node);
      } else if (node.func.type === 'Name' && !requestNames.has(node.func.id) && !isNotAuthCall(node.func.id)) {
        const ref = context.refOf(node.func.id);
        if (ref && ref.kind !== 'router' && !result.callsAtStart.some((existing) => sameRef(existing, ref))) result.callsAtStart.push(ref);
      }
      return undefined;
    });
  };

  const raiseEvent = (exc: PyExpr | undefined, guard: PyExpr | undefined, span: SourceSpan): AuthCheck | undefined => {
    if (!exc) return mentionsCredential(guard) ? { description: 'raises when the caller is not signed in', span } : undefined;
    const call = exc.type === 'Call' ? exc : undefined;
    const name = dottedName(call ? call.func : exc) ?? '';
    const last = name.split('.').pop() ?? '';
    const variable = exc.type === 'Name' ? rejectionVariables.get(exc.id) : undefined;
    const status = variable === 'auth' ? 401 : variable ?? (call ? exceptionStatus(call) : undefined);
    if (status === 401 || UNAUTHENTICATED_EXCEPTIONS.test(last)) return { description: `raises ${describeException(last, status)} when the caller is not signed in`, span };
    if (status !== undefined && OTHER_STATUS.test(String(status))) return undefined;
    if ((status === 403 || FORBIDDEN_EXCEPTIONS.test(last) || status === undefined) && mentionsCredential(guard)) {
      return { description: `raises ${describeException(last, status)} when the caller is not allowed`, span };
    }
    return undefined;
  };

  const visitBlock = (statements: PyStatement[], guard: PyExpr | undefined, depth: number): void => {
    for (const statement of statements) {
      if (done()) return;
      visitStatement(statement, guard, depth);
    }
  };

  const visitStatement = (statement: PyStatement, guard: PyExpr | undefined, depth: number): void => {
    if (depth > MAX_DEPTH || done()) return;
    switch (statement.type) {
      case 'If': {
        scan(statement.test, guard);
        const direction = polarity(statement.test);
        if (direction === 'positive') {
          // `if user.is_authenticated: <work> else: return redirect(login)`: the else branch runs instead of the work, not after it.
          visitBlock(statement.orelse, statement.test, depth + 1);
          if (!done() && !result.firstWork && signedInTest(statement.test) && blockHasWork(statement.body)) {
            record({ description: 'does its work only when the caller is signed in', span: context.span(statement.test) });
          }
          visitBlock(statement.body, guard, depth + 1);
        } else {
          visitBlock(statement.body, statement.test, depth + 1);
          visitBlock(statement.orelse, guard, depth + 1);
        }
        return;
      }
      case 'Return': {
        const value = statement.value;
        if (value?.type === 'Tuple') {
          const status = value.elts.map(statusOf).find((candidate) => candidate === 401 || candidate === 403);
          if (status === 401) return record({ description: 'answers 401 Unauthorized when the caller is not signed in', span: context.span(statement) });
          if (status === 403 && mentionsCredential(guard)) return record({ description: 'answers 403 Forbidden when the caller is not allowed', span: context.span(statement) });
        }
        scan(value, guard);
        return;
      }
      case 'Raise': {
        const check = raiseEvent(statement.exc, guard, context.span(statement));
        if (check) return record(check);
        scan(statement.exc, guard);
        return;
      }
      case 'Assign': {
        scan(statement.value, guard);
        const value = statement.value;
        if (value?.type === 'Call' || value?.type === 'Await') {
          const call = value.type === 'Await' ? value.value : value;
          if (call.type === 'Call') {
            const callee = dottedName(call.func) ?? callName(call) ?? '';
            const names = statement.targets.flatMap(targetNames);
            if (isPythonSessionCall(callee) || pythonVerifyCall(callee, context.moduleOf(callee.split('.')[0])) || isJwtDecodeCall(callee, context) || looksLikeAuthName(callee.split('.').pop() ?? '')) {
              for (const name of names) credentialVariables.add(name);
            }
            const status = exceptionStatus(call);
            const last = callee.split('.').pop() ?? '';
            if (status === 401 || status === 403) for (const name of names) rejectionVariables.set(name, status);
            else if (UNAUTHENTICATED_EXCEPTIONS.test(last)) for (const name of names) rejectionVariables.set(name, 'auth');
          }
        }
        return;
      }
      case 'Try':
        visitBlock(statement.body, guard, depth + 1);
        for (const handler of statement.handlers) {
          // `except InvalidTokenError: raise HTTPException(403)` rejects a caller whose token is bad.
          const handlerGuard = handler.exceptionType && /token|jwt|signature|auth|credential|expired|decode/i.test(nodeText(context, handler.exceptionType)) ? handler.exceptionType : guard;
          visitBlock(handler.body, handlerGuard, depth + 1);
        }
        visitBlock(statement.orelse, guard, depth + 1);
        visitBlock(statement.finalbody, guard, depth + 1);
        return;
      case 'With':
        for (const item of statement.items) scan(item.contextExpr, guard);
        visitBlock(statement.body, guard, depth + 1);
        return;
      case 'For':
        scan(statement.iter, guard);
        visitBlock(statement.body, guard, depth + 1);
        visitBlock(statement.orelse, guard, depth + 1);
        return;
      case 'While':
        scan(statement.test, guard);
        visitBlock(statement.body, guard, depth + 1);
        visitBlock(statement.orelse, guard, depth + 1);
        return;
      case 'Match':
        scan(statement.subject, guard);
        for (const matchCase of statement.cases) visitBlock(matchCase.body, guard, depth + 1);
        return;
      case 'ExprStatement':
        scan(statement.value, guard);
        return;
      case 'Assert':
        scan(statement.test, guard);
        return;
      case 'ErrorStatement':
        if (statement.partial) visitStatement(statement.partial, guard, depth + 1);
        for (const expression of statement.expressions) scan(expression, guard);
        return;
      case 'FunctionDef':
      case 'ClassDef':
        return;
      default:
        return;
    }
  };

  const blockHasWork = (statements: PyStatement[]): boolean => {
    let found = false;
    for (const statement of statements) {
      walkPython(statement, (node) => {
        if (found || node.type === 'FunctionDef' || node.type === 'ClassDef' || node.type === 'Lambda') return false;
        if (node.type === 'Call') {
          const callee = dottedName(node.func) ?? callName(node);
          if (callee && isWork(node, callee)) found = true;
        }
        return found ? false : undefined;
      });
      if (found) return true;
    }
    return false;
  };

  visitBlock(fn.body, undefined, 0);
  return result;
}

/** A status given to a response, abort or exception call: `abort(401)`, `Response(status=401)`, `make_response(body, 403)`. */
function callStatus(call: PyCall, last: string): number | undefined {
  if (last === 'abort') return statusOf(positionalArg(call, 0)) ?? statusOf(keywordArg(call, 'code'));
  if (/^(HttpResponseForbidden|PermissionDenied)$/.test(last)) return 403;
  if (/^(Response|JSONResponse|JsonResponse|HttpResponse|PlainTextResponse|HTMLResponse|ORJSONResponse|UJSONResponse|make_response|jsonify)$/.test(last)) {
    const keyword = statusOf(keywordArg(call, 'status')) ?? statusOf(keywordArg(call, 'status_code'));
    if (keyword !== undefined) return keyword;
    if (last === 'make_response') for (const argument of call.args.slice(1)) if (statusOf(argument) !== undefined) return statusOf(argument);
  }
  return undefined;
}

/** The status an exception carries: `HTTPException(status_code=401)`, `HTTPException(401, …)`, `Unauthorized()`. */
function exceptionStatus(call: PyCall): number | undefined {
  const last = (dottedName(call.func) ?? '').split('.').pop() ?? '';
  if (!/Exception$|Error$|^Unauthorized$|^Forbidden$|^HTTPError$/.test(last)) return undefined;
  const status = statusOf(keywordArg(call, 'status_code')) ?? statusOf(keywordArg(call, 'code')) ?? statusOf(keywordArg(call, 'status')) ?? statusOf(positionalArg(call, 0));
  if (status !== undefined) return status;
  if (last === 'Unauthorized') return 401;
  if (last === 'Forbidden') return 403;
  return undefined;
}

/** 401 for `401`, `status.HTTP_401_UNAUTHORIZED`, `HTTPStatus.UNAUTHORIZED`; 403 likewise. */
export function statusOf(expr: PyExpr | undefined): number | undefined {
  if (!expr) return undefined;
  if (expr.type === 'Num' && Number.isInteger(expr.value)) return expr.value;
  const name = dottedName(expr);
  if (!name) return undefined;
  const numeric = /HTTP_(\d{3})/.exec(name);
  if (numeric) return Number(numeric[1]);
  if (/(^|\.)UNAUTHORIZED$/i.test(name)) return 401;
  if (/(^|\.)FORBIDDEN$/i.test(name)) return 403;
  return undefined;
}

function describeException(name: string, status: number | undefined): string {
  if (name && name !== 'HTTPException' && name !== 'HTTPError') return name;
  return status ? `HTTPException ${status}` : name || 'an error';
}

/** `redirect(url_for('auth.login'))`, `redirect('login')`, `redirect(settings.LOGIN_URL)`, `RedirectResponse('/login')`. */
function isLoginRedirect(call: PyCall, last: string): boolean {
  if (last === 'redirect_to_login') return true;
  if (!/^(redirect|HttpResponseRedirect|RedirectResponse)$/.test(last)) return false;
  const target = positionalArg(call, 0) ?? keywordArg(call, 'url') ?? keywordArg(call, 'to');
  if (!target) return false;
  const direct = stringValue(target);
  if (direct !== undefined) return LOGIN_PATH.test(direct);
  const name = dottedName(target) ?? '';
  if (/LOGIN_URL$/.test(name)) return true;
  if (target.type === 'Call' && /^(url_for|reverse|reverse_lazy|resolve_url)$/.test((dottedName(target.func) ?? '').split('.').pop() ?? '')) {
    const argument = positionalArg(target, 0);
    const value = stringValue(argument);
    if (value !== undefined) return LOGIN_PATH.test(value) || /(^|[.:])(login|signin|sign_in|log_in)$/i.test(value);
    return /LOGIN_URL$/.test(dottedName(argument) ?? '');
  }
  return false;
}

function targetNames(target: PyExpr): string[] {
  if (target.type === 'Name') return [target.id];
  if (target.type === 'Tuple' || target.type === 'List') return target.elts.flatMap(targetNames);
  if (target.type === 'Starred') return targetNames(target.value);
  return [];
}

function nodeText(context: PyFileContext, node: { start: number; end: number }): string {
  return context.text.slice(node.start, node.end);
}

function sameRef(a: ValueRef, b: ValueRef): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
