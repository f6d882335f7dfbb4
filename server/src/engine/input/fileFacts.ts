import ts = require('typescript');
import { hasDirective, literalText, moduleName, unwrap } from '../js/flowSyntax';
import { calleeLastName, rootIdentifier } from '../js/astUtil';
import type { InputRuleData } from './ruleData';
import { netlifyFunctionPath, pagesFunctionPath } from '../routes/js/conventionPaths';

/**
 * What the analysis needs to know about a file before reading its functions, taken from its
 * top-level statements only: imports and requires, 'use server', classes and type declarations.
 */

export interface ImportBinding {
  module: string;
  /** 'default', '*' (namespace) or the exported name. */
  imported: string;
}

export interface FileFacts {
  imports: Map<string, ImportBinding>;
  /** Every module imported or required at the top level (normalised, no `node:`). */
  modules: Set<string>;
  useServer: boolean;
  pageFile: boolean;
  frameworkImport: boolean;
  contextImport: boolean;
  /** Functions of the file handed to a Firebase `onCall` by name (`onCall(handleCall)`): their argument is what the client sent. */
  callableHandlers: Set<string>;
  /** A Netlify function (netlify/functions/<name>.ts, or <name>/index.ts): its `handler` and default export take requests. */
  netlifyFunction: boolean;
  /** A Cloudflare Pages Function (functions/… at the project's root): its `onRequest…` exports take an event context. */
  pagesFunction: boolean;
  /**
   * The file serves web-standard requests itself: `Deno.serve(handler)` (Supabase Edge Functions),
   * `serve(handler)` from Deno's std/http, `Bun.serve({ fetch })`, `export default { fetch }`
   * (Cloudflare Workers, Deno, Bun). Its request-shaped functions are handlers.
   */
  fetchServer: boolean;
  classes: Map<string, ts.ClassDeclaration>;
  typeDeclarations: Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
  /** Offset after the last import, where a new import goes (-1: none). */
  lastImportEnd: number;
  usesRequire: boolean;
}

/** netlify/functions/search.ts, search/index.mts or search/search.js — not a helper beside it (search/build.ts). */
export function isNetlifyFunction(projectPath: string): boolean {
  return netlifyFunctionPath(projectPath.replace(/\\/g, '/')) !== undefined;
}

export function collectFileFacts(file: ts.SourceFile, projectPath: string, data: InputRuleData): FileFacts {
  const facts: FileFacts = {
    imports: new Map(),
    modules: new Set(),
    useServer: hasDirective(file.statements, 'use server'),
    pageFile: data.handlers.pageFilePattern.test(projectPath.replace(/\\/g, '/')),
    frameworkImport: false,
    contextImport: false,
    fetchServer: false,
    callableHandlers: new Set(),
    netlifyFunction: isNetlifyFunction(projectPath),
    pagesFunction: pagesFunctionPath(projectPath.replace(/\\/g, '/')) !== undefined,
    classes: new Map(),
    typeDeclarations: new Map(),
    lastImportEnd: -1,
    usesRequire: false,
  };
  const onCalls: ts.CallExpression[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      facts.lastImportEnd = statement.end;
      const specifier = literalText(statement.moduleSpecifier as ts.Expression);
      if (specifier === undefined) continue;
      const module = moduleName(specifier);
      facts.modules.add(module);
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) facts.imports.set(clause.name.text, { module, imported: 'default' });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) facts.imports.set(bindings.name.text, { module, imported: '*' });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          facts.imports.set(element.name.text, { module, imported: (element.propertyName ?? element.name).text });
        }
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const specifier = literalText(statement.moduleReference.expression);
      if (specifier !== undefined) {
        facts.modules.add(moduleName(specifier));
        facts.imports.set(statement.name.text, { module: moduleName(specifier), imported: '*' });
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const initializer = declaration.initializer && unwrap(declaration.initializer);
        if (initializer && ts.isCallExpression(initializer) && calleeLastName(initializer.expression) === 'onCall') onCalls.push(initializer);
        const required = requiredModule(declaration.initializer);
        if (required !== undefined) {
          facts.modules.add(required);
          facts.usesRequire = true;
          facts.lastImportEnd = Math.max(facts.lastImportEnd, statement.end);
        }
      }
    } else if (ts.isExpressionStatement(statement) || ts.isExportAssignment(statement)) {
      if (servesRequests(statement, facts)) facts.fetchServer = true;
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      facts.classes.set(statement.name.text, statement);
    } else if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name) {
      facts.typeDeclarations.set(statement.name.text, statement);
    }
  }
  for (const call of onCalls) {
    if (!fromFirebase(call.expression, facts, data)) continue;
    for (const argument of call.arguments) if (ts.isIdentifier(argument)) facts.callableHandlers.add(argument.text);
  }
  const frameworks = new Set(data.handlers.frameworkModules);
  const contexts = new Set(data.handlers.contextModules);
  for (const module of facts.modules) {
    if (frameworks.has(module) || module.startsWith('next/')) facts.frameworkImport = true;
    if (contexts.has(module)) facts.contextImport = true;
  }
  return facts;
}

/** Deno's, Bun's and the workers' ways of serving requests (see FileFacts.fetchServer); imports come first, so they are known. */
function servesRequests(statement: ts.ExpressionStatement | ts.ExportAssignment, facts: FileFacts): boolean {
  let expression = unwrap(statement.expression);
  if (ts.isAwaitExpression(expression)) expression = unwrap(expression.expression);
  if (ts.isExportAssignment(statement)) {
    return ts.isObjectLiteralExpression(expression) && expression.properties.some((property) => property.name !== undefined && ts.isIdentifier(property.name) && property.name.text === 'fetch');
  }
  if (!ts.isCallExpression(expression)) return false;
  const callee = unwrap(expression.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    return callee.name.text === 'serve' && (callee.expression.text === 'Deno' || callee.expression.text === 'Bun');
  }
  if (!ts.isIdentifier(callee)) return false;
  const imported = facts.imports.get(callee.text);
  return !!imported && imported.module.startsWith('@std/http') && (imported.imported === 'serve' || imported.imported === 'serveTls');
}

/** The firebase-functions module (or subpath) the callee's root is imported from, or undefined. */
export function fromFirebase(callee: ts.Expression, facts: FileFacts, data: InputRuleData): string | undefined {
  const root = rootIdentifier(callee);
  const module = root ? facts.imports.get(root.text)?.module : undefined;
  return module && data.handlers.firebaseModules.some((firebase) => module === firebase || module.startsWith(`${firebase}/`)) ? module : undefined;
}

/** `require('x')`, `require('x').y`, `await import('x')` → 'x'. */
function requiredModule(initializer: ts.Expression | undefined): string | undefined {
  let current = initializer && unwrap(initializer);
  while (current && (ts.isPropertyAccessExpression(current) || ts.isAwaitExpression(current))) current = unwrap(current.expression);
  if (current && ts.isCallExpression(current) && current.arguments.length === 1) {
    const callee = current.expression;
    if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) {
      const specifier = literalText(current.arguments[0]);
      return specifier === undefined ? undefined : moduleName(specifier);
    }
  }
  return undefined;
}

/** Whether a library is in use: imported in this file or a dependency of its project. */
export function libraryPresent(facts: FileFacts, dependencies: ReadonlySet<string>, libraries: readonly string[]): boolean {
  return libraries.some((library) => facts.modules.has(library) || dependencies.has(library) || [...facts.modules].some((module) => module.startsWith(`${library}/`)));
}
