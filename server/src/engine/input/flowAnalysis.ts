import ts = require('typescript');
import { dottedPath, isFunctionNode, literalText, moduleName, propertyNameText, typeReferenceName, unwrap, type FunctionNode } from '../js/flowSyntax';
import { detectHandler, type HandlerContext, type HandlerEnvironment, type ParamRole } from './handlers';
import { alwaysExits, guardHelpers, refinementsOf, type GuardHelpers, type Refinement } from './guards';
import type { FileFacts } from './fileFacts';
import type { InputRuleData, SourceEntry } from './ruleData';
import { ARRAY_CALLBACKS, BOOLEAN_METHODS, CallSemantics, MUTATING_METHODS, TEXT_METHODS, keepsOnlySafeCharacters } from './callSemantics';
import { Frame, Scope, type Binding, type BindingKind } from './scope';
import { assignSinkCandidates, callSinkCandidates, jsxSinkCandidates, receiverText, wholeExpressions, type CallSite, type SinkCandidate, type SinkEnvironment } from './sinkMatcher';
import {
  KIND_BITS, asText, clean, concatenate, elementOf, instantiate, isTainted, meets, merge, mergeAll, resolveParamTaint,
  type FunctionRef, type ModuleRef, type RootRef, type SinkHit, type Summary, type Taint, type Value,
} from './taint';
import type { FixHint } from '../types';
import { reportHitsAtCall, routeHit } from './shared/summaryHits';
import { parameterTaint, sourceTaint, type SourceOptions } from './shared/taintCore';
import { attachedTaint, exportAt, isRelativeSpecifier, type ImportedModules } from './moduleSinks';

/**
 * Follows request input through one file. A single walk over the syntax tree evaluates each
 * statement once, in order, with an environment of abstract values: handlers bind their
 * request parameters to framework objects, reading them yields tainted values, assignments,
 * destructuring, spreads, concatenation and templates carry the taint, validators and guards
 * remove it, and sinks report it. Every other function is evaluated once with its parameters
 * as symbols, which gives a summary (what it returns, which parameters reach which sinks)
 * that calls in the same file apply. Calls into other files of the workspace apply the summaries
 * of those files' exported functions (moduleSinks.ts), when the caller provides them.
 */

export interface FlowEnvironment {
  sourceFile: ts.SourceFile;
  text: string;
  data: InputRuleData;
  facts: FileFacts;
  validators: ReadonlySet<string>;
  libraryPresent(libraries: readonly string[]): boolean;
  /** Called for every sink reached by real request input. */
  report(hit: SinkHit): void;
  /** Builds the SQL parameterisation fix at a SQL sink, when it can be sure of one. */
  sqlFix?(call: ts.CallExpression, method: string, receiver: string, analysis: SqlFixAccess): FixHint | undefined;
  /** The sinks of the workspace modules this file imports, asked for when a call to one carries input. */
  importedModules?: ImportedModules;
  /**
   * Ask for them when a call passes a parameter of the function being summarised, too: a
   * module's own analysis (moduleSinks.ts), whose callers supply the input. A handler file asks
   * only for request input, and evaluates a helper of its own again with the handler's input
   * when the helper passed its parameters to another module.
   */
  followParameters?: boolean;
}

/** An exported function of the module with its summary (see FlowAnalysis.exportedFunctions). */
export interface FunctionExport {
  /** `getUser`, `default`, `users.find`. */
  name: string;
  fn: ts.Node;
  summary: Summary;
}

/** What the SQL fix may ask the analysis about the code around the sink. */
export interface SqlFixAccess {
  isTainted(expression: ts.Expression): boolean;
  declarationOf(identifier: ts.Identifier): { kind: string; declaration?: ts.Node } | undefined;
}

const MAX_DEPTH = 400;

/** `globalThis.fetch(…)` and the like call the global function. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'global', 'self']);

/**
 * What evaluating one top-level statement did beyond reporting: `pure` left the module's state
 * (its bindings, their objects, the summaries of functions declared elsewhere) as it was;
 * `volatile` did too, but its results also depend on text elsewhere in the file; `declares`
 * only added module bindings (a `const`, an import); `impure` changed that state otherwise (or
 * is a statement whose effects are not followed, or one the analysis tripped over).
 */
export type StatementEffect = 'pure' | 'volatile' | 'declares' | 'impure';

/** A module binding a top-level statement declared. */
export interface TopLevelBinding {
  name: string;
  binding: Omit<Binding, 'frame'>;
}

/** Lets a caller skip top-level statements whose results it already has (see incrementalFlow.ts). */
export interface TopLevelHooks {
  /**
   * The module bindings the statement declares, when the caller reproduced its reports itself
   * and it need not be evaluated; undefined to evaluate it.
   */
  replay(statement: ts.Statement): readonly TopLevelBinding[] | undefined;
  /**
   * After a statement was evaluated; false stops the run. `declared` holds the bindings it
   * declared when their values are its own (no functions, whose summaries belong to this run,
   * and no import values, which every run creates anew), so that another run can reuse them.
   */
  evaluated(statement: ts.Statement, effect: StatementEffect, declared: readonly TopLevelBinding[] | undefined): boolean;
}

/** SyntaxKind values as plain constants: reading them off the (very large) enum object on every node is slow. */
const {
  AmpersandAmpersandEqualsToken, AmpersandAmpersandToken, ArrayLiteralExpression, ArrowFunction,
  AsExpression, AwaitExpression, BarBarEqualsToken, BarBarToken, BigIntLiteral, BinaryExpression, Block,
  CallExpression, ClassDeclaration, ClassExpression, CommaToken, ConditionalExpression, DeleteExpression,
  DoStatement, ElementAccessExpression, EqualsToken, ExportAssignment, ExpressionStatement, FalseKeyword,
  ForInStatement, ForOfStatement, ForStatement, FunctionDeclaration, FunctionExpression, Identifier,
  IfStatement, JsxElement, JsxFragment, JsxSelfClosingElement, LabeledStatement, NewExpression,
  NoSubstitutionTemplateLiteral, NonNullExpression, NullKeyword, NumericLiteral, ObjectLiteralExpression,
  ParenthesizedExpression, PlusEqualsToken, PlusToken, PostfixUnaryExpression, PrefixUnaryExpression,
  PropertyAccessExpression, QuestionQuestionEqualsToken, QuestionQuestionToken, RegularExpressionLiteral,
  ReturnStatement, SatisfiesExpression, SpreadElement, StringLiteral, SwitchStatement,
  TaggedTemplateExpression, TemplateExpression, ThisKeyword, ThrowStatement, TrueKeyword, TryStatement,
  TypeAssertionExpression, TypeOfExpression, VariableStatement, VoidExpression, WhileStatement,
  YieldExpression,
} = ts.SyntaxKind;

/** Top-level statements evaluated for effects other than declaring (hoisted functions, classes, control flow). */
const STATEMENTS_WITH_EFFECTS = new Set([
  IfStatement, Block, ReturnStatement, ThrowStatement,
  ForOfStatement, ForInStatement, ForStatement, WhileStatement,
  DoStatement, SwitchStatement, TryStatement, LabeledStatement,
  FunctionDeclaration, ClassDeclaration,
]);

export class FlowAnalysis {
  private scope: Scope;
  private readonly moduleScope: Scope;
  /** The top-level statement being evaluated, and what it did to the module's state so far. */
  private topLevel: ts.Statement | undefined;
  private changedModule = false;
  private dependsOnFile = false;
  private declared: TopLevelBinding[] = [];
  private readonly importValues = new Set<Value>();
  /**
   * Objects the current top-level statement created itself: writing to them changes nothing
   * outside it. Emptied after each statement (a weak set costs the garbage collector more).
   */
  private readonly ownObjects = new Set<object>();
  private readonly functions = new Map<ts.Node, FunctionRef>();
  /** Helpers being evaluated with a request object (callWithRequestObject). */
  private readonly requestCalls = new Set<ts.Node>();
  /** Functions whose summaries leave out a module they pass a parameter to (see FlowEnvironment.followParameters). */
  private readonly callModules = new Set<ts.Node>();
  /** A class of this file (the value its name is bound to) → its instances' `this` (methods by name). */
  private readonly classInstances = new WeakMap<Value, Value>();
  /** The constructor of a class of this file, by the value its instances share. */
  private readonly classConstructors = new WeakMap<Value, FunctionRef>();
  private silent = 0;
  private depth = 0;
  private readonly handlerEnv: HandlerEnvironment;
  private readonly sinkEnv: SinkEnvironment;
  private readonly guardHelpers: GuardHelpers;
  private readonly calls: CallSemantics;

  constructor(private readonly env: FlowEnvironment) {
    this.scope = new Scope(undefined, new Frame(undefined, undefined, undefined));
    this.moduleScope = this.scope;
    this.handlerEnv = { data: env.data, facts: env.facts, validators: env.validators };
    this.calls = new CallSemantics(env.data, env.validators);
    this.sinkEnv = {
      data: env.data,
      text: env.text,
      sourceFile: env.sourceFile,
      libraryPresent: env.libraryPresent,
      evaluate: (expression) => this.evaluate(expression),
    };
    this.guardHelpers = guardHelpers(env.data, env.validators, (expression) => this.evaluate(expression), (name) => this.scope.lookup(name)?.declaration);
  }

  run(hooks?: TopLevelHooks): void {
    for (const [local, imported] of this.env.facts.imports) {
      const path = imported.imported === '*' || imported.imported === 'default' ? [] : [imported.imported];
      const value: Value = { mod: { name: imported.module, path } };
      this.importValues.add(value);
      this.scope.declare(local, { value, kind: 'import', depth: 0, frame: this.scope.frame });
    }
    const statements = this.env.sourceFile.statements;
    this.hoist(statements);
    for (const statement of statements) {
      const replayed = hooks?.replay(statement);
      if (replayed) {
        for (const { name, binding } of replayed) this.moduleScope.declare(name, { ...binding, frame: this.moduleScope.frame });
        continue;
      }
      this.topLevel = statement;
      this.changedModule = STATEMENTS_WITH_EFFECTS.has(statement.kind);
      this.dependsOnFile = false;
      this.declared = [];
      this.ownObjects.clear();
      try {
        this.statement(statement);
      } catch {
        // A construct the analysis trips over costs that statement's findings, not the file's.
        this.scope = this.moduleScope;
        this.changedModule = true;
      }
      this.topLevel = undefined;
      this.ownObjects.clear();
      if (hooks && !hooks.evaluated(statement, this.effect(statement), this.declared.every(({ binding }) => this.ownValue(binding.value)) ? this.declared : undefined)) return;
    }
  }

  private ownValue(value: Value | undefined, depth = 0): boolean {
    if (!value) return true;
    if (value.fn || this.importValues.has(value) || depth > 4) return false;
    if (value.props) for (const inner of value.props.values()) if (!this.ownValue(inner, depth + 1)) return false;
    return true;
  }

  private effect(statement: ts.Statement): StatementEffect {
    if (this.changedModule) return 'impure';
    const expression = statement.kind === ExpressionStatement || statement.kind === ExportAssignment;
    if (!expression) return this.dependsOnFile ? 'impure' : 'declares';
    return this.dependsOnFile ? 'volatile' : 'pure';
  }

  /** Evaluates without reporting or changing anything (re-reading an argument, a guard's subject). */
  evaluate(expression: ts.Expression): Value | undefined {
    this.silent++;
    try {
      return this.expr(expression);
    } finally {
      this.silent--;
    }
  }

  // ---- Statements ----

  private block(statements: readonly ts.Statement[], scope: Scope): void {
    const saved = this.scope;
    this.scope = scope;
    try {
      this.hoist(statements);
      for (const statement of statements) this.statement(statement);
    } finally {
      this.scope = saved;
    }
  }

  private hoist(statements: readonly ts.Statement[]): void {
    for (const statement of statements) {
      if (ts.isFunctionDeclaration(statement) && statement.body) {
        const ref = this.refFor(statement, this.scope);
        if (statement.name) this.scope.declare(statement.name.text, { value: { fn: ref }, kind: 'function', depth: 0, frame: this.scope.frame, declaration: statement });
      }
    }
  }

  private statement(node: ts.Statement): void {
    switch (node.kind) {
      case VariableStatement:
        this.declarations((node as ts.VariableStatement).declarationList);
        return;
      case ExpressionStatement:
        this.expr((node as ts.ExpressionStatement).expression);
        return;
      case IfStatement:
        this.ifStatement(node as ts.IfStatement);
        return;
      case Block:
        this.block((node as ts.Block).statements, new Scope(this.scope, this.frame));
        return;
      case ReturnStatement: {
        const expression = (node as ts.ReturnStatement).expression;
        this.frame.returns.push(expression ? this.expr(expression) : undefined);
        return;
      }
      case ThrowStatement:
        this.expr((node as ts.ThrowStatement).expression);
        return;
      case ForOfStatement:
      case ForInStatement: {
        const loop = node as ts.ForOfStatement | ts.ForInStatement;
        const iterated = this.expr(loop.expression);
        this.branch(() => {
          const scope = new Scope(this.scope, this.frame);
          this.inScope(scope, () => {
            const element = ts.isForOfStatement(loop) ? elementOf(iterated) : undefined;
            if (ts.isVariableDeclarationList(loop.initializer)) {
              for (const declaration of loop.initializer.declarations) this.bindName(declaration.name, element, 'let', declaration);
            } else {
              this.assignTo(loop.initializer, element);
            }
            this.statement(loop.statement);
          });
        });
        return;
      }
      case ForStatement: {
        const loop = node as ts.ForStatement;
        this.branch(() => {
          this.inScope(new Scope(this.scope, this.frame), () => {
            if (loop.initializer) {
              if (ts.isVariableDeclarationList(loop.initializer)) this.declarations(loop.initializer);
              else this.expr(loop.initializer);
            }
            if (loop.condition) this.expr(loop.condition);
            this.statement(loop.statement);
            if (loop.incrementor) this.expr(loop.incrementor);
          });
        });
        return;
      }
      case WhileStatement:
      case DoStatement: {
        const loop = node as ts.WhileStatement | ts.DoStatement;
        this.expr(loop.expression);
        this.branch(() => this.statement(loop.statement));
        return;
      }
      case SwitchStatement: {
        const switchStatement = node as ts.SwitchStatement;
        this.expr(switchStatement.expression);
        for (const clause of switchStatement.caseBlock.clauses) {
          this.branch(() => {
            if (ts.isCaseClause(clause)) this.expr(clause.expression);
            this.block(clause.statements, new Scope(this.scope, this.frame));
          });
        }
        return;
      }
      case TryStatement: {
        const tryStatement = node as ts.TryStatement;
        this.branch(() => this.block(tryStatement.tryBlock.statements, new Scope(this.scope, this.frame)));
        if (tryStatement.catchClause) {
          const clause = tryStatement.catchClause;
          this.branch(() => {
            const scope = new Scope(this.scope, this.frame);
            if (clause.variableDeclaration) this.inScope(scope, () => this.bindName(clause.variableDeclaration!.name, undefined, 'let', clause.variableDeclaration));
            this.block(clause.block.statements, scope);
          });
        }
        if (tryStatement.finallyBlock) this.block(tryStatement.finallyBlock.statements, new Scope(this.scope, this.frame));
        return;
      }
      case LabeledStatement:
        this.statement((node as ts.LabeledStatement).statement);
        return;
      case FunctionDeclaration: {
        const declaration = node as ts.FunctionDeclaration;
        if (!declaration.body) return;
        const ref = this.functions.get(declaration) ?? this.refFor(declaration, this.scope);
        this.evaluateFunction(ref);
        return;
      }
      case ClassDeclaration: {
        const declaration = node as ts.ClassDeclaration;
        const value = this.classValue(declaration);
        if (declaration.name) this.scope.declare(declaration.name.text, { value, kind: 'class', depth: this.frame.depth, frame: this.frame, declaration });
        return;
      }
      case ExportAssignment:
        this.expr((node as ts.ExportAssignment).expression);
        return;
      default:
        return;
    }
  }

  private get frame(): Frame {
    return this.scope.frame;
  }

  private branch(run: () => void): void {
    const frame = this.frame;
    frame.depth++;
    try {
      run();
    } finally {
      frame.depth--;
    }
  }

  private inScope<T>(scope: Scope, run: () => T): T {
    const saved = this.scope;
    this.scope = scope;
    try {
      return run();
    } finally {
      this.scope = saved;
    }
  }

  private declarations(list: ts.VariableDeclarationList): void {
    const kind: BindingKind = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
    for (const declaration of list.declarations) {
      const value = declaration.initializer ? this.expr(declaration.initializer) : undefined;
      this.bindName(declaration.name, value, kind, declaration);
    }
  }

  private ifStatement(node: ts.IfStatement): void {
    this.expr(node.expression);
    const whenTrue = refinementsOf(node.expression, true, this.guardHelpers);
    const whenFalse = refinementsOf(node.expression, false, this.guardHelpers);
    this.branch(() => this.statementWith(node.thenStatement, whenTrue));
    if (node.elseStatement) {
      const elseStatement = node.elseStatement;
      this.branch(() => this.statementWith(elseStatement, whenFalse));
    }
    const thenExits = alwaysExits(node.thenStatement);
    const elseExits = alwaysExits(node.elseStatement);
    // `if (!ok(x)) return;` makes x safe for the rest of the block.
    if (thenExits && !elseExits) this.refine(whenFalse, this.scope);
    else if (elseExits && !thenExits) this.refine(whenTrue, this.scope);
  }

  private statementWith(statement: ts.Statement, refinements: Refinement[]): void {
    const scope = new Scope(this.scope, this.frame);
    this.refine(refinements, scope);
    if (ts.isBlock(statement)) this.block(statement.statements, scope);
    else this.inScope(scope, () => this.statement(statement));
  }

  private refine(refinements: readonly Refinement[], scope: Scope): void {
    if (refinements.length > 0 && scope === this.moduleScope) this.changedModule = true;
    for (const refinement of refinements) {
      const current = this.inScope(scope, () => this.evaluate(refinement.node));
      scope.refined ??= new Map();
      scope.refined.set(refinement.key, clean(current, refinement.cleans));
    }
  }

  // ---- Bindings ----

  private bindName(name: ts.BindingName, value: Value | undefined, kind: BindingKind, declaration?: ts.Node): void {
    if (ts.isIdentifier(name)) {
      const binding = { value, kind, depth: this.frame.depth, frame: this.frame, declaration };
      this.scope.declare(name.text, binding);
      if (this.topLevel && this.scope === this.moduleScope) this.declared.push({ name: name.text, binding });
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const element of name.elements) {
        let elementValue: Value | undefined;
        if (element.dotDotDotToken) {
          elementValue = value && { ...value, props: value.props && new Map(value.props) };
        } else {
          const key = propertyNameText(element.propertyName ?? element.name);
          elementValue = key === undefined ? this.anyField(value) : this.member(value, key, element, false);
        }
        if (element.initializer) elementValue = merge(elementValue, this.expr(element.initializer));
        this.bindName(element.name, elementValue, kind, element);
      }
      return;
    }
    for (const element of name.elements) {
      if (ts.isOmittedExpression(element)) continue;
      let elementValue = value?.props ? undefined : elementOf(value);
      if (element.initializer) elementValue = merge(elementValue, this.expr(element.initializer));
      this.bindName(element.name, elementValue, kind, element);
    }
  }

  private assignName(name: string, value: Value | undefined): void {
    if (this.silent) return;
    const binding = this.scope.lookup(name);
    if (!binding) return;
    if (binding.frame === this.moduleScope.frame) this.changedModule = true;
    const replace = binding.frame === this.frame && this.frame.depth <= binding.depth;
    binding.value = replace ? value : merge(binding.value, value);
    if (this.scope.hasRefinements()) {
      for (let scope: Scope | undefined = this.scope; scope; scope = scope.parent) {
        if (!scope.refined) continue;
        for (const key of [...scope.refined.keys()]) if (key === name || key.startsWith(`${name}.`)) scope.refined.delete(key);
      }
    }
  }

  private assignTo(target: ts.Expression, value: Value | undefined): void {
    const node = unwrap(target);
    if (ts.isIdentifier(node)) this.assignName(node.text, value);
  }

  // ---- Expressions ----

  private expr(node: ts.Expression): Value | undefined {
    if (this.depth > MAX_DEPTH) return undefined;
    this.depth++;
    try {
      return this.expression(node);
    } finally {
      this.depth--;
    }
  }

  private expression(node: ts.Expression): Value | undefined {
    switch (node.kind) {
      case Identifier:
        return this.identifier(node as ts.Identifier);
      case StringLiteral:
      case NoSubstitutionTemplateLiteral:
        return { shape: (node as ts.StringLiteral).text, literal: true };
      case NumericLiteral:
      case BigIntLiteral:
        return { shape: (node as ts.NumericLiteral).text, literal: true };
      case TrueKeyword:
      case FalseKeyword:
      case NullKeyword:
      case RegularExpressionLiteral:
        return { literal: true };
      case ThisKeyword:
        return this.scope.lookup('this')?.value;
      case PropertyAccessExpression:
        return this.propertyAccess(node as ts.PropertyAccessExpression);
      case ElementAccessExpression:
        return this.elementAccess(node as ts.ElementAccessExpression);
      case CallExpression:
        return this.call(node as ts.CallExpression);
      case NewExpression:
        return this.newExpression(node as ts.NewExpression);
      case TemplateExpression:
        return this.template(node as ts.TemplateExpression);
      case TaggedTemplateExpression:
        return this.taggedTemplate(node as ts.TaggedTemplateExpression);
      case BinaryExpression:
        return this.binary(node as ts.BinaryExpression);
      case ConditionalExpression:
        return this.conditional(node as ts.ConditionalExpression);
      case ParenthesizedExpression:
      case AsExpression:
      case NonNullExpression:
      case SatisfiesExpression:
      case TypeAssertionExpression:
      case AwaitExpression:
        return this.expr((node as ts.ParenthesizedExpression).expression);
      case PrefixUnaryExpression:
        this.expr((node as ts.PrefixUnaryExpression).operand);
        return undefined;
      case PostfixUnaryExpression:
        this.expr((node as ts.PostfixUnaryExpression).operand);
        return undefined;
      case TypeOfExpression:
      case VoidExpression:
      case DeleteExpression:
        this.expr((node as ts.TypeOfExpression).expression);
        return undefined;
      case YieldExpression: {
        const inner = (node as ts.YieldExpression).expression;
        return inner ? this.expr(inner) : undefined;
      }
      case SpreadElement:
        return this.expr((node as ts.SpreadElement).expression);
      case ObjectLiteralExpression:
        return this.objectLiteral(node as ts.ObjectLiteralExpression);
      case ArrayLiteralExpression:
        return this.arrayLiteral(node as ts.ArrayLiteralExpression);
      case ArrowFunction:
      case FunctionExpression:
        return this.functionValue(node as ts.ArrowFunction);
      case ClassExpression:
        return this.classValue(node as ts.ClassExpression);
      case JsxElement:
      case JsxSelfClosingElement:
      case JsxFragment:
        this.jsx(node as ts.JsxElement);
        return undefined;
      default:
        ts.forEachChild(node, (child) => {
          if (ts.isExpression(child)) this.expr(child);
        });
        return undefined;
    }
  }

  private identifier(node: ts.Identifier): Value | undefined {
    if (this.scope.hasRefinements()) {
      const refined = this.scope.refinement(node.text);
      if (refined) return refined.value;
    }
    const binding = this.scope.lookup(node.text);
    return binding?.value;
  }

  private propertyAccess(node: ts.PropertyAccessExpression): Value | undefined {
    if (this.scope.hasRefinements()) {
      const key = dottedPath(node);
      if (key) {
        const refined = this.scope.refinement(key);
        if (refined) return refined.value;
      }
    }
    return this.member(this.expr(node.expression), node.name.text, node, true);
  }

  private elementAccess(node: ts.ElementAccessExpression): Value | undefined {
    const object = this.expr(node.expression);
    const key = literalText(node.argumentExpression);
    if (key !== undefined) {
      if (this.scope.hasRefinements()) {
        const path = dottedPath(node);
        const refined = path ? this.scope.refinement(path) : undefined;
        if (refined) return refined.value;
      }
      return this.member(object, key, node, true);
    }
    this.expr(node.argumentExpression);
    return object?.props ? mergeAll([...object.props.values()]) : this.anyField(object);
  }

  /** A field whose name is not known (`x[key]`): still input, no longer the whole object. */
  private anyField(value: Value | undefined): Value | undefined {
    if (!value?.taints) return undefined;
    return { taints: value.taints.map((taint) => ({ ...taint, whole: false, path: [...taint.path, '[]'] })) };
  }

  /** Reading `name` from a value: module exports, framework objects, known properties, fields of input. */
  private member(object: Value | undefined, name: string, node: ts.Node, isAccess: boolean): Value | undefined {
    if (!object) return undefined;
    if (object.props?.has(name)) return object.props.get(name);
    if (object.mod) return { mod: { name: object.mod.name, path: [...object.mod.path, name] } };
    if (object.root) return this.rootProperty(object.root, name, node);
    if (!object.taints || name === 'length') return undefined;
    const taints: Taint[] = [];
    for (const taint of object.taints) {
      if (this.fieldChecked(taint, name)) continue;
      taints.push({
        ...taint,
        whole: false,
        path: [...taint.path, name],
        label: isAccess ? this.label(node) : `${taint.label}.${name}`,
        // A parameter (server action, NestJS) is the input as a whole; where a field of it is read is more telling.
        node: taint.path.length === 0 && inSignature(taint.node) ? node : taint.node,
      });
    }
    return taints.length ? { taints } : undefined;
  }

  /** express-validator checked this field of the request (and validationResult was consulted). */
  private fieldChecked(taint: Taint, field: string): boolean {
    if (taint.origin.kind !== 'source' || taint.path.length > 0) return false;
    const handler = taint.origin.handler;
    if (!handler?.fieldChecks || !handler.fieldChecksActive) return false;
    return !!(handler.fieldChecks.get(taint.origin.location)?.has(field) || handler.fieldChecks.get('*')?.has(field));
  }

  private rootProperty(root: RootRef, name: string, node: ts.Node): Value | undefined {
    const entry = this.env.data.roots[root.kind]?.properties[name];
    return entry === undefined ? undefined : this.sourceEntry(entry, root.handler, node, undefined);
  }

  private sourceEntry(entry: SourceEntry, handler: HandlerContext | undefined, node: ts.Node, args: readonly ts.Expression[] | undefined): Value | undefined {
    if (typeof entry === 'string') return this.source(entry, node, handler, {});
    if (entry.clean) return undefined;
    if (entry.root) return { root: { kind: entry.root, handler } };
    if (!entry.location) return undefined;
    let field: string | undefined;
    if (entry.fieldArgument !== undefined && args?.[entry.fieldArgument]) field = literalText(args[entry.fieldArgument]) ?? '[]';
    return this.source(entry.location, node, handler, { field, structured: entry.structured, whole: entry.whole });
  }

  private source(location: string, node: ts.Node, handler: HandlerContext | undefined, options: SourceOptions): Value | undefined {
    const spec = this.env.data.locations[location];
    if (!spec) return undefined;
    if (handler && (handler.validated.has('*') || handler.validated.has(location))) return undefined;
    return { taints: [sourceTaint({ kind: 'source', location, handler, sourceNode: node }, spec, options, options.label ?? this.label(node), node)] };
  }

  private label(node: ts.Node): string {
    const dotted = ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? dottedPath(node) : undefined;
    if (dotted) return dotted.length > 60 ? `${dotted.slice(0, 57)}…` : dotted;
    const start = node.getStart(this.env.sourceFile);
    const text = this.env.text.slice(start, Math.min(node.end, start + 200)).replace(/\s+/g, ' ').replace(/^await /, '').replace(/\b(as|satisfies) [\w.<>[\]|' ]+$/, '').trim();
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  }

  private template(node: ts.TemplateExpression): Value | undefined {
    const parts: (Value | undefined)[] = [{ shape: node.head.text, literal: true }];
    for (const span of node.templateSpans) {
      parts.push(this.expr(span.expression));
      parts.push({ shape: span.literal.text, literal: true });
    }
    return concatenate(parts);
  }

  private taggedTemplate(node: ts.TaggedTemplateExpression): Value | undefined {
    this.expr(node.tag);
    const template = node.template;
    if (dottedPath(node.tag) === 'String.raw' && ts.isTemplateExpression(template)) return this.template(template);
    // Tagged templates (sql``, Prisma.sql``, html``) pass their values separately: they are parameterised.
    if (ts.isTemplateExpression(template)) for (const span of template.templateSpans) this.expr(span.expression);
    return undefined;
  }

  private binary(node: ts.BinaryExpression): Value | undefined {
    const operator = node.operatorToken.kind;
    switch (operator) {
      case EqualsToken:
      case PlusEqualsToken:
      case QuestionQuestionEqualsToken:
      case BarBarEqualsToken:
      case AmpersandAmpersandEqualsToken:
        return this.assignment(node);
      case PlusToken:
        return concatenate([this.expr(node.left), this.expr(node.right)]);
      case AmpersandAmpersandToken:
      case BarBarToken:
      case QuestionQuestionToken: {
        const left = this.expr(node.left);
        const refinements = operator === AmpersandAmpersandToken ? refinementsOf(node.left, true, this.guardHelpers) : operator === BarBarToken ? refinementsOf(node.left, false, this.guardHelpers) : [];
        const right = this.branchExpression(node.right, refinements);
        return operator === AmpersandAmpersandToken ? right : merge(left, right);
      }
      case CommaToken:
        this.expr(node.left);
        return this.expr(node.right);
      default:
        this.expr(node.left);
        this.expr(node.right);
        return undefined;
    }
  }

  private assignment(node: ts.BinaryExpression): Value | undefined {
    const operator = node.operatorToken.kind;
    const left = unwrap(node.left);
    const right = this.expr(node.right);
    let value = right;
    if (operator === ts.SyntaxKind.PlusEqualsToken) value = concatenate([this.evaluate(left), right]);
    else if (operator !== ts.SyntaxKind.EqualsToken) value = merge(this.evaluate(left), right);
    if (ts.isIdentifier(left)) {
      this.assignName(left.text, value);
    } else if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) {
      if (ts.isPropertyAccessExpression(left)) this.reportCandidates(assignSinkCandidates(left, node.right, value, this.sinkEnv), node);
      const key = ts.isPropertyAccessExpression(left) ? left.name.text : literalText(left.argumentExpression);
      const object = unwrap(left.expression);
      // `this.users = new UserService()` in a constructor: the instance's methods see it.
      const binding = ts.isIdentifier(object) ? this.scope.lookup(object.text) : object.kind === ThisKeyword ? this.scope.lookup('this') : undefined;
      if (binding?.value?.props && key !== undefined && !this.silent) {
        if (!this.ownObjects.has(binding.value.props)) this.changedModule = true;
        binding.value.props.set(key, merge(binding.frame === this.frame && this.frame.depth <= binding.depth ? undefined : binding.value.props.get(key), value));
      } else {
        this.expr(left.expression);
      }
    }
    return value;
  }

  private conditional(node: ts.ConditionalExpression): Value | undefined {
    this.expr(node.condition);
    const whenTrue = this.branchExpression(node.whenTrue, refinementsOf(node.condition, true, this.guardHelpers));
    const whenFalse = this.branchExpression(node.whenFalse, refinementsOf(node.condition, false, this.guardHelpers));
    return merge(whenTrue, whenFalse);
  }

  /** An expression that runs only when a condition holds (`c ? a : b`, `a && b`), with what the condition makes safe. */
  private branchExpression(node: ts.Expression, refinements: readonly Refinement[]): Value | undefined {
    const frame = this.frame;
    frame.depth++;
    try {
      if (refinements.length === 0) return this.expr(node);
      const scope = new Scope(this.scope, frame);
      this.refine(refinements, scope);
      return this.inScope(scope, () => this.expr(node));
    } finally {
      frame.depth--;
    }
  }

  private objectLiteral(node: ts.ObjectLiteralExpression): Value | undefined {
    const props = new Map<string, Value | undefined>();
    this.ownObjects.add(props);
    const taints: Taint[] = [];
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property)) {
        const value = this.expr(property.initializer);
        const name = propertyNameText(property.name);
        if (name !== undefined) props.set(name, value);
        else if (ts.isComputedPropertyName(property.name)) this.expr(property.name.expression);
      } else if (ts.isShorthandPropertyAssignment(property)) {
        props.set(property.name.text, this.identifier(property.name));
      } else if (ts.isSpreadAssignment(property)) {
        const value = this.expr(property.expression);
        if (value?.props) for (const [key, inner] of value.props) props.set(key, inner);
        for (const taint of value?.taints ?? []) if (taint.whole || taint.structured) taints.push(taint);
      } else if (ts.isMethodDeclaration(property) || ts.isGetAccessor(property) || ts.isSetAccessor(property)) {
        const name = propertyNameText(property.name);
        const value = property.body ? this.functionValue(property) : undefined;
        if (name !== undefined) props.set(name, value);
      }
    }
    return taints.length ? { props, taints } : { props };
  }

  private arrayLiteral(node: ts.ArrayLiteralExpression): Value | undefined {
    const taints: Taint[] = [];
    let constant = true;
    for (const element of node.elements) {
      const value = this.expr(element);
      if (!value?.literal) constant = false;
      for (const taint of value?.taints ?? []) if (taints.length < 4) taints.push(taint);
    }
    if (taints.length) return { taints };
    return constant ? { constList: true, literal: false } : undefined;
  }

  private jsx(node: ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment): void {
    const opening = ts.isJsxElement(node) ? node.openingElement : ts.isJsxSelfClosingElement(node) ? node : undefined;
    if (opening) {
      for (const attribute of opening.attributes.properties) {
        if (ts.isJsxAttribute(attribute)) {
          const initializer = attribute.initializer;
          if (initializer && ts.isJsxExpression(initializer) && initializer.expression) {
            const value = this.expr(initializer.expression);
            this.reportCandidates(jsxSinkCandidates(attribute, initializer.expression, value, this.sinkEnv), attribute);
          }
        } else if (ts.isJsxSpreadAttribute(attribute)) {
          this.expr(attribute.expression);
        }
      }
    }
    if (ts.isJsxElement(node) || ts.isJsxFragment(node)) {
      for (const child of node.children) {
        if (ts.isJsxExpression(child) && child.expression) this.expr(child.expression);
        else if (ts.isJsxElement(child) || ts.isJsxSelfClosingElement(child) || ts.isJsxFragment(child)) this.jsx(child);
      }
    }
  }

  // ---- Calls ----

  private call(node: ts.CallExpression): Value | undefined {
    const callee = unwrap(node.expression);
    // Every field up front: one object shape for all call sites keeps property reads fast.
    const site: CallSite = { node, args: node.arguments, argValues: [], receiverNode: undefined, method: undefined, calleeModule: undefined, globalName: undefined, constructorName: undefined };
    let receiver: Value | undefined;
    let calleeValue: Value | undefined;
    let calleeName: string | undefined;
    if (ts.isIdentifier(callee)) {
      calleeName = callee.text;
      const binding = this.scope.lookup(callee.text);
      if (binding) calleeValue = binding.value;
      else site.globalName = callee.text;
      if (callee.text === 'require' && !binding) {
        const module = literalText(node.arguments[0]);
        return module === undefined ? undefined : { mod: { name: moduleName(module), path: [] } };
      }
    } else if (ts.isPropertyAccessExpression(callee) || (ts.isElementAccessExpression(callee) && literalText(callee.argumentExpression) !== undefined)) {
      site.receiverNode = callee.expression;
      site.method = ts.isPropertyAccessExpression(callee) ? callee.name.text : literalText((callee as ts.ElementAccessExpression).argumentExpression);
      calleeName = site.method;
      receiver = this.expr(callee.expression);
      if (receiver?.mod || receiver?.props) calleeValue = this.member(receiver, site.method!, callee, true);
      const object = unwrap(callee.expression);
      if (!receiver && ts.isIdentifier(object) && GLOBAL_OBJECTS.has(object.text) && !this.scope.lookup(object.text)) site.globalName = site.method;
    } else if (callee.kind === ts.SyntaxKind.ImportKeyword) {
      for (const argument of node.arguments) this.expr(argument);
      return undefined;
    } else {
      calleeValue = this.expr(callee);
    }
    if (calleeValue?.mod) site.calleeModule = calleeValue.mod;
    site.argValues = this.callArguments(node.arguments, site.method, receiver, !!calleeValue?.fn);

    // The receiver's code is only needed when a matcher checks it: read it once, on demand.
    let receiverCache: string | undefined;
    const receiverCode = (): string => (receiverCache ??= site.receiverNode ? receiverText(site.receiverNode, this.sinkEnv) : '');
    if (this.calls.matches(this.env.data.compilers, site, receiverCode)) return { validator: true };
    if (this.calls.matches(this.env.data.validationResult, site, receiverCode)) {
      const handler = this.currentHandler();
      if (handler && !this.silent) handler.fieldChecksActive = true;
      return undefined;
    }
    if (this.calls.isValidation(site, calleeValue, calleeName, receiverCode)) {
      this.markValidated(site);
      return undefined;
    }
    const sourceFunction = this.calls.matchList(this.env.data.sourceFunctions, site, receiverCode);
    if (sourceFunction) return this.source(sourceFunction.location, node, this.currentHandler(), { structured: sourceFunction.structured, whole: sourceFunction.whole });
    if (receiver?.root && site.method) {
      const entry = this.env.data.roots[receiver.root.kind]?.methods[site.method];
      if (entry !== undefined) return this.sourceEntry(entry, receiver.root.handler, node, node.arguments);
    }

    if (!this.silent && mayCarryInput(site.argValues)) this.reportCandidates(callSinkCandidates(site, this.sinkEnv), node);

    const cleans = this.calls.matchList(this.env.data.sanitisers, site, receiverCode);
    if (cleans !== undefined) return clean(asText(site.argValues[0]), cleans);
    const propagation = this.calls.matchList(this.env.data.propagators, site, receiverCode);
    if (propagation) return this.calls.propagate(propagation, site.argValues);
    if (calleeValue?.fn) return (this.callWithRequestObject(calleeValue.fn, site.argValues) ?? { value: this.applySummary(calleeValue.fn, site.argValues, node, calleeName) }).value;
    const imported = calleeValue?.mod && this.callImported(calleeValue.mod, site, calleeName);
    if (imported) return imported.value;
    if (site.method && receiver?.taints) {
      if (this.env.data.getterMethods.has(site.method)) {
        const field = literalText(node.arguments[0]);
        return field !== undefined ? this.member(receiver, field, node, true) : this.anyField(receiver);
      }
      if (BOOLEAN_METHODS.has(site.method)) return undefined;
      if ((site.method === 'replace' || site.method === 'replaceAll') && keepsOnlySafeCharacters(node.arguments)) return undefined;
      if (site.method === 'then' || site.method === 'catch' || site.method === 'finally') return receiver;
      if (TEXT_METHODS.has(site.method)) return concatenate([asText(receiver), ...(site.method === 'concat' ? site.argValues : [])]);
      return { taints: receiver.taints.map((taint) => ({ ...taint, whole: false })) };
    }
    if (site.method && (site.method === 'concat' || site.method === 'replace' || site.method === 'replaceAll' || site.method === 'join')) {
      const text = asText(mergeAll(site.argValues));
      return text ? concatenate([receiver, text]) : receiver?.shape !== undefined ? { shape: receiver.shape } : undefined;
    }
    if (site.method && MUTATING_METHODS.has(site.method) && site.receiverNode && ts.isIdentifier(unwrap(site.receiverNode))) {
      const added = mergeAll(site.argValues);
      if (added?.taints) this.assignName((unwrap(site.receiverNode) as ts.Identifier).text, merge(receiver, { taints: added.taints }));
    }
    return undefined;
  }

  private newExpression(node: ts.NewExpression): Value | undefined {
    const callee = unwrap(node.expression);
    const site: CallSite = { node, args: node.arguments ?? [], argValues: [], receiverNode: undefined, method: undefined, calleeModule: undefined, globalName: undefined, constructorName: undefined };
    let calleeValue: Value | undefined;
    if (ts.isIdentifier(callee)) {
      site.constructorName = callee.text;
      const binding = this.scope.lookup(callee.text);
      if (binding) calleeValue = binding.value;
      else site.globalName = callee.text;
    } else if (ts.isPropertyAccessExpression(callee)) {
      site.constructorName = callee.name.text;
      calleeValue = this.expr(callee);
    } else {
      this.expr(callee);
    }
    if (calleeValue?.mod) site.calleeModule = calleeValue.mod;
    site.argValues = this.callArguments(site.args, undefined, undefined);
    if (!this.silent && mayCarryInput(site.argValues)) this.reportCandidates(callSinkCandidates(site, this.sinkEnv), node);
    // An instance of a class another file of the workspace exports: its methods are that file's (`UserService.find`).
    if (calleeValue?.mod && this.isWorkspaceModule(calleeValue.mod.name)) return { mod: calleeValue.mod };
    // An instance of a class of this file: its methods, with their summaries, and what its
    // constructor sets on `this` from the arguments (`new Item(req.body.name).name`).
    const instance = calleeValue && this.classInstances.get(calleeValue);
    if (instance) {
      const constructor = this.classConstructors.get(instance);
      if (!constructor?.summary) return instance;
      return instantiate(instance, site.argValues, { name: site.constructorName ?? constructor.name ?? 'the class', call: node }, constructor.node) ?? instance;
    }
    const first = site.argValues[0];
    switch (site.constructorName) {
      case 'URL':
        if (first?.root?.kind === 'requestUrl') return { root: { kind: 'url', handler: first.root.handler } };
        return asText(first);
      case 'URLSearchParams':
      case 'Request':
      case 'String':
        return asText(first);
      case 'Set':
        return first?.constList ? { constList: true } : first;
      default:
        return undefined;
    }
  }

  /**
   * Evaluates arguments in order. A callback runs where it is written: on input (`items.map(item => …)`,
   * `request.json().then(body => …)`) its parameters carry the input; handed to a function of this
   * file it gets a summary that function's own summary can use; handed to a library it needs none.
   */
  private callArguments(args: readonly ts.Expression[], method: string | undefined, receiver: Value | undefined, localCallee = false): (Value | undefined)[] {
    const values: (Value | undefined)[] = [];
    for (const argument of args) {
      if (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) {
        let paramValues: (Value | undefined)[] | undefined;
        if (receiver?.taints && method) {
          if (ARRAY_CALLBACKS.has(method)) paramValues = [elementOf(receiver)];
          else if (method === 'reduce' || method === 'reduceRight') paramValues = [undefined, elementOf(receiver)];
          else if (method === 'then') paramValues = [receiver];
        }
        values.push(this.functionValue(argument, paramValues, !paramValues && localCallee));
      } else {
        values.push(this.expr(ts.isSpreadElement(argument) ? argument.expression : argument));
      }
    }
    return values;
  }





  /** A validator was given these arguments: they count as checked for the rest of the block. */
  private markValidated(site: CallSite): void {
    if (this.silent) return;
    for (let index = 0; index < site.args.length; index++) {
      const key = dottedPath(site.args[index]);
      if (!key || !site.argValues[index]?.taints) continue;
      if (this.scope === this.moduleScope) this.changedModule = true;
      this.scope.refined ??= new Map();
      this.scope.refined.set(key, undefined);
    }
  }


  private currentHandler(): HandlerContext | undefined {
    for (let scope: Scope | undefined = this.scope; scope; scope = scope.parent) if (scope.frame.handler) return scope.frame.handler;
    return undefined;
  }

  // ---- Functions and classes ----

  private refFor(node: ts.SignatureDeclaration, scope: Scope, thisValue?: Value): FunctionRef {
    let ref = this.functions.get(node);
    if (!ref) {
      ref = { node, scope, state: 'pending', thisValue, name: node.name && propertyNameText(node.name as ts.PropertyName) };
      this.functions.set(node, ref);
    }
    return ref;
  }

  private functionValue(node: FunctionNode, paramValues?: (Value | undefined)[], summarise = true): Value {
    const ref = this.refFor(node, this.scope);
    if (ref.state === 'pending' && !this.silent) this.evaluateFunction(ref, paramValues, summarise);
    return { fn: ref };
  }

  /**
   * Evaluates a function once: as a request handler (parameters bound to the request), with
   * given parameter values (callbacks over input), or with symbolic parameters whose flows
   * become its summary (`summarise`), or else with parameters that carry nothing.
   */
  /** Evaluates the function once (with `paramValues`, or as a handler, or for its summary); gives what it returns. */
  private evaluateFunction(ref: FunctionRef, paramValues?: (Value | undefined)[], summarise = true): Value | undefined {
    if (ref.state !== 'pending' || !isFunctionNode(ref.node)) return undefined;
    const fn = ref.node;
    // A function declared elsewhere gets its summary from the state at its first call.
    if (this.topLevel && (fn.pos < this.topLevel.pos || fn.end > this.topLevel.end)) this.changedModule = true;
    ref.state = 'running';
    const handler = paramValues ? undefined : detectHandler(fn, this.handlerEnv);
    const summary: Summary | undefined = handler || paramValues || !summarise ? undefined : { returns: undefined, hits: [] };
    const frame = new Frame(fn, handler, summary);
    const scope = new Scope(ref.scope as Scope, frame);
    const saved = this.scope;
    const savedDepth = this.depth;
    this.scope = scope;
    this.depth = 0;
    try {
      if (ref.thisValue && !ts.isArrowFunction(fn)) scope.declare('this', { value: ref.thisValue, kind: 'const', depth: 0, frame });
      fn.parameters.forEach((parameter, index) => {
        let value: Value | undefined;
        if (paramValues) value = paramValues[index];
        else if (handler) value = this.roleValue(handler, handler.roles[index], parameter);
        else if (summary) value = { taints: [parameterTaint(fn, index, ts.isIdentifier(parameter.name) ? parameter.name.text : `argument ${index + 1}`, parameter)] };
        if (parameter.initializer) value = merge(value, this.expr(parameter.initializer));
        this.bindName(parameter.name, value, 'param', parameter);
      });
      if (fn.body) {
        if (ts.isBlock(fn.body)) this.block(fn.body.statements, scope);
        else frame.returns.push(this.expr(fn.body));
      }
    } finally {
      this.scope = saved;
      this.depth = savedDepth;
      ref.state = 'done';
    }
    const returns = mergeAll(frame.returns);
    if (summary) {
      summary.returns = returns;
      ref.summary = summary;
    }
    return returns;
  }

  /**
   * A handler that hands its request object to a helper of the same file (`save(req)`, the helper
   * reading `input.body`): a summary only carries taint, not the framework object, so the helper
   * is evaluated for this call with the real arguments. Bounded: no recursion, three deep at most.
   */
  private callWithRequestObject(ref: FunctionRef, args: readonly (Value | undefined)[]): { value: Value | undefined } | undefined {
    if (this.silent || !isFunctionNode(ref.node)) return undefined;
    // A helper declared further down: its summary says whether it passes parameters to another module.
    if (ref.state === 'pending' && this.env.importedModules) this.evaluateFunction(ref);
    if (this.callModules.has(ref.node) && !carriesRequestInput(args)) this.markCallsModules();
    if (!args.some((value) => value?.root) && !(this.callModules.has(ref.node) && carriesRequestInput(args))) return undefined;
    if (this.requestCalls.has(ref.node) || this.requestCalls.size >= 3) return undefined;
    const fresh: FunctionRef = { node: ref.node, scope: ref.scope, state: 'pending', ...(ref.thisValue ? { thisValue: ref.thisValue } : {}), ...(ref.name ? { name: ref.name } : {}) };
    this.requestCalls.add(ref.node);
    try {
      return { value: this.evaluateFunction(fresh, [...args]) };
    } finally {
      this.requestCalls.delete(ref.node);
    }
  }

  private roleValue(handler: HandlerContext, role: ParamRole | undefined, parameter: ts.ParameterDeclaration): Value | undefined {
    if (!role || role.kind === 'clean') return undefined;
    if (role.kind === 'root') return { root: { kind: role.root, handler } };
    const label = ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
    return this.source(role.location, parameter, handler, { field: role.field, structured: role.structured, whole: role.whole, label });
  }

  private applySummary(ref: FunctionRef, args: readonly (Value | undefined)[], call: ts.Node, name: string | undefined): Value | undefined {
    if (ref.state === 'pending') {
      if (this.silent) return undefined;
      this.evaluateFunction(ref);
    }
    const summary = ref.summary;
    if (!summary) return undefined;
    const via = { name: name ?? ref.name ?? 'a helper', call };
    reportHitsAtCall(summary.hits, (taint, index) => resolveParamTaint(args[index], taint, via, true), (hit) => this.reportHit(hit));
    return instantiate(summary.returns, args, via, ref.node);
  }

  /**
   * A call to a function another file of the workspace exports: its parameters' sinks are
   * reported here, at the argument, with the sink in that file as the hit's `remote`.
   */
  private callImported(module: ModuleRef, site: CallSite, name: string | undefined): { value: Value | undefined } | undefined {
    const imported = this.env.importedModules;
    // A request object handed on counts in a file that imports a web framework: HTTP client code
    // passes its own `request` objects around all the time.
    const requestObjects = this.env.facts.frameworkImport && site.argValues.some((value) => value?.root);
    if (!imported || !(mayCarryInput(site.argValues) || requestObjects)) return undefined;
    if (!this.env.followParameters && !requestObjects && !carriesRequestInput(site.argValues)) {
      if (this.isWorkspaceModule(module.name)) this.markCallsModules();
      return undefined;
    }
    const sinks = imported.sinks(module.name);
    const exported = sinks && exportAt(sinks, module.path);
    if (!exported) return undefined;
    const call = site.node as ts.CallExpression;
    const via = { name: name ?? 'a helper', call };
    const atCall: SinkHit[] = exported.hits.map((hit) => ({
      pattern: hit.pattern,
      node: site.args[hit.taint.index] ?? call,
      site: call,
      requirement: hit.requirement,
      taint: attachedTaint(hit.taint, call),
      remote: hit.remote,
      ...(hit.fixes ? { fixes: hit.fixes } : {}),
    }));
    reportHitsAtCall(atCall, (taint, index) => this.throughImportedParameter(site, index, taint, via), (hit) => this.reportHit(hit));
    return { value: exported.returns ? instantiate({ taints: exported.returns.map((taint) => attachedTaint(taint, call)) }, site.argValues, via, call) : undefined };
  }

  /**
   * The argument's input as a parameter taint of another module's function describes it. A
   * request object handed over whole (`users.create(req)`, the module reading `input.body.name`)
   * gives the input its field path names.
   */
  private throughImportedParameter(site: CallSite, index: number, taint: Taint, via: { name: string; call: ts.Node }): Taint[] {
    const argument = site.argValues[index];
    const node = site.args[index];
    if (!argument?.root || taint.path.length === 0 || !node) return resolveParamTaint(argument, taint, via, true);
    const field = taint.path[0];
    const read = this.rootProperty(argument.root, field, node);
    const labelled = read?.taints && { taints: read.taints.map((input) => ({ ...input, label: `${input.label}.${field}` })) };
    return resolveParamTaint(labelled, { ...taint, path: taint.path.slice(1) }, via, true);
  }

  /** A module of the workspace (relative, or mapped by the project's tsconfig), not a package. */
  private isWorkspaceModule(specifier: string): boolean {
    const imported = this.env.importedModules;
    return imported ? imported.inWorkspace(specifier) : isRelativeSpecifier(specifier);
  }

  /** The functions being evaluated pass a parameter to another module: a call with request input evaluates them again. */
  private markCallsModules(): void {
    for (let scope: Scope | undefined = this.scope; scope; scope = scope.parent) if (scope.frame.fn && scope.frame.summary) this.callModules.add(scope.frame.fn);
  }

  /**
   * The functions the module exports, each with its summary: `export function`, `export const`,
   * `export { a as b }`, `export default`, `module.exports = …`, `exports.x = …`, and the
   * functions of an exported object literal. Call after `run`.
   */
  exportedFunctions(): FunctionExport[] {
    const found = new Map<string, FunctionRef>();
    const add = (name: string, value: Value | undefined) => {
      if (value?.fn) found.set(name, value.fn);
      // An object's functions, or a class's methods (`exports.Shell = class Shell { … }`).
      else for (const [key, inner] of (value && this.classInstances.get(value))?.props ?? value?.props ?? []) if (inner?.fn) found.set(`${name}.${key}`, inner.fn);
    };
    const bound = (name: string) => this.moduleScope.lookup(name)?.value;
    for (const statement of this.env.sourceFile.statements) {
      const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
      const exported = modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
      const isDefault = modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword);
      if (ts.isFunctionDeclaration(statement) && exported) {
        const ref = this.functions.get(statement);
        if (ref) found.set(isDefault ? 'default' : statement.name?.text ?? 'default', ref);
      } else if (ts.isClassDeclaration(statement) && exported) {
        for (const [method, ref] of this.methodsOf(statement)) {
          if (statement.name) found.set(`${statement.name.text}.${method}`, ref);
          if (isDefault) found.set(`default.${method}`, ref);
        }
      } else if (ts.isVariableStatement(statement) && exported) {
        for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) add(declaration.name.text, bound(declaration.name.text));
      } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) add(element.name.text, bound((element.propertyName ?? element.name).text));
      } else if (ts.isExportAssignment(statement)) {
        this.addExports(add, [], this.evaluate(statement.expression));
      } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === EqualsToken) {
        const target = commonJsExport(statement.expression.left);
        if (target) this.addExports(add, target, this.evaluate(statement.expression.right));
      }
    }
    const exports: FunctionExport[] = [];
    for (const [name, ref] of found) {
      if (ref.state === 'pending') this.evaluateFunction(ref);
      if (ref.summary) exports.push({ name, fn: ref.node, summary: ref.summary });
    }
    return exports;
  }

  /** The methods of a class of this file with bodies the analysis evaluated (instance and static alike). */
  private methodsOf(node: ts.ClassLikeDeclaration): [string, FunctionRef][] {
    const methods: [string, FunctionRef][] = [];
    for (const member of node.members) {
      const fn = ts.isMethodDeclaration(member) ? member : ts.isPropertyDeclaration(member) && member.initializer && (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer)) ? member.initializer : undefined;
      const name = member.name && propertyNameText(member.name);
      const ref = fn && this.functions.get(fn);
      if (ref && name !== undefined) methods.push([name, ref]);
    }
    return methods;
  }

  /** `module.exports = { a, b }` exports `a` and `b`; `module.exports = fn` and `export default fn`, `default`. */
  private addExports(add: (name: string, value: Value | undefined) => void, target: readonly string[], value: Value | undefined): void {
    if (target.length) return add(target.join('.'), value);
    if (value?.fn) return add('default', value);
    // `module.exports = UserService`: `new (require('./users'))()`'s methods.
    for (const [key, inner] of (value && this.classInstances.get(value))?.props ?? value?.props ?? []) add(key, inner);
  }

  /**
   * Constructor parameter properties typed with a class imported from a workspace module
   * (`constructor(private readonly users: UsersService)`, as NestJS injects services): `this.users`
   * is an instance of it, whose methods that module exports.
   */
  private injectedServices(node: ts.ClassLikeDeclaration): [string, Value][] {
    const services: [string, Value][] = [];
    const constructor = node.members.find(ts.isConstructorDeclaration);
    for (const parameter of constructor?.parameters ?? []) {
      const typeName = typeReferenceName(parameter.type);
      if (!ts.isIdentifier(parameter.name) || !typeName || !ts.getModifiers(parameter)?.length) continue;
      const imported = this.scope.lookup(typeName)?.value?.mod;
      if (imported && this.isWorkspaceModule(imported.name)) services.push([parameter.name.text, { mod: imported }]);
    }
    return services;
  }

  private classValue(node: ts.ClassLikeDeclaration): Value {
    const thisValue: Value = { props: new Map() };
    // Made by this statement: what its constructor sets on `this` changes nothing outside it.
    this.ownObjects.add(thisValue.props!);
    const refs: FunctionRef[] = [];
    for (const [name, service] of this.injectedServices(node)) thisValue.props!.set(name, service);
    for (const member of node.members) {
      if ((ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member) || ts.isGetAccessor(member) || ts.isSetAccessor(member)) && member.body) {
        const ref = this.refFor(member, this.scope, thisValue);
        const name = ts.isConstructorDeclaration(member) ? undefined : propertyNameText(member.name);
        if (name !== undefined) thisValue.props!.set(name, { fn: ref });
        // The constructor first: the methods see what it sets on `this`.
        if (ts.isConstructorDeclaration(member)) {
          refs.unshift(ref);
          this.classConstructors.set(thisValue, ref);
        } else {
          refs.push(ref);
        }
      } else if (ts.isPropertyDeclaration(member) && member.initializer && (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))) {
        const ref = this.refFor(member.initializer, this.scope, thisValue);
        const name = propertyNameText(member.name);
        if (name !== undefined) thisValue.props!.set(name, { fn: ref });
        refs.push(ref);
      } else if (ts.isPropertyDeclaration(member) && member.initializer && ts.isNewExpression(member.initializer)) {
        // `private users = new UserService()`: an instance whose methods are known.
        const name = propertyNameText(member.name);
        const instance = this.expr(member.initializer);
        if (name !== undefined && instance) thisValue.props!.set(name, instance);
      }
    }
    for (const ref of refs) this.evaluateFunction(ref);
    const value: Value = {};
    this.classInstances.set(value, thisValue);
    return value;
  }

  // ---- Sinks ----

  private reportCandidates(candidates: readonly SinkCandidate[], site: ts.Node): void {
    if (candidates.length === 0 || this.silent) return;
    for (const candidate of candidates) {
      const taints = (candidate.value.taints ?? []).filter((taint) => meets(taint, candidate.pattern.kindBit, candidate.requirement));
      if (taints.length === 0) continue;
      const hit: Omit<SinkHit, 'taint'> = { pattern: candidate.pattern, node: candidate.node, site, requirement: candidate.requirement };
      if (candidate.requirement === 'whole') hit.wholeExpressions = wholeExpressions(candidate.node, this.sinkEnv);
      if (candidate.pattern.rule.kind === 'sql' && candidate.argIndex === 0 && ts.isCallExpression(site)) {
        const fix = this.sqlFix(site);
        if (fix) hit.fixes = [fix];
      }
      for (const taint of taints) this.reportHit({ ...hit, taint });
    }
  }

  private sqlFix(call: ts.CallExpression): FixHint | undefined {
    const callee = unwrap(call.expression);
    if (!this.env.sqlFix || !ts.isPropertyAccessExpression(callee)) return undefined;
    return this.env.sqlFix(call, callee.name.text, receiverText(callee.expression, this.sinkEnv), {
      isTainted: (expression) => isTainted(this.evaluate(expression), KIND_BITS.sql),
      declarationOf: (identifier) => {
        const binding = this.scope.lookup(identifier.text);
        // The fix then counts the variable's uses across the whole file.
        if (binding?.frame === this.moduleScope.frame) this.dependsOnFile = true;
        return binding && { kind: binding.kind, declaration: binding.declaration };
      },
    });
  }

  private reportHit(hit: SinkHit): void {
    if (!this.silent) routeHit(hit, this.scope, (reported) => this.env.report(reported));
  }
}

/** `module.exports` → [], `exports.find` / `module.exports.find` → ['find']; undefined for anything else. */
function commonJsExport(target: ts.Expression): string[] | undefined {
  const path = dottedPath(target);
  if (path === 'module.exports') return [];
  const match = path && /^(?:module\.)?exports\.([\w$]+)$/.exec(path);
  return match ? [match[1]] : undefined;
}

/** Whether an argument (or a property of one) holds input read from a request, not only a parameter's. */
function carriesRequestInput(values: readonly (Value | undefined)[]): boolean {
  const fromRequest = (value: Value | undefined, depth: number): boolean =>
    !!value && (!!value.taints?.some((taint) => taint.origin.kind === 'source') || (depth < 2 && !!value.props && [...value.props.values()].some((inner) => fromRequest(inner, depth + 1))));
  return values.some((value) => fromRequest(value, 0));
}

/** Only arguments with input, or with properties that may hold some, can make a sink report anything. */
function mayCarryInput(values: readonly (Value | undefined)[]): boolean {
  for (const value of values) if (value?.taints || value?.props) return true;
  return false;
}

/** A parameter, or a name destructured in one (`{ searchParams }`). */
function inSignature(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node, depth = 0; current && depth < 6; current = current.parent, depth++) {
    if (ts.isParameter(current)) return true;
    if (!ts.isBindingElement(current) && !ts.isObjectBindingPattern(current) && !ts.isArrayBindingPattern(current)) return false;
  }
  return false;
}
