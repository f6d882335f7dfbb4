import ts = require('typescript');
import type { FileContext } from '../../fileContext';
import { parseDirectives } from '../../suppression/inlineSuppressions';
import type { FileRouteFacts, FunctionFact } from '../routeFacts';
import { analyzeBody } from './bodyAuth';
import { extractCallRouters } from './callRouters';
import { exportsOf } from './exportsOf';
import { extractConventionRoutes } from './fileRoutes';
import { JsFileContext } from './jsFileContext';
import { findUnverifiedJwtDecodes } from './jwtDecode';
import { extractNestGlobals, extractNestRoutes } from './nestRoutes';
import { extractNextMiddleware } from './nextMiddleware';
import { routeFactsHint } from './routeFactsHint';
import { exportedPathConstants } from './pathValue';

const GUARD_READS_IDENTITY = /\.user\b|authorization|token|session|jwt|verify|api[-_]?key/i;

/** Everything one JS/TS file says about routes and auth; undefined when it says nothing. `hint`: routeFactsHint's answer, when already known. */
export function extractJsRouteFacts(file: FileContext, hint = file.language.isScript ? routeFactsHint(file.projectPath, file.text) : undefined): FileRouteFacts | undefined {
  if (!file.language.isScript || !hint) return undefined;
  const sourceFile = file.sourceFile();
  if (!sourceFile) return undefined;
  const context = new JsFileContext(file, sourceFile);

  const routers = extractCallRouters(context);
  const routes = [...extractConventionRoutes(context), ...extractNestRoutes(context)];
  const middleware = extractNextMiddleware(context);
  const nest = extractNestGlobals(context);
  const functions = functionFacts(context);
  const jwtDecodes = findUnverifiedJwtDecodes(context);
  const exports = exportsOf(sourceFile);
  const pathSettings = exportedPathConstants(context);

  if (routers.length === 0 && routes.length === 0 && !middleware && !nest && jwtDecodes.length === 0 && !pathSettings && !functions.some((fn) => fn.authCheck || fn.callsAtStart.length)) {
    return undefined;
  }
  return {
    file: file.path,
    imports: [...context.imports.values()],
    exports,
    functions,
    routers,
    routes,
    pathGuards: middleware ? [middleware] : [],
    ...(nest ? { nest } : {}),
    directives: parseDirectives(file.text, file.lines),
    jwtDecodes,
    ...(pathSettings ? { pathSettings } : {}),
    ...importsPlacement(sourceFile),
  };
}

/** Each top-level function's auth behaviour; a factory returning middleware is judged by what it returns. */
function functionFacts(context: JsFileContext): FunctionFact[] {
  const facts: FunctionFact[] = [];
  for (const [name, fn] of context.functions) {
    const target = returnedFunction(fn) ?? fn;
    const body = analyzeBody(target, context);
    // A NestJS guard answers with a boolean: reading the caller's identity there is the check.
    if (!body.authCheck && ts.isMethodDeclaration(fn) && fn.name.getText(context.sourceFile) === 'canActivate' && fn.body && GUARD_READS_IDENTITY.test(fn.body.getText(context.sourceFile))) {
      body.authCheck = { description: 'canActivate checks who is calling', span: context.span(fn.name) };
    }
    facts.push({
      name,
      span: context.span(fn.name ?? fn),
      ...(body.authCheck ? { authCheck: body.authCheck } : {}),
      callsAtStart: body.callsAtStart,
    });
  }
  // class JwtAuthGuard extends AuthGuard('jwt') {} — a Passport guard without a body of its own.
  for (const statement of context.sourceFile.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name || facts.some((fact) => fact.name === statement.name!.text)) continue;
    const base = statement.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (base && ts.isCallExpression(base) && ts.isIdentifier(base.expression) && base.expression.text === 'AuthGuard') {
      facts.push({ name: statement.name.text, span: context.span(statement.name), authCheck: { description: `extends Passport's AuthGuard(${base.arguments.map((argument) => argument.getText(context.sourceFile)).join(', ')})`, span: context.span(base) }, callsAtStart: [] });
    }
  }
  return facts;
}

/** `(role) => (req, res, next) => {…}` or `function f() { return async (req, res, next) => {…} }`. */
function returnedFunction(fn: ts.FunctionLikeDeclaration): ts.FunctionLikeDeclaration | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (ts.isArrowFunction(body) || ts.isFunctionExpression(body)) return body;
  if (!ts.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    if (ts.isReturnStatement(statement) && statement.expression && (ts.isArrowFunction(statement.expression) || ts.isFunctionExpression(statement.expression))) {
      return statement.expression;
    }
  }
  return undefined;
}

/** Where a fix adds an import (after the last import or require at the top) and in which style. */
function importsPlacement(sourceFile: ts.SourceFile): { importsEnd: number; moduleStyle: 'esm' | 'cjs' } {
  let importsEnd = 0;
  let esm = false;
  let cjs = false;
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) {
      esm = true;
      importsEnd = statement.getEnd();
    } else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.some((declaration) => declaration.initializer && /^require\(/.test(declaration.initializer.getText(sourceFile)))) {
      cjs = true;
      importsEnd = statement.getEnd();
    } else if (!(ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression))) {
      break;
    }
  }
  // Just past the line break after the last import.
  const text = sourceFile.text;
  const lineBreak = text.indexOf('\n', importsEnd);
  return { importsEnd: importsEnd === 0 ? 0 : lineBreak === -1 ? text.length : lineBreak + 1, moduleStyle: cjs && !esm ? 'cjs' : 'esm' };
}
