import ts = require('typescript');
import type { FileContext } from '../../fileContext';
import type { ImportFact, SourceSpan, ValueRef } from '../routeFacts';

/**
 * Per-file state shared by the JS/TS route extractors: the parse tree, what each local name
 * refers to (import, function, router), and span construction.
 */
export class JsFileContext {
  readonly imports = new Map<string, ImportFact>();
  /** Top-level functions by name (declarations and `const f = () => …`). */
  readonly functions = new Map<string, ts.FunctionLikeDeclaration>();
  /** Top-level `const x = someCall(…)` initialisers, to see through `const checkJwt = auth({…})`. */
  readonly callAliases = new Map<string, ts.CallExpression | ts.NewExpression>();
  /** Top-level classes (NestJS guards are classes). */
  readonly classNames = new Set<string>();
  /** Names of router/app variables found in this file. */
  readonly routerNames = new Set<string>();
  /** Top-level `const` initialisers that can hold a path: strings, templates, `a + b`, object literals (pathValue.ts). */
  readonly constants = new Map<string, ts.Expression>();
  readonly authFunctionNames: ReadonlySet<string>;

  constructor(readonly file: FileContext, readonly sourceFile: ts.SourceFile) {
    this.authFunctionNames = new Set(file.config.authFunctions);
    this.collectTopLevel();
  }

  private signature: string | undefined;

  /**
   * What a function body's analysis depends on besides the body: imports, local functions,
   * classes, routers and configured auth names. Routers are found after construction, so the
   * signature is taken on first use (after extractCallRouters has run).
   */
  get symbolSignature(): string {
    this.signature ??= JSON.stringify([
      [...this.imports.values()].map((entry) => `${entry.local}=${entry.module}#${entry.imported}`),
      [...this.functions.keys()],
      [...this.classNames],
      [...this.routerNames],
      [...this.authFunctionNames],
    ]);
    return this.signature;
  }

  span(node: ts.Node): SourceSpan {
    const start = node.getStart(this.sourceFile);
    const end = node.getEnd();
    const range = this.file.rangeOf(start, end);
    return { range, start, end, lineText: this.file.lines.lineText(range.start.line) };
  }

  spanBetween(start: number, end: number): SourceSpan {
    const range = this.file.rangeOf(start, end);
    return { range, start, end, lineText: this.file.lines.lineText(range.start.line) };
  }

  text(node: ts.Node): string {
    const raw = node.getText(this.sourceFile);
    return raw.length > 80 ? `${raw.slice(0, 77)}…` : raw;
  }

  /** The module a local name was imported from, if it was. */
  importOf(name: string): ImportFact | undefined {
    // Asked for every call a body makes: no array from split().
    const dot = name.indexOf('.');
    return this.imports.get(dot === -1 ? name : name.slice(0, dot));
  }

  /** What a bare identifier refers to, for resolution across files. */
  refOf(name: string): ValueRef | undefined {
    if (this.routerNames.has(name)) return { kind: 'router', name };
    if (this.functions.has(name) || this.classNames.has(name)) return { kind: 'function', name };
    const imported = this.imports.get(name);
    if (imported) return { kind: 'import', module: imported.module, imported: imported.imported, local: name };
    return undefined;
  }

  private collectTopLevel(): void {
    for (const statement of this.sourceFile.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const module = statement.moduleSpecifier.text;
        const clause = statement.importClause;
        if (!clause) continue;
        if (clause.name) this.imports.set(clause.name.text, { local: clause.name.text, module, imported: 'default' });
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) this.imports.set(bindings.name.text, { local: bindings.name.text, module, imported: '*' });
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) {
            this.imports.set(element.name.text, { local: element.name.text, module, imported: (element.propertyName ?? element.name).text });
          }
        }
      } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference) && ts.isStringLiteral(statement.moduleReference.expression)) {
        this.imports.set(statement.name.text, { local: statement.name.text, module: statement.moduleReference.expression.text, imported: '*' });
      } else if (ts.isFunctionDeclaration(statement) && statement.body) {
        // `export default function (fastify) {…}` has no name; it is known by its export.
        this.functions.set(statement.name?.text ?? 'default', statement);
      } else if (ts.isExportAssignment(statement) && (ts.isArrowFunction(statement.expression) || ts.isFunctionExpression(statement.expression))) {
        this.functions.set('default', statement.expression);
      } else if (ts.isVariableStatement(statement)) {
        const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
        for (const declaration of statement.declarationList.declarations) this.collectVariable(declaration, constant);
      } else if (ts.isClassDeclaration(statement) && statement.name) {
        this.classNames.add(statement.name.text);
        // Guards are classes; their canActivate is looked at like a function.
        const canActivate = statement.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.name.getText(this.sourceFile) === 'canActivate');
        if (canActivate?.body) this.functions.set(statement.name.text, canActivate);
      }
    }
  }

  private collectVariable(declaration: ts.VariableDeclaration, constant: boolean): void {
    const initializer = declaration.initializer && skipWrappers(declaration.initializer);
    if (!initializer) return;
    if (constant && ts.isIdentifier(declaration.name) && (ts.isStringLiteralLike(initializer) || ts.isTemplateExpression(initializer) || ts.isBinaryExpression(initializer) || ts.isObjectLiteralExpression(initializer))) {
      this.constants.set(declaration.name.text, initializer);
    }
    // const { Router } = require('express'); const express = require('express')
    const required = requiredModule(initializer);
    if (required) {
      if (ts.isIdentifier(declaration.name)) this.imports.set(declaration.name.text, { local: declaration.name.text, module: required, imported: 'default' });
      else if (ts.isObjectBindingPattern(declaration.name)) {
        for (const element of declaration.name.elements) {
          if (!ts.isIdentifier(element.name)) continue;
          const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
          this.imports.set(element.name.text, { local: element.name.text, module: required, imported });
        }
      }
      return;
    }
    if (!ts.isIdentifier(declaration.name)) return;
    const name = declaration.name.text;
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) this.functions.set(name, initializer);
    else if (ts.isCallExpression(initializer) || ts.isNewExpression(initializer)) this.callAliases.set(name, initializer);
  }
}

/** `require('x')` → 'x'. */
export function requiredModule(node: ts.Node): string | undefined {
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
    return node.arguments[0].text;
  }
  return undefined;
}

/** Looks through `await`, parentheses, `as`, `!` and `satisfies`. */
export function skipWrappers(node: ts.Expression): ts.Expression {
  let current = node;
  for (let depth = 0; depth < 16; depth++) {
    if (ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)) {
      current = current.expression;
    } else {
      return current;
    }
  }
  return current;
}
