import type { PyCall, PyExpr, PyFunctionDef, PyModule } from '../../python/ast';
import { callName, dottedName, enclosingFunction, keywordArg, stringValue, walkPython } from '../../python/walk';
import type { SourceSpan } from '../routeFacts';
import type { PyFileContext } from './pyFileContext';

/**
 * JWTs read without their signature checked, in Python: PyJWT's
 * `jwt.decode(token, options={"verify_signature": False})` (or `verify=False` before 2.0),
 * `algorithms=["none"]`, and python-jose's `jwt.get_unverified_claims(token)`. Anyone can write
 * such a token. A function that decodes unverified only to pick the key, then verifies, is fine.
 */

const JWT_MODULES = /^(jwt|jose|jose\.jwt|authlib\.jose)$/;

/** `jwt.decode(…)` from PyJWT or python-jose (or `decode` imported from them). */
export function isJwtDecodeCall(callee: string, context: PyFileContext): boolean {
  const parts = callee.split('.');
  const last = parts[parts.length - 1];
  if (last !== 'decode') return false;
  if (parts.length === 1) return JWT_MODULES.test(context.imports.get('decode')?.module ?? '');
  const root = parts[0];
  const module = context.moduleOf(root);
  if (module !== undefined) return JWT_MODULES.test(module) || (module === 'jose' && context.originalName(root) === 'jwt');
  return root === 'jwt' && parts.length === 2;
}

/** A decode that skips verification: `options={"verify_signature": False}`, `verify=False`, `algorithms=["none"]`. */
export function isUnverifiedJwtDecode(call: PyCall): boolean {
  const verify = keywordArg(call, 'verify');
  if (verify?.type === 'Constant' && verify.value === 'False') return true;
  const options = keywordArg(call, 'options');
  if (options?.type === 'Dict') {
    for (let index = 0; index < options.keys.length; index++) {
      const key = stringValue(options.keys[index] ?? undefined);
      const value = options.values[index];
      if (key === 'verify_signature' && value.type === 'Constant' && value.value === 'False') return true;
    }
  }
  const algorithms = keywordArg(call, 'algorithms');
  const listed: (PyExpr | undefined)[] = algorithms?.type === 'List' || algorithms?.type === 'Tuple' ? algorithms.elts : [algorithms];
  return listed.some((algorithm) => stringValue(algorithm)?.toLowerCase() === 'none');
}

export function findUnverifiedPythonJwtDecodes(context: PyFileContext): SourceSpan[] {
  if (!/decode|get_unverified_claims/.test(context.text)) return [];
  const found: SourceSpan[] = [];
  for (const call of context.calls) {
    const callee = dottedName(call.func) ?? callName(call) ?? '';
    const unverifiedClaims = /(^|\.)get_unverified_claims$/.test(callee) && /^(jwt|jose)/.test(context.moduleOf(callee.split('.')[0]) ?? 'jwt');
    const unverifiedDecode = isJwtDecodeCall(callee, context) && isUnverifiedJwtDecode(call);
    if (!unverifiedClaims && !unverifiedDecode) continue;
    if (verifiesNearby(enclosingFunction(call) ?? context.module, call, context)) continue;
    found.push(context.span(call));
  }
  return found;
}

/** Whether the same function (or module) also decodes with verification: the unverified read only picks a key. */
function verifiesNearby(scope: PyFunctionDef | PyModule, except: PyCall, context: PyFileContext): boolean {
  let verified = false;
  walkPython(scope, (node) => {
    if (verified) return false;
    if (node.type === 'Call' && node !== except) {
      const callee = dottedName(node.func) ?? callName(node) ?? '';
      if (isJwtDecodeCall(callee, context) && !isUnverifiedJwtDecode(node)) verified = true;
      else if (/(^|\.)(verify|verify_jwt|jwt_verify)$/.test(callee)) verified = true;
    }
    return undefined;
  });
  return verified;
}
