import ts = require('typescript');
import { calleeName, hasDirective } from '../../js/astUtil';
import type { SourceSpan } from '../routeFacts';
import type { JsFileContext } from './jsFileContext';

/**
 * `jwt.decode(token)` (jsonwebtoken) or `jwtDecode(token)` (jwt-decode) in server code that
 * never verifies a token: decoding reads the claims without checking the signature, so
 * anyone can forge a token that passes. Browser code decoding its own token is fine.
 */
export function findUnverifiedJwtDecodes(context: JsFileContext): SourceSpan[] {
  const text = context.file.text;
  if (!/\bdecode\b|jwtDecode|jwt_decode/.test(text)) return [];
  if (hasDirective(context.sourceFile.statements, 'use client')) return [];
  if (/\bjwt\.verify\b|\bjwtVerify\b|\.verify\(\s*token|\bverifyToken\b/.test(text)) return [];
  const decodes: SourceSpan[] = [];
  const visit = (node: ts.Node, depth: number): void => {
    if (depth > 200) return;
    if (ts.isCallExpression(node)) {
      const callee = calleeName(node) ?? '';
      const [root] = callee.split('.');
      const module = context.importOf(root)?.module;
      const imported = context.imports.get(root)?.imported;
      const isJsonwebtokenDecode = module === 'jsonwebtoken' && (callee.endsWith('.decode') || imported === 'decode');
      const isJwtDecode = (module === 'jwt-decode' || module === 'jose') && /^(jwtDecode|jwt_decode|decodeJwt|default)$/.test(imported ?? '') && !callee.includes('.');
      if (isJsonwebtokenDecode || isJwtDecode) decodes.push(context.span(node));
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(context.sourceFile, 0);
  return decodes;
}
