import ts = require('typescript');
import { calleeName, dottedName, isFunctionLike } from '../../js/astUtil';
import type { ChainItem } from '../routeFacts';
import { knownAuthMiddleware, knownNotAuthMiddleware } from '../authSignals';
import { analyzeBody } from './bodyAuth';
import { requiredModule, skipWrappers, type JsFileContext } from './jsFileContext';

/**
 * Turns an argument of a route registration (a middleware, guard or handler) into a chain
 * item: decided in place when it is a known library call or an inline function, otherwise a
 * reference the inventory resolves across files.
 */
export function chainItemsOf(expression: ts.Expression, context: JsFileContext, depth = 0): ChainItem[] {
  const node = skipWrappers(expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((element) => (ts.isSpreadElement(element) ? [] : chainItemsOf(element, context, depth + 1)));
  return [chainItemOf(node, context, depth)];
}

function chainItemOf(node: ts.Expression, context: JsFileContext, depth: number): ChainItem {
  const span = context.span(node);
  if (isFunctionLike(node)) {
    const body = analyzeBody(node, context);
    return {
      label: 'inline handler',
      span,
      ...(body.authCheck ? { authCheck: body.authCheck } : {}),
      ...(body.checkAfterWork ? { checkAfterWork: body.checkAfterWork } : {}),
      ...(body.callsAtStart.length ? { callsAtStart: body.callsAtStart } : {}),
    };
  }

  // app.use('/admin', require('./admin')), router.post('/x', require('./auth').requireAuth, …):
  // the module's export, as if it were imported first.
  const required = requiredModule(node);
  if (required !== undefined) return { label: context.text(node), span, ref: { kind: 'import', module: required, imported: 'default', local: context.text(node) } };
  const requiredMember = ts.isPropertyAccessExpression(node) ? requiredModule(node.expression) : undefined;
  if (requiredMember !== undefined) {
    const member = (node as ts.PropertyAccessExpression).name.text;
    return { label: context.text(node), span, ref: { kind: 'import', module: requiredMember, imported: member, local: member } };
  }

  const isCall = ts.isCallExpression(node) || ts.isNewExpression(node);
  const name = isCall ? calleeName(node) : dottedName(node);
  if (!name) return { label: context.text(node), span };
  const label = isCall ? context.text(node) : name;
  const root = name.split('.')[0];
  const importedFrom = context.importOf(root)?.module;
  const importedName = context.imports.get(root)?.imported;
  const libraryName = importedName && importedName !== 'default' && importedName !== '*' && !name.includes('.') ? importedName : name;

  const known = knownAuthMiddleware(libraryName, importedFrom);
  if (known) return { label, span, authCheck: { description: known, span } };
  if (context.authFunctionNames.has(name) || context.authFunctionNames.has(name.split('.').pop() ?? '')) {
    return { label, span, authCheck: { description: `${name} (an auth check named in .shipshape.json)`, span } };
  }
  if (knownNotAuthMiddleware(libraryName)) return { label, span, notAuth: true };

  // `const checkJwt = auth({ audience })`: look at what the alias was made from.
  const alias = !isCall && !name.includes('.') ? context.callAliases.get(name) : undefined;
  if (alias && depth < 4) {
    const aliased = chainItemOf(alias, context, depth + 1);
    return { ...aliased, label, span };
  }

  if (name.includes('.')) {
    const [object, ...rest] = name.split('.');
    const objectRef = context.refOf(object);
    if (objectRef && rest.length === 1) return { label, span, ref: { kind: 'member', object: objectRef, property: rest[0] } };
    return { label, span };
  }
  const ref = context.refOf(name);
  return ref ? { label, span, ref } : { label, span };
}
