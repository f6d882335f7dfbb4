import type {
  PyAssign, PyBinOp, PyCall, PyClassDef, PyDict, PyExpr, PyIf, PyModule, PyNode, PyParam,
  PyStatement, PyStr, PySubscript,
} from '../../python/ast';
import { positionalArg, stringValue } from '../../python/walk';
import type { FixHint } from '../../types';
import { PyCallSemantics, BOOLEAN_METHODS, MUTATING_METHODS, SPLIT_METHODS, TEXT_METHODS, braceFormat, percentFormat } from './pyCallSemantics';
import { importedClassRole, qualifiedName, type ClassRole, type PyFileFacts } from './pyFileFacts';
import { pyAlwaysExits, pyKey, pyRefinementsOf, type PyCalleeInfo, type PyGuardHelpers, type PyRefinement } from './pyGuards';
import { detectPyHandler, isViewClass, numericViewKwargs, type PyHandler, type PyParamRole } from './pyHandlers';
import type { ViewParameters } from '../../routes/link/viewParameters';
import { attachedTaint, type ImportedModules, type PyExportedSinks } from '../moduleSinks';
import type { PyInputData } from './pyRuleData';
import { pyCallSinkCandidates, receiverCode, type PyCallSite, type PySinkCandidate, type PySinkEnvironment } from './pySinks';
import { strPieces } from './pyStrings';
import type { SourceEntry } from '../ruleData';
import { reportHitsAtCall, routeHit } from '../shared/summaryHits';
import { parameterTaint, sourceTaint, type SourceOptions } from '../shared/taintCore';
import {
  ALL_KINDS, KIND_BITS, addTaints, anyField, asText, clean, concatenate, deepTaints, elementOf, instantiate, isTainted, meets, merge, mergeAll,
  resolveParamTaint, type PyFunctionNode, type PyFunctionRef, type PySinkHit, type PySummary, type PyTaint, type PyValue,
} from './pyValues';

/**
 * Follows request input through one Python file. One walk evaluates each statement once, in
 * order, with an environment of abstract values: handlers bind their parameters to request
 * objects or input, reading request attributes yields tainted values, assignments, unpacking,
 * subscripts, f-strings, `%`, `.format` and `+` carry the taint, validators and guards remove
 * it, and sinks report it. Every other function is evaluated once with its parameters as
 * symbols, giving a summary (what it returns, which parameters reach which sinks) that calls
 * in the same file apply. Calls into other modules of the workspace apply the summaries of
 * those modules' functions (pyModuleSinks.ts), when the caller provides them.
 */

export interface PyFlowEnvironment {
  module: PyModule;
  text: string;
  data: PyInputData;
  facts: PyFileFacts;
  validators: ReadonlySet<string>;
  libraryPresent(libraries: readonly string[]): boolean;
  report(hit: PySinkHit): void;
  /** Builds the parameterisation fix at a SQL sink, when it can be sure of one. */
  sqlFix?(call: PyCall, site: PyCallSite, isTainted: (expression: PyExpr) => boolean): FixHint | undefined;
  /** The file's Django views and their URL parameters, from the workspace's URL configuration. */
  viewParameters?: ViewParameters;
  /** The sinks of the workspace modules the file imports, asked for when a call to one carries input. */
  importedModules?: ImportedModules;
}

interface Binding {
  value: PyValue | undefined;
}

/**
 * One level of branching inside a function (the function body itself is level 0): what the
 * guards of the branch made safe (by key: `x`, `data.user`, `request.args["next"]`) and what
 * it assigned (by name). Levels are joined when the branch ends; an `if` joins its two
 * branches exactly, so `if not ok(x): x = "/"` leaves x safe.
 */
interface Level {
  refined?: Map<string, PyValue | undefined>;
  assigned?: Map<string, PyValue | undefined>;
}

class Frame {
  readonly levels: Level[] = [{}];
  readonly returns: (PyValue | undefined)[] = [];
  /** The function's own scope (comprehensions add scopes of their own inside it). */
  scope!: Scope;
  constructor(readonly fn: PyFunctionNode | undefined, readonly handler: PyHandler | undefined, readonly summary: PySummary | undefined) {}
}

class Scope {
  readonly vars = new Map<string, Binding>();
  constructor(readonly parent: Scope | undefined, readonly frame: Frame) {
    frame.scope ??= this;
  }
}

const MAX_DEPTH = 300;
const SQL_KEYWORDS = new Set(['sql', 'query', 'statement', 'operation', 'raw_query']);

export class PyFlowAnalysis {
  private scope: Scope;
  private readonly functions = new Map<PyNode, PyFunctionRef>();
  /** A Django view class's `self`, and its URL parameters every pattern converts to a number (numericViewKwargs). */
  private readonly numericUrlKwargs = new WeakMap<PyValue, ReadonlySet<string>>();
  /** The `__init__` of a class of this file, by the value its instances share (`PyValue.made`). */
  private readonly classInits = new WeakMap<PyValue, PyFunctionRef>();
  private readonly calls: PyCallSemantics;
  private readonly sinkEnv: PySinkEnvironment;
  private readonly guards: PyGuardHelpers;
  private refinementCount = 0;
  private silent = 0;
  private depth = 0;

  constructor(private readonly env: PyFlowEnvironment) {
    this.scope = new Scope(undefined, new Frame(undefined, undefined, undefined));
    this.calls = new PyCallSemantics(env.text);
    this.sinkEnv = { data: env.data, text: env.text, libraryPresent: env.libraryPresent };
    this.guards = {
      data: env.data,
      validators: env.validators,
      evaluate: (expression) => this.evaluate(expression),
      callee: (call) => this.calleeInfo(call),
      urlSource: (expression) => this.evaluate(expression)?.urlOf,
    };
  }

  run(): void {
    for (const [local, ref] of this.env.facts.imports) this.declare(local, this.moduleValue(ref));
    this.hoist(this.env.module.body);
    this.bindConstants(this.env.module.body);
    this.statements(this.env.module.body, true);
  }

  /** Evaluates without reporting or changing anything (a guard's subject, re-reading an argument). */
  evaluate(expression: PyExpr): PyValue | undefined {
    this.silent++;
    try {
      return this.expr(expression);
    } finally {
      this.silent--;
    }
  }

  private get frame(): Frame {
    return this.scope.frame;
  }

  private declare(name: string, value: PyValue | undefined): void {
    this.scope.vars.set(name, { value });
  }

  /** Module-level functions and classes exist before any handler runs. */
  private hoist(body: readonly PyStatement[]): void {
    for (const statement of body) {
      if (statement.type === 'FunctionDef') this.declare(statement.name, { fn: this.refFor(statement, this.scope) });
      else if (statement.type === 'ClassDef') this.declare(statement.name, { cls: this.env.facts.classes.get(statement.name)?.role ?? 'other' });
    }
  }

  /** Module-level constants (allowlists, base URLs, compiled patterns), wherever they are written. */
  private bindConstants(body: readonly PyStatement[]): void {
    for (const statement of body) {
      if (statement.type !== 'Assign' || !statement.value || !isConstantExpression(statement.value, 0)) continue;
      for (const target of statement.targets) if (target.type === 'Name') this.declare(target.id, this.evaluate(statement.value));
    }
  }

  // ---- Statements ----

  private statements(body: readonly PyStatement[], guardEach = false): void {
    for (const statement of body) {
      if (!guardEach) {
        this.statement(statement);
        continue;
      }
      const scope = this.scope;
      try {
        this.statement(statement);
      } catch {
        // A construct the analysis trips over costs that statement's findings, not the file's.
        this.scope = scope;
      }
    }
  }

  private statement(node: PyStatement): void {
    switch (node.type) {
      case 'ExprStatement':
        this.expr(node.value);
        return;
      case 'Assign':
        this.assignStatement(node);
        return;
      case 'Return': {
        const value = node.value ? this.expr(node.value) : undefined;
        this.frame.returns.push(value);
        if (node.value && this.frame.handler?.flaskView) this.returnSink(node, node.value, value);
        return;
      }
      case 'If':
        this.ifStatement(node);
        return;
      case 'For': {
        const iterated = this.expr(node.iter);
        this.branch(() => {
          this.assignTarget(node.target, elementOf(iterated));
          this.statements(node.body);
        });
        this.branch(() => this.statements(node.orelse));
        return;
      }
      case 'While':
        this.expr(node.test);
        this.branch(() => this.statements(node.body));
        this.branch(() => this.statements(node.orelse));
        return;
      case 'With':
        for (const item of node.items) {
          const value = this.expr(item.contextExpr);
          if (item.optionalVars) this.assignTarget(item.optionalVars, value?.instance || value?.kind || value?.taints ? value : undefined);
        }
        this.statements(node.body);
        return;
      case 'Try': {
        // After the try: the body (and its else) ran to the end, or a handler that did not leave.
        const body = this.level(() => {
          this.statements(node.body);
          this.statements(node.orelse);
        });
        const handlers = node.handlers.map((handler) => this.level(() => {
          if (handler.exceptionType) this.expr(handler.exceptionType);
          if (handler.name) this.assignName(handler.name, undefined);
          this.statements(handler.body);
        }));
        this.join([body, ...handlers], [pyAlwaysExits(node.body) || pyAlwaysExits(node.orelse), ...node.handlers.map((handler) => pyAlwaysExits(handler.body))], false);
        this.statements(node.finalbody);
        return;
      }
      case 'Raise':
        if (node.exc) this.expr(node.exc);
        return;
      case 'Assert': {
        this.expr(node.test);
        this.refine(pyRefinementsOf(node.test, true, this.guards));
        return;
      }
      case 'FunctionDef': {
        for (const decorator of node.decorators) this.expr(decorator);
        const ref = this.functions.get(node) ?? this.refFor(node, this.scope);
        this.assignName(node.name, { fn: ref });
        this.evaluateFunction(ref);
        return;
      }
      case 'ClassDef':
        this.assignName(node.name, this.classValue(node));
        return;
      case 'Import':
      case 'ImportFrom':
        // Imports inside functions: the file's import table already knows them.
        for (const alias of node.names) {
          const local = node.type === 'Import' ? alias.asname ?? alias.name.split('.')[0] : alias.asname ?? alias.name;
          const ref = this.env.facts.imports.get(local);
          if (ref && this.frame.fn) this.declare(local, this.moduleValue(ref));
        }
        return;
      case 'Match':
        this.expr(node.subject);
        for (const matchCase of node.cases) this.branch(() => this.statements(matchCase.body));
        return;
      case 'Delete':
        for (const target of node.targets) this.expr(target);
        return;
      case 'ErrorStatement':
        if (node.partial) this.statement(node.partial);
        for (const expression of node.expressions) this.expr(expression);
        return;
      default:
        return;
    }
  }

  /** Code that may or may not run (a loop body, a try block, one side of `a if c else b`): afterwards, either value. */
  private branch(run: () => void): void {
    const level = this.level(run);
    this.join([level], [false], true);
  }

  /** Runs code one branching level deeper and returns what that level refined and assigned. */
  private level(run: () => void): Level {
    const frame = this.frame;
    frame.levels.push({});
    try {
      run();
    } catch (error) {
      frame.levels.pop();
      throw error;
    }
    return frame.levels.pop()!;
  }

  /**
   * After branches: each name a branch assigned takes the value of every branch that can
   * reach here — its assignment, else what its guards made of the name, else the value
   * before (which also counts when the branch may not have run at all).
   */
  private join(levels: readonly Level[], exits: readonly boolean[], mayNotRun: boolean): void {
    if (this.silent) return;
    const names = new Set<string>();
    for (const level of levels) for (const name of level.assigned?.keys() ?? []) names.add(name);
    if (names.size === 0) return;
    if (!mayNotRun && exits.every((exit) => exit)) return;
    for (const name of names) {
      const before = this.name(name);
      const values: (PyValue | undefined)[] = mayNotRun ? [before] : [];
      levels.forEach((level, index) => {
        if (exits[index]) return;
        if (level.assigned?.has(name)) values.push(level.assigned.get(name));
        else if (level.refined?.has(name)) values.push(level.refined.get(name));
        else values.push(before);
      });
      this.assignName(name, mergeAll(values));
    }
  }

  private ifStatement(node: PyIf): void {
    this.expr(node.test);
    const whenTrue = pyRefinementsOf(node.test, true, this.guards);
    const whenFalse = pyRefinementsOf(node.test, false, this.guards);
    const bodyExits = pyAlwaysExits(node.body);
    const elseExits = pyAlwaysExits(node.orelse);
    const then = this.level(() => {
      this.refine(whenTrue);
      this.statements(node.body);
    });
    const otherwise = this.level(() => {
      this.refine(whenFalse);
      this.statements(node.orelse);
    });
    this.join([then, otherwise], [bodyExits, elseExits], false);
    // `if x not in ALLOWED: abort(400)` makes x safe for the rest of the block.
    if (bodyExits && !elseExits) this.refine(whenFalse);
    else if (elseExits && !bodyExits) this.refine(whenTrue);
  }

  /** Values the guards made safe, in the innermost branch. */
  private refine(refinements: readonly PyRefinement[]): void {
    if (refinements.length === 0) return;
    const top = this.topLevel();
    for (const refinement of refinements) {
      const current = this.evaluate(refinement.node);
      (top.refined ??= new Map()).set(refinement.key, clean(current, refinement.cleans));
      this.refinementCount++;
    }
  }

  private topLevel(): Level {
    const levels = this.frame.levels;
    return levels[levels.length - 1];
  }

  /** What the guards made of a dotted key (`data.user`, `request.args["next"]`), unless its variable was assigned since. */
  private refinement(key: string): { value: PyValue | undefined } | undefined {
    const root = /^[^.[]+/.exec(key)?.[0] ?? key;
    const levels = this.frame.levels;
    for (let index = levels.length - 1; index >= 0; index--) {
      const level = levels[index];
      if (level.refined?.has(key)) return { value: level.refined.get(key) };
      if (level.assigned?.has(root)) return undefined;
    }
    return undefined;
  }

  /** A name's current value: branch assignments and refinements first, then the scopes. */
  private resolve(id: string): Binding | undefined {
    for (let scope: Scope | undefined = this.scope; scope; scope = scope.parent) {
      if (scope.frame.scope === scope) {
        const levels = scope.frame.levels;
        for (let index = levels.length - 1; index >= 0; index--) {
          const level = levels[index];
          if (level.refined?.has(id)) return { value: level.refined.get(id) };
          if (level.assigned?.has(id)) return { value: level.assigned.get(id) };
        }
      }
      const binding = scope.vars.get(id);
      if (binding) return binding;
    }
    return undefined;
  }

  // ---- Assignments ----

  private assignStatement(node: PyAssign): void {
    if (!node.value) return;
    let value = this.expr(node.value);
    if (node.kind === 'augmented') {
      const target = node.targets[0];
      if (!target) return;
      const current = this.evaluate(target);
      value = node.op === '+=' ? concatenate([current, value]) : node.op === '|=' ? merge(current, value) : isTainted(value) ? asText(merge(current, value)) : current;
    }
    for (const target of node.targets) this.assignTarget(target, value, node.value);
  }

  private assignTarget(target: PyExpr, value: PyValue | undefined, valueNode?: PyExpr): void {
    switch (target.type) {
      case 'Name':
        this.assignName(target.id, value);
        return;
      case 'Tuple':
      case 'List': {
        const valueElements = valueNode && (valueNode.type === 'Tuple' || valueNode.type === 'List') ? valueNode.elts : undefined;
        target.elts.forEach((element, index) => {
          const inner = element.type === 'Starred' ? element.value : element;
          const elementValue = value?.props?.has(String(index)) && element.type !== 'Starred' ? value.props.get(String(index)) : value?.props && !value.taints ? mergeAll([...value.props.values()]) : elementOf(value) ?? (value?.taints ? value : undefined);
          this.assignTarget(inner, elementValue, valueElements?.[index]);
        });
        return;
      }
      case 'Starred':
        this.assignTarget(target.value, value);
        return;
      case 'Attribute':
      case 'Subscript': {
        const key = target.type === 'Attribute' ? target.attr : constantKey(target.slice);
        const object = this.expr(target.value);
        if (target.type === 'Subscript' && key === undefined) this.expr(target.slice);
        if (this.silent || !object?.props || key === undefined) return;
        const replace = this.frame.levels.length === 1;
        object.props.set(key, replace ? value : merge(object.props.get(key), value));
        return;
      }
      default:
        this.expr(target);
    }
  }

  private assignName(name: string, value: PyValue | undefined): void {
    if (this.silent) return;
    const frame = this.frame;
    // A comprehension's variables live in its own scope.
    if (this.scope !== frame.scope) {
      this.scope.vars.set(name, { value });
      return;
    }
    const top = this.topLevel();
    if (frame.levels.length === 1) this.scope.vars.set(name, { value });
    else (top.assigned ??= new Map()).set(name, value);
    if (top.refined) {
      for (const key of [...top.refined.keys()]) if (key === name || key.startsWith(`${name}.`) || key.startsWith(`${name}[`)) top.refined.delete(key);
    }
  }

  // ---- Expressions ----

  private expr(node: PyExpr): PyValue | undefined {
    if (this.depth > MAX_DEPTH) return undefined;
    this.depth++;
    try {
      return this.expression(node);
    } finally {
      this.depth--;
    }
  }

  private expression(node: PyExpr): PyValue | undefined {
    switch (node.type) {
      case 'Name':
        return this.name(node.id);
      case 'Attribute': {
        if (this.refinementCount > 0) {
          const key = pyKey(node);
          const refined = key ? this.refinement(key) : undefined;
          if (refined) return refined.value;
        }
        return this.member(this.expr(node.value), node.attr, node, true);
      }
      case 'Subscript':
        return this.subscript(node);
      case 'Call':
        return this.call(node);
      case 'Str':
        return this.string(node);
      case 'Num':
        return { shape: node.raw, literal: true };
      case 'Constant':
        return { literal: true };
      case 'List':
      case 'Tuple':
      case 'Set':
        return this.sequence(node.elts);
      case 'Dict':
        return this.dict(node);
      case 'BinOp':
        return this.binary(node);
      case 'BoolOp': {
        if (node.op === 'or') return mergeAll(node.values.map((value) => this.expr(value)));
        let result: PyValue | undefined;
        const refinements: PyRefinement[] = [];
        node.values.forEach((value, index) => {
          result = index === 0 ? this.expr(value) : this.branchValue(value, refinements);
          refinements.push(...pyRefinementsOf(value, true, this.guards));
        });
        return result;
      }
      case 'Compare':
        this.expr(node.left);
        for (const comparator of node.comparators) this.expr(comparator);
        return undefined;
      case 'UnaryOp':
        this.expr(node.operand);
        return undefined;
      case 'IfExp': {
        this.expr(node.test);
        const whenTrue = this.branchValue(node.body, pyRefinementsOf(node.test, true, this.guards));
        const whenFalse = this.branchValue(node.orelse, pyRefinementsOf(node.test, false, this.guards));
        return merge(whenTrue, whenFalse);
      }
      case 'Await':
      case 'Starred':
        return this.expr(node.value);
      case 'Yield':
        return node.value ? this.expr(node.value) : undefined;
      case 'NamedExpr': {
        const value = this.expr(node.value);
        this.assignTarget(node.target, value);
        return value;
      }
      case 'Lambda':
        return { fn: this.refFor(node, this.scope) };
      case 'ListComp':
      case 'SetComp':
      case 'GeneratorExp':
      case 'DictComp':
        return this.comprehension(node);
      case 'Slice':
        if (node.lower) this.expr(node.lower);
        if (node.upper) this.expr(node.upper);
        if (node.step) this.expr(node.step);
        return undefined;
      default:
        return undefined;
    }
  }

  private name(id: string): PyValue | undefined {
    return this.resolve(id)?.value;
  }

  /** `c ? a : b` style sub-expressions that run only when a condition holds, with what it makes safe. */
  private branchValue(node: PyExpr, refinements: readonly PyRefinement[]): PyValue | undefined {
    let result: PyValue | undefined;
    this.branch(() => {
      this.refine(refinements);
      result = this.expr(node);
    });
    return result;
  }

  private string(node: PyStr): PyValue | undefined {
    if (!node.isFString) return { shape: node.value ?? '', literal: true };
    const pieces = strPieces(node, this.env.text);
    if (!pieces) {
      for (const interpolation of node.interpolations) this.expr(interpolation.expression);
      return undefined;
    }
    const parts: (PyValue | undefined)[] = pieces.map((piece) => ('text' in piece ? { shape: piece.text, literal: true } : asText(this.expr(piece.expr)) ?? this.evaluateShape(piece.expr)));
    return concatenate(parts);
  }

  /** Constant text keeps its shape inside an f-string (a base URL); anything else is unknown text. */
  private evaluateShape(expression: PyExpr): PyValue | undefined {
    const value = this.evaluate(expression);
    return value?.shape !== undefined ? { shape: value.shape } : undefined;
  }

  private sequence(elements: readonly PyExpr[]): PyValue | undefined {
    const props = new Map<string, PyValue | undefined>();
    const taints: PyTaint[] = [];
    let constant = true;
    elements.forEach((element, index) => {
      const value = this.expr(element.type === 'Starred' ? element.value : element);
      props.set(String(index), value);
      if (!value?.literal) constant = false;
      // A list's input is its elements' (a dict inside keeps its keys to itself: MongoDB `$or` lists).
      addTaints(taints, element.type === 'Dict' ? value?.taints : deepTaints(value)?.taints);
    });
    return { props, ...(taints.length ? { taints } : {}), ...(constant ? { constList: true } : {}) };
  }

  private dict(node: PyDict): PyValue | undefined {
    const props = new Map<string, PyValue | undefined>();
    const taints: PyTaint[] = [];
    let constant = true;
    node.keys.forEach((key, index) => {
      const valueNode = node.values[index];
      if (!key) {
        // `**spread`: its keys, and a whole request object's client-chosen keys.
        const spread = this.expr(valueNode);
        for (const [name, inner] of spread?.props ?? []) props.set(name, inner);
        for (const taint of spread?.taints ?? []) if (taint.whole || taint.structured) taints.push(taint);
        constant = false;
        return;
      }
      const name = constantKey(key);
      const keyValue = name === undefined ? this.expr(key) : undefined;
      const value = this.expr(valueNode);
      if (!value?.literal) constant = false;
      if (name !== undefined) props.set(name, value);
      else if (keyValue?.taints) for (const taint of keyValue.taints) taints.push({ ...taint, whole: true });
    });
    return { props, ...(taints.length ? { taints: taints.slice(0, 4) } : {}), ...(constant ? { constList: true } : {}) };
  }

  private comprehension(node: Extract<PyExpr, { type: 'ListComp' | 'SetComp' | 'GeneratorExp' | 'DictComp' }>): PyValue | undefined {
    const saved = this.scope;
    this.scope = new Scope(saved, saved.frame);
    let result: PyValue | undefined;
    try {
      this.branch(() => {
        for (const generator of node.generators) {
          this.assignTarget(generator.target, elementOf(this.expr(generator.iter)));
          for (const condition of generator.ifs) {
            this.expr(condition);
            this.refine(pyRefinementsOf(condition, true, this.guards));
          }
        }
        if (node.type === 'DictComp') {
          const key = this.expr(node.key);
          const value = this.expr(node.value);
          const taints: PyTaint[] = [];
          for (const taint of key?.taints ?? []) taints.push({ ...taint, whole: true, structured: true });
          for (const taint of deepTaints(value)?.taints ?? []) taints.push(taint);
          result = taints.length ? { taints: taints.slice(0, 4) } : undefined;
        } else {
          const element = this.expr(node.elt);
          result = deepTaints(element);
        }
      });
    } finally {
      this.scope = saved;
    }
    return result;
  }

  private binary(node: PyBinOp): PyValue | undefined {
    if (node.op === '+') {
      // `a + b + c + …` nests to the left: walk it without recursion.
      const operands: PyExpr[] = [];
      let current: PyExpr = node;
      while (current.type === 'BinOp' && current.op === '+' && operands.length < 10_000) {
        operands.push(current.right);
        current = current.left;
      }
      operands.push(current);
      operands.reverse();
      const values = operands.map((operand) => this.expr(operand));
      if (values.every((value) => !value?.taints && value?.shape === undefined)) return values.some((value) => value?.props) ? mergeAll(values) : undefined;
      if (values.some((value) => value?.props && !value.shape)) return mergeAll(values.map((value) => deepTaints(value) ?? value));
      return concatenate(values);
    }
    const left = this.expr(node.left);
    const right = this.expr(node.right);
    if (node.op === '%' && (left?.shape !== undefined || node.left.type === 'Str')) return percentFormat(left, node.right, right);
    if (node.op === '/' && left?.kind === 'path') {
      const joined = concatenate([left, { shape: '/' }, asText(right) ?? right]);
      return { ...(joined?.taints ? { taints: joined.taints } : {}), kind: 'path' };
    }
    if (node.op === '|' && (left?.props || right?.props)) return merge(left, right);
    if (node.op === '%' && (isTainted(left) || isTainted(right))) return concatenate([left, right]);
    return undefined;
  }

  private subscript(node: PySubscript): PyValue | undefined {
    const key = constantKey(node.slice);
    if (key !== undefined && this.refinementCount > 0) {
      const path = pyKey(node);
      const refined = path ? this.refinement(path) : undefined;
      if (refined) return refined.value;
    }
    const object = this.expr(node.value);
    if (key !== undefined) return this.member(object, key, node, true);
    if (node.slice.type === 'Slice') {
      this.expr(node.slice);
      return object?.taints ? { taints: object.taints.map((taint) => ({ ...taint, whole: false })), ...(object.props ? { props: object.props } : {}) } : object;
    }
    this.expr(node.slice);
    return anyField(object);
  }

  // ---- Reading attributes and request input ----

  /** Reading `name` from a value: module attributes, request objects, known keys, fields of input. */
  private member(object: PyValue | undefined, name: string, node: PyNode, isAccess: boolean): PyValue | undefined {
    if (!object) return undefined;
    if (object.props?.has(name)) return object.props.get(name);
    if (object.mod) return this.moduleValue({ name: object.mod.name, path: [...object.mod.path, name] });
    if (object.root) {
      const value = this.rootProperty(object.root, name, node);
      const numeric = name === 'kwargs' && value ? this.numericUrlKwargs.get(object) : undefined;
      // A URL parameter converted to a number reads as clean: `self.kwargs["pk"]` for `<int:pk>`.
      return numeric ? { ...value, props: new Map([...(value!.props ?? []), ...[...numeric].map((key): [string, PyValue] => [key, {}])]) } : value;
    }
    if (object.kind === 'form') return this.env.data.formRawAttributes.has(name) ? object.props?.get('data') : undefined;
    if (object.kind === 'validated' || object.cls) return undefined;
    if (object.kind === 'path') {
      // The last part of a path (`Path(x).name`) has no directories left in it.
      if (name === 'name' || name === 'stem' || name === 'suffix') return clean(asText(object), KIND_BITS.path);
      if (name === 'parent' || name === 'parents') return object;
    }
    if (!object.taints || name === '__class__') return undefined;
    const taints: PyTaint[] = [];
    for (const taint of object.taints) {
      taints.push({
        ...taint,
        whole: false,
        path: [...taint.path, name],
        label: isAccess ? this.label(node) : `${taint.label}.${name}`,
        // A handler's parameter is the input as a whole; where a field of it is read is more telling.
        node: taint.path.length === 0 && taint.node.type === 'Param' ? node : taint.node,
      });
    }
    return taints.length ? { taints } : undefined;
  }

  private rootProperty(root: string, name: string, node: PyNode): PyValue | undefined {
    const entry = this.env.data.sources.roots[root]?.properties[name];
    return entry === undefined ? undefined : this.sourceEntry(entry, node, undefined);
  }

  private sourceEntry(entry: SourceEntry, node: PyNode, call: PyCall | undefined): PyValue | undefined {
    if (typeof entry === 'string') return this.source(entry, node, {});
    if (entry.clean) return undefined;
    if (entry.root) return { root: entry.root };
    if (!entry.location) return undefined;
    let field: string | undefined;
    if (entry.fieldArgument !== undefined && call) field = stringValue(positionalArg(call, entry.fieldArgument)) ?? '[]';
    return this.source(entry.location, node, { field, structured: entry.structured, whole: entry.whole });
  }

  private source(location: string, node: PyNode, options: SourceOptions): PyValue | undefined {
    const spec = this.env.data.locations[location];
    if (!spec) return undefined;
    return { taints: [sourceTaint({ kind: 'source', location }, spec, options, options.label ?? this.label(node), node)] };
  }

  private label(node: PyNode): string {
    const text = this.env.text.slice(node.start, Math.min(node.end, node.start + 200)).replace(/\s+/g, ' ').replace(/^await /, '').trim();
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  }

  /** An imported name: the request global of Flask, or a module reference. */
  private moduleValue(ref: { name: string; path: readonly string[] }): PyValue {
    const qualified = qualifiedName(ref);
    const dot = qualified.lastIndexOf('.');
    const module = qualified.slice(0, dot);
    const name = qualified.slice(dot + 1);
    for (const global of this.env.data.sources.requestGlobals) {
      if (global.names.includes(name) && global.modules?.includes(module)) return { root: global.root };
    }
    return { mod: { name: ref.name, path: ref.path } };
  }

  // ---- Calls ----

  /** The last name of a callee written as a name or attribute (`int`, `uuid.UUID` → `UUID`). */
  private calleeName(expression: PyExpr): string | undefined {
    return expression.type === 'Name' ? expression.id : expression.type === 'Attribute' ? expression.attr : undefined;
  }

  private calleeInfo(call: PyCall): PyCalleeInfo {
    const func = call.func;
    if (func.type === 'Name') {
      const binding = this.resolve(func.id);
      if (!binding) return { builtin: func.id };
      const mod = binding.value?.mod;
      if (mod) {
        const parts = qualifiedName(mod).split('.');
        return { name: parts.pop(), module: parts.join('.') };
      }
      return { name: func.id };
    }
    if (func.type === 'Attribute') {
      const receiver = this.evaluate(func.value);
      if (receiver?.mod) return { module: qualifiedName(receiver.mod), name: func.attr };
      return { method: func.attr };
    }
    return {};
  }

  private call(node: PyCall): PyValue | undefined {
    const func = node.func;
    const site: PyCallSite = { node, args: node.args, argValues: [], keywords: new Map(), kwargs: [] };
    let callee: PyValue | undefined;
    let calleeName: string | undefined;
    let bound = false;
    if (func.type === 'Name') {
      calleeName = func.id;
      const binding = this.resolve(func.id);
      if (binding) callee = binding.value;
      else site.builtin = func.id;
    } else if (func.type === 'Attribute') {
      site.receiverNode = func.value;
      site.method = func.attr;
      calleeName = func.attr;
      const receiver = this.expr(func.value);
      site.receiverValue = receiver;
      if (receiver?.mod || receiver?.cls || receiver?.props?.has(func.attr)) callee = this.member(receiver, func.attr, func, true);
      bound = !!callee?.fn?.method && !receiver?.cls;
    } else {
      callee = this.expr(func);
    }
    if (callee?.mod) {
      const parts = qualifiedName(callee.mod).split('.');
      site.name = parts.pop();
      site.module = parts.join('.');
    }
    this.callArguments(node, site);

    // Request objects: `request.get_json()`, `await request.json()`.
    if (site.receiverValue?.root && site.method) {
      const entry = this.env.data.sources.roots[site.receiverValue.root]?.methods[site.method];
      if (entry !== undefined) return this.sourceEntry(entry, node, node);
    }

    // Classes: validation (pydantic, forms, schemas) or a record built from the arguments.
    const role = this.classRoleOf(callee, site, func);
    if (role === 'model' || role === 'schema') {
      const hasArguments = node.args.length > 0 || node.keywords.length > 0;
      return role === 'schema' && !hasArguments ? { kind: 'schema' } : { kind: 'validated' };
    }
    if (role === 'form') return { kind: 'form', props: new Map([['data', mergeAll([...site.argValues, ...[...site.keywords.values()].map((keyword) => keyword.value)])]]) };
    if (role === 'enum') return undefined;
    if (role) {
      site.className = site.name ?? calleeName;
      site.classRole = role;
    }

    // Validators: their result is checked, and so is what they were given.
    if (this.isValidation(site, calleeName)) {
      this.markValidated(site);
      return { kind: 'validated' };
    }

    this.reportCandidates(pyCallSinkCandidates(site, this.sinkEnv), site);

    const cleans = this.calls.match(this.env.data.sanitisers, site)?.data;
    if (cleans !== undefined) return clean(asText(this.firstArgument(site)), cleans);
    if (site.module === 're' && site.name === 'compile') {
      const pattern = stringValue(positionalArg(node, 0));
      return pattern !== undefined ? { regex: pattern } : undefined;
    }
    if (this.calls.match(this.env.data.resolvers, site)) {
      const resolved = site.receiverValue?.kind === 'path' ? site.receiverValue : asText(this.firstArgument(site));
      return { ...(resolved ?? {}), resolved: true };
    }
    const propagation = this.calls.match(this.env.data.propagators, site)?.data;
    if (propagation) return this.calls.propagate(propagation, site, propagation === 'url' ? pyKey(positionalArg(node, 0)) : undefined);
    if (callee?.fn) {
      const args = this.functionArguments(callee.fn, site, bound ? site.receiverValue : undefined);
      return this.applySummary(callee.fn, args, node, calleeName);
    }
    // An instance of a class of this file: its methods (`api = Api()`, then `api.find(q)`), and the
    // attributes its __init__ sets from the arguments (`Item(request.form["name"]).name`).
    if (callee?.made) {
      const init = this.classInits.get(callee.made);
      if (!init?.summary) return callee.made;
      const args = this.functionArguments(init, site, callee.made);
      return instantiate(callee.made, args, { name: calleeName ?? init.name, call: node }, init.node) ?? callee.made;
    }
    const imported = callee?.mod && this.callImported(callee.mod, site, calleeName);
    if (imported) return imported.value;
    const methodResult = this.methodResult(site);
    if (methodResult !== false) return methodResult;
    if (callee?.taints) return callee;
    // An instance of a class of a workspace module: its methods are that module's (`UserService.get_user`).
    if (callee?.mod && site.name && /^[A-Z]/.test(site.name) && this.inWorkspace(callee.mod)) return { mod: callee.mod, instance: qualifiedName(callee.mod) };
    if (callee?.mod) return { instance: qualifiedName(callee.mod) };
    return undefined;
  }

  /** Whether an imported name comes from a module of the workspace (`from .services import UserService`). */
  private inWorkspace(mod: { name: string; path: readonly string[] }): boolean {
    const imported = this.env.importedModules;
    return !!imported && moduleSplits(mod).some(([moduleName]) => imported.inWorkspace(moduleName));
  }

  private callArguments(node: PyCall, site: PyCallSite): void {
    const values: (PyValue | undefined)[] = [];
    for (const argument of node.args) values.push(this.expr(argument.type === 'Starred' ? argument.value : argument));
    site.argValues = values;
    const keywords = site.keywords as Map<string, { node: (typeof node.keywords)[number]; value: PyValue | undefined }>;
    for (const keyword of node.keywords) {
      const value = this.expr(keyword.value);
      if (keyword.arg === undefined) (site.kwargs as { node: PyExpr; value: PyValue | undefined }[]).push({ node: keyword.value, value });
      else keywords.set(keyword.arg, { node: keyword, value });
    }
  }

  private firstArgument(site: PyCallSite): PyValue | undefined {
    return site.argValues[0] ?? site.keywords.values().next().value?.value;
  }

  /** What a called class is for: undefined when the callee is not a class. */
  private classRoleOf(callee: PyValue | undefined, site: PyCallSite, func: PyExpr): ClassRole | 'unknown' | undefined {
    if (callee?.cls) return callee.cls;
    if (callee?.mod && site.name && /^[A-Z]/.test(site.name)) {
      const role = importedClassRole(site.name, callee.mod, this.env.data);
      return role === 'other' && this.env.data.modelModules.test(site.module ?? '') ? 'other' : role === 'other' ? 'unknown' : role;
    }
    if (site.builtin && /^[A-Z]/.test(site.builtin)) return 'unknown';
    if (func.type === 'Attribute' && /^[A-Z]/.test(func.attr) && !site.receiverValue?.taints) return site.module === undefined ? 'unknown' : undefined;
    return undefined;
  }

  private isValidation(site: PyCallSite, calleeName: string | undefined): boolean {
    const { data } = this.env;
    if (calleeName && this.env.validators.has(calleeName)) return true;
    if (this.calls.match(data.validators, site)) return true;
    if (!site.method) return false;
    const receiver = site.receiverValue;
    if (data.validatingMethods.has(site.method)) {
      if (receiver?.cls === 'model' || receiver?.cls === 'schema' || receiver?.kind === 'schema' || receiver?.kind === 'validated') return true;
      const code = receiverCode(site.receiverNode, this.env.text);
      if (code && /(^|\.)[A-Z]\w*(\[[^\]]*\])?(\(\))?$/.test(code) && !receiver?.taints) return true;
    }
    if (data.schemaMethods.has(site.method)) {
      if (receiver?.kind === 'schema') return true;
      const code = receiverCode(site.receiverNode, this.env.text);
      if (/schema(\(\))?$/i.test(code) && !receiver?.taints) return true;
    }
    return false;
  }

  /** A validator was given these arguments: they count as checked for the rest of the block. */
  private markValidated(site: PyCallSite): void {
    if (this.silent) return;
    const expressions = [...site.args, ...[...site.keywords.values()].map((keyword) => keyword.node.value), ...site.kwargs.map((kwargs) => kwargs.node)];
    const top = this.topLevel();
    for (const expression of expressions) {
      const key = pyKey(expression.type === 'Starred' ? expression.value : expression);
      if (!key || !isTainted(this.evaluate(expression))) continue;
      (top.refined ??= new Map()).set(key, undefined);
      this.refinementCount++;
    }
  }

  /**
   * Methods on input and on known values: `.get("q")` reads a field, `.strip()` keeps the
   * text, `.startswith()` tests it, `.append(x)` adds to a list. `false` when it says nothing.
   */
  private methodResult(site: PyCallSite): PyValue | undefined | false {
    const method = site.method;
    if (method === undefined) return false;
    const receiver = site.receiverValue;
    const node = site.node;
    if (method === 'format' && receiver?.shape !== undefined) return braceFormat(receiver, site);
    if (method === 'format_map' && receiver?.shape !== undefined && !receiver.taints) return concatenate([receiver, asText(deepTaints(site.argValues[0]))]);
    if (method === 'join' && !receiver?.taints) {
      const joined = asText(deepTaints(site.argValues[0]));
      return joined ? concatenate([joined]) : undefined;
    }
    if (receiver?.props && !receiver.taints && !receiver.kind) {
      // A dict built in the handler: its known keys.
      if (this.env.data.getterMethods.has(method)) {
        const key = stringValue(positionalArg(node, 0));
        const field = key !== undefined && receiver.props.has(key) ? receiver.props.get(key) : key === undefined ? mergeAll([...receiver.props.values()]) : undefined;
        return merge(field, site.argValues[1] ?? site.keywords.get('default')?.value);
      }
      if (this.env.data.fieldMethods.has(method)) return deepTaints(receiver);
      if (this.env.data.wholeMethods.has(method)) return receiver;
    }
    if (receiver?.kind === 'path') {
      if (method === 'joinpath' || method === 'with_name' || method === 'with_suffix' || method === 'absolute' || method === 'expanduser') {
        const joined = concatenate([receiver, ...site.argValues.map((value) => asText(value) ?? value)]);
        return { ...(joined?.taints ? { taints: joined.taints } : {}), kind: 'path', ...(receiver.resolved ? { resolved: true } : {}) };
      }
      return undefined;
    }
    if (receiver?.taints) {
      const data = this.env.data;
      if (data.getterMethods.has(method)) {
        // Flask's `request.args.get("page", 1, type=int)` converts the value (a failed conversion gives the default).
        const converter = site.keywords.get('type')?.node.value;
        const converterName = converter && (converter.type === 'Name' || converter.type === 'Attribute') ? this.calleeName(converter) : undefined;
        if (converterName && this.env.data.sanitisers.get(converterName)?.some((matcher) => matcher.data === ALL_KINDS)) return undefined;
        const key = stringValue(positionalArg(node, 0));
        const field = key !== undefined ? this.member(receiver, key, node, true) : anyField(receiver);
        const fallback = site.argValues[1] ?? site.keywords.get('default')?.value;
        return merge(field, fallback);
      }
      if (data.wholeMethods.has(method)) return receiver;
      if (data.fieldMethods.has(method)) {
        const taints: PyTaint[] = [];
        for (const taint of receiver.taints) taints.push({ ...taint, whole: false, path: [...taint.path, '[]'] });
        return { taints };
      }
      if (BOOLEAN_METHODS.has(method)) return undefined;
      if (TEXT_METHODS.has(method) || SPLIT_METHODS.has(method) || method === 'join' || method === 'read' || method === 'decode') {
        return concatenate([asText(receiver), ...(method === 'join' ? [asText(deepTaints(site.argValues[0]))] : [])]);
      }
      return { taints: receiver.taints.map((taint) => ({ ...taint, whole: false })) };
    }
    if (MUTATING_METHODS.has(method) && site.receiverNode?.type === 'Name') {
      const added = mergeAll([...site.argValues, ...[...site.keywords.values()].map((keyword) => keyword.value)]);
      const taints = deepTaints(added)?.taints;
      if (taints && this.resolve(site.receiverNode.id)) {
        const current = this.name(site.receiverNode.id);
        const merged: PyTaint[] = [...(current?.taints ?? [])];
        for (const taint of taints) if (merged.length < 4) merged.push(method === 'update' ? taint : { ...taint, whole: taint.whole && method !== 'append' });
        this.assignName(site.receiverNode.id, { ...(current ?? {}), taints: merged });
      }
      return undefined;
    }
    return false;
  }

  // ---- Functions and classes ----

  private refFor(node: PyFunctionNode, scope: Scope, selfValue?: PyValue, method = false, owner?: string): PyFunctionRef {
    let ref = this.functions.get(node);
    if (!ref) {
      ref = { node, scope, state: 'pending', selfValue, method, name: node.type === 'FunctionDef' ? node.name : 'lambda', ...(owner ? { owner } : {}) };
      this.functions.set(node, ref);
    }
    return ref;
  }

  /** Evaluates a function once: as a handler (parameters bound to the request), or with symbolic parameters whose flows become its summary. */
  private evaluateFunction(ref: PyFunctionRef): void {
    if (ref.state !== 'pending') return;
    ref.state = 'running';
    const fn = ref.node;
    const viewName = ref.owner ? `${ref.owner}.${ref.name}` : ref.name;
    const handler = fn.type === 'FunctionDef' ? detectPyHandler(fn, ref.method ?? false, this.env.facts, this.env.data, this.env.viewParameters?.get(viewName)) : undefined;
    const summary: PySummary | undefined = handler ? undefined : { returns: undefined, hits: [] };
    const frame = new Frame(fn, handler, summary);
    const scope = new Scope(ref.scope as Scope, frame);
    const saved = this.scope;
    const savedDepth = this.depth;
    this.scope = scope;
    this.depth = 0;
    try {
      fn.params.forEach((param, index) => {
        let value: PyValue | undefined;
        let injected: PyValue | undefined;
        if (ref.method && index === 0) value = ref.selfValue;
        else if (handler) value = this.roleValue(handler.roles[index], param) ?? (injected = this.annotatedInstance(param.annotation));
        else if (summary) value = { taints: [parameterTaint(fn, index, param.name, param)] };
        // The default of an injected instance is the framework's marker (`Depends(get_service)`), not a value it takes.
        if (param.default && !injected) value = merge(value, this.expr(param.default));
        this.declare(param.name, value);
      });
      if (fn.type === 'FunctionDef') {
        this.hoist(fn.body);
        this.statements(fn.body, true);
      } else {
        frame.returns.push(this.expr(fn.body));
      }
    } finally {
      this.scope = saved;
      this.depth = savedDepth;
      ref.state = 'done';
    }
    if (summary) {
      summary.returns = mergeAll(frame.returns);
      ref.summary = summary;
    }
  }

  /**
   * A handler's parameter typed with a class of a workspace module (`service: UserService =
   * Depends(get_service)`, FastAPI's injection, or `Annotated[UserService, Depends(…)]`): an
   * instance of it, whose methods are that module's.
   */
  private annotatedInstance(annotation: PyExpr | undefined): PyValue | undefined {
    const type = annotation?.type === 'Subscript' && annotation.value.type === 'Name' && annotation.value.id === 'Annotated'
      ? (annotation.slice.type === 'Tuple' ? annotation.slice.elts[0] : annotation.slice)
      : annotation;
    if (!type || (type.type !== 'Name' && type.type !== 'Attribute')) return undefined;
    const mod = this.evaluate(type)?.mod;
    const className = mod?.path.at(-1);
    return mod && className && /^[A-Z]/.test(className) && this.inWorkspace(mod) ? { mod, instance: qualifiedName(mod) } : undefined;
  }

  private roleValue(role: PyParamRole | undefined, param: PyParam): PyValue | undefined {
    if (!role) return undefined;
    if (role.kind === 'root') return { root: role.root };
    return this.source(role.location, param, { field: role.field, structured: role.structured, whole: role.whole, label: param.name });
  }

  /** The call's arguments by parameter position: positional first, then keywords by name. */
  private functionArguments(ref: PyFunctionRef, site: PyCallSite, self: PyValue | undefined): (PyValue | undefined)[] {
    const params = ref.node.params;
    const offset = self !== undefined || (ref.method && site.method !== undefined) ? 1 : 0;
    const args: (PyValue | undefined)[] = [];
    if (offset) args[0] = self;
    for (let index = 0; index < site.args.length; index++) {
      if (site.args[index].type === 'Starred') break;
      args[index + offset] = site.argValues[index];
    }
    for (const [name, keyword] of site.keywords) {
      const index = params.findIndex((param) => param.name === name);
      if (index >= 0) args[index] = keyword.value;
    }
    return args;
  }

  private applySummary(ref: PyFunctionRef, args: readonly (PyValue | undefined)[], call: PyNode, name: string | undefined): PyValue | undefined {
    if (ref.state === 'pending') {
      if (this.silent) return undefined;
      this.evaluateFunction(ref);
    }
    const summary = ref.summary;
    if (!summary) return undefined;
    const via = { name: name ?? ref.name, call };
    reportHitsAtCall(summary.hits, (taint, index) => resolveParamTaint(args[index], taint, via, true), (hit) => this.reportHit(hit));
    return instantiate(summary.returns, args, via, ref.node);
  }

  /**
   * A call to a function of another workspace module: its parameters' sinks are reported here,
   * at the argument, with the sink in that module as the hit's `remote`. `from . import db` then
   * `db.get_user(x)` names module `.db`; the longest module name that resolves wins.
   */
  private callImported(mod: { name: string; path: readonly string[] }, site: PyCallSite, name: string | undefined): { value: PyValue | undefined } | undefined {
    const imported = this.env.importedModules;
    const inputs = [...site.argValues, ...[...site.keywords.values()].map((keyword) => keyword.value)];
    if (!imported || mod.path.length === 0 || !inputs.some((value) => value?.taints || value?.props)) return undefined;
    let exported: PyExportedSinks | undefined;
    for (const [moduleName, rest] of moduleSplits(mod)) {
      exported = imported.sinks(moduleName)?.pythonExports?.get(rest.join('.'));
      if (exported) break;
    }
    if (!exported) return undefined;
    const params = exported.params ?? [];
    const args: (PyValue | undefined)[] = [];
    const nodes: (PyNode | undefined)[] = [];
    site.args.forEach((argument, index) => {
      if (argument.type === 'Starred') return;
      args[index] = site.argValues[index];
      nodes[index] = argument;
    });
    for (const [keyword, { node: keywordNode, value }] of site.keywords) {
      const index = params.indexOf(keyword);
      if (index < 0) continue;
      args[index] = value;
      nodes[index] = keywordNode.value;
    }
    const call: PyNode = site.node;
    const via = { name: name ?? 'a helper', call };
    const atCall: PySinkHit[] = exported.hits.map((hit) => ({
      pattern: hit.pattern,
      node: nodes[hit.taint.index] ?? call,
      site: call,
      requirement: hit.requirement,
      taint: attachedTaint(hit.taint, call),
      remote: hit.remote,
      ...(hit.fixes ? { fixes: hit.fixes } : {}),
    }));
    reportHitsAtCall(atCall, (taint, index) => resolveParamTaint(args[index], taint, via, true), (hit) => this.reportHit(hit));
    return { value: exported.returns ? instantiate({ taints: exported.returns.map((taint) => attachedTaint(taint, call)) }, args, via, call) : undefined };
  }

  /**
   * The module's public top-level functions and its classes' public methods (`UserService.get_user`),
   * each with its summary (after `run`): what other modules can call. `bound`: a method whose first
   * parameter is the instance (or class) the call is made on.
   */
  moduleFunctions(): { name: string; fn: PyFunctionNode; summary: PySummary; bound: boolean }[] {
    const functions: { name: string; fn: PyFunctionNode; summary: PySummary; bound: boolean }[] = [];
    const add = (name: string, statement: PyStatement) => {
      if (statement.type !== 'FunctionDef' || statement.name.startsWith('_')) return;
      const ref = this.functions.get(statement);
      if (ref?.state === 'pending') this.evaluateFunction(ref);
      if (ref?.summary) functions.push({ name, fn: statement, summary: ref.summary, bound: !!ref.method });
    };
    const classes = new Map<string, PyStatement[]>();
    for (const statement of this.env.module.body) {
      if (statement.type === 'FunctionDef') add(statement.name, statement);
      else if (statement.type === 'ClassDef') {
        classes.set(statement.name, statement.body);
        if (!statement.name.startsWith('_')) for (const member of statement.body) if (member.type === 'FunctionDef') add(`${statement.name}.${member.name}`, member);
      }
    }
    // An instance made at the top level (`user_service = UserService()`): its methods, by its name.
    for (const statement of this.env.module.body) {
      if (statement.type !== 'Assign' || statement.kind === 'augmented' || statement.value?.type !== 'Call' || statement.value.func.type !== 'Name') continue;
      const body = classes.get(statement.value.func.id);
      const [target] = statement.targets;
      if (!body || statement.targets.length !== 1 || target.type !== 'Name' || target.id.startsWith('_')) continue;
      for (const member of body) if (member.type === 'FunctionDef' && !member.decorators.some(isStaticOrClassMethod)) add(`${target.id}.${member.name}`, member);
    }
    return functions;
  }

  private classValue(node: PyClassDef): PyValue {
    const { data, facts } = this.env;
    for (const decorator of node.decorators) this.expr(decorator);
    for (const base of node.bases) this.evaluate(base);
    const view = isViewClass(node, data) && facts.frameworks.has('django');
    const selfValue: PyValue = { props: new Map(), ...(view ? { root: 'djangoView' } : {}) };
    if (view) {
      const numeric = numericViewKwargs(this.env.viewParameters, node.name, data);
      if (numeric.size) this.numericUrlKwargs.set(selfValue, numeric);
    }
    const refs: PyFunctionRef[] = [];
    for (const statement of node.body) {
      if (statement.type !== 'FunctionDef') continue;
      const isStatic = statement.decorators.some((decorator) => decorator.type === 'Name' && decorator.id === 'staticmethod');
      const ref = this.refFor(statement, this.scope, isStatic ? undefined : selfValue, !isStatic, node.name);
      selfValue.props!.set(statement.name, { fn: ref });
      if (statement.name === '__init__') this.classInits.set(selfValue, ref);
      refs.push(ref);
    }
    for (const ref of refs) this.evaluateFunction(ref);
    const role = facts.classes.get(node.name)?.role ?? 'other';
    return role === 'other' && !view ? { cls: role, made: selfValue } : { cls: role };
  }

  // ---- Sinks ----

  private returnSink(node: PyNode, valueNode: PyExpr, value: PyValue | undefined): void {
    const body = valueNode.type === 'Tuple' ? valueNode.elts[0] : valueNode;
    const bodyValue = valueNode.type === 'Tuple' ? value?.props?.get('0') : value;
    if (!body || !bodyValue?.taints) return;
    const candidates: PySinkCandidate[] = [];
    for (const pattern of this.env.data.returnSinks) {
      if (pattern.when.includes('html-text') && !/<[a-zA-Z!/]/.test((bodyValue.shape ?? '').replace(/[\u0000\u0001]/g, ' '))) continue;
      candidates.push({ pattern, node: body, value: bodyValue, requirement: pattern.taint });
    }
    this.report(candidates, node, undefined);
  }

  private reportCandidates(candidates: readonly PySinkCandidate[], site: PyCallSite): void {
    this.report(candidates, site.node, site);
  }

  private report(candidates: readonly PySinkCandidate[], siteNode: PyNode, site: PyCallSite | undefined): void {
    if (candidates.length === 0 || this.silent) return;
    for (const candidate of candidates) {
      const taints = (candidate.value.taints ?? []).filter((taint) => meets(taint, candidate.pattern.kindBit, candidate.requirement));
      if (taints.length === 0) continue;
      const hit: Omit<PySinkHit, 'taint'> = { pattern: candidate.pattern, node: candidate.node, site: siteNode, requirement: candidate.requirement };
      if (candidate.kwargs) hit.wholeExpressions = [candidate.node];
      const sqlArgument = candidate.argument === 0 || (typeof candidate.argument === 'string' && SQL_KEYWORDS.has(candidate.argument));
      if (candidate.pattern.rule.kind === 'sql' && sqlArgument && site && this.env.sqlFix) {
        const fix = this.env.sqlFix(site.node, site, (expression) => isTainted(this.evaluate(expression), KIND_BITS.sql));
        if (fix) hit.fixes = [fix];
      }
      for (const taint of taints) this.reportHit({ ...hit, taint });
    }
  }

  private reportHit(hit: PySinkHit): void {
    if (!this.silent) routeHit(hit, this.scope, (reported) => this.env.report(reported));
  }
}

function isStaticOrClassMethod(decorator: PyExpr): boolean {
  return decorator.type === 'Name' && (decorator.id === 'staticmethod' || decorator.id === 'classmethod');
}

/**
 * The ways an imported name splits into a module and a name in it, longest module first:
 * `from . import db` then `db.get_user` is module `.db`, name `get_user`; `import app` then
 * `app.services.run` is `app.services` and `run`, or else `app` and `services.run`.
 */
function moduleSplits(mod: { name: string; path: readonly string[] }): [string, readonly string[]][] {
  const splits: [string, readonly string[]][] = [];
  for (let split = mod.path.length - 1; split >= 0; split--) {
    const moduleName = [mod.name, ...mod.path.slice(0, split)].reduce((whole, part) => (/^\.*$/.test(whole) ? whole + part : `${whole}.${part}`));
    splits.push([moduleName, mod.path.slice(split)]);
  }
  return splits;
}

/** A subscript key or dict key written as a constant (`x["name"]`, `x[0]`). */
function constantKey(node: PyExpr): string | undefined {
  if (node.type === 'Str') return node.isFString ? undefined : node.value;
  if (node.type === 'Num') return node.raw;
  return undefined;
}

/** Values a module can compute before any request: literals, collections of them, compiled patterns. */
function isConstantExpression(node: PyExpr, depth: number): boolean {
  if (depth > 8) return false;
  switch (node.type) {
    case 'Str':
      return !node.isFString;
    case 'Num':
    case 'Constant':
      return true;
    case 'List':
    case 'Tuple':
    case 'Set':
      return node.elts.length <= 500 && node.elts.every((element) => isConstantExpression(element, depth + 1));
    case 'Dict':
      return node.values.length <= 500 && node.keys.every((key) => key !== null && isConstantExpression(key, depth + 1)) && node.values.every((value) => isConstantExpression(value, depth + 1));
    case 'Call': {
      const name = node.func.type === 'Name' ? node.func.id : node.func.type === 'Attribute' ? node.func.attr : '';
      return ['set', 'frozenset', 'tuple', 'list', 'compile'].includes(name) && node.keywords.length === 0 && node.args.length <= 2 && node.args.every((argument) => isConstantExpression(argument, depth + 1) || argument.type === 'Attribute');
    }
    default:
      return false;
  }
}

