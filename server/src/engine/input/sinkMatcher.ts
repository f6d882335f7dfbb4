import ts = require('typescript');
import { literalText, propertyNameText, unwrap } from '../js/flowSyntax';
import type { InputRuleData, SinkCondition, SinkPattern } from './ruleData';
import { shapeText, type ModuleRef, type Value } from './taint';
import { isPostgrestFilter } from './shared/postgrestFilter';

/**
 * Matching calls, constructors, assignments and JSX attributes against the sink table, and
 * deciding which argument values (or which of their properties) reach the sink.
 */

export interface CallSite {
  node: ts.CallExpression | ts.NewExpression;
  args: readonly ts.Expression[];
  argValues: readonly (Value | undefined)[];
  /** `pool` in `pool.query(…)`. */
  receiverNode?: ts.Expression;
  /** `query` in `pool.query(…)`. */
  method?: string;
  /** The callee resolved to a module export (`exec` from child_process, `axios.get`). */
  calleeModule?: ModuleRef;
  /** The callee is this unbound global name (`eval`, `fetch`). */
  globalName?: string;
  /** `new X(…)`: the constructor's name. */
  constructorName?: string;
}

export interface SinkEnvironment {
  data: InputRuleData;
  text: string;
  sourceFile: ts.SourceFile;
  libraryPresent(libraries: readonly string[]): boolean;
  /** Evaluates an expression without reporting anything (for object spreads). */
  evaluate(expression: ts.Expression): Value | undefined;
}

/** A value that reaches a sink, before its taints are checked against the pattern. */
export interface SinkCandidate {
  pattern: SinkPattern;
  node: ts.Node;
  value: Value;
  requirement: 'any' | 'whole' | 'structured';
  argIndex?: number;
}

export function receiverText(node: ts.Expression | undefined, env: SinkEnvironment): string {
  if (!node) return '';
  const start = node.getStart(env.sourceFile);
  return env.text.slice(start, Math.min(node.end, start + 300)).replace(/\s+/g, '');
}

function moduleExportName(module: ModuleRef): string {
  for (let index = module.path.length - 1; index >= 0; index--) if (module.path[index] !== 'default') return module.path[index];
  return 'default';
}

function candidatesForCall(site: CallSite, env: SinkEnvironment): SinkPattern[] {
  const { data } = env;
  const patterns: SinkPattern[] = [];
  const isNew = ts.isNewExpression(site.node);
  if (isNew) {
    const name = site.constructorName;
    if (!name) return patterns;
    for (const pattern of data.newSinks.get(name) ?? []) {
      if (pattern.modules ? !!site.calleeModule && pattern.modules.has(site.calleeModule.name) : pattern.global && site.globalName === name) patterns.push(pattern);
    }
    for (const pattern of data.newPatternSinks) {
      if (pattern.namePattern?.test(name) && !pattern.exclude.has(name)) patterns.push(pattern);
    }
    return patterns;
  }
  if (site.calleeModule) {
    for (const pattern of data.functionSinks.get(moduleExportName(site.calleeModule)) ?? []) {
      if (pattern.modules?.has(site.calleeModule.name)) patterns.push(pattern);
    }
  }
  if (site.globalName) {
    for (const pattern of data.functionSinks.get(site.globalName) ?? []) if (pattern.global) patterns.push(pattern);
  }
  if (site.method) {
    for (const pattern of data.methodSinks.get(site.method) ?? []) patterns.push(pattern);
  }
  return patterns;
}

function objectProperty(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((property) => propertyNameText(property.name) === name);
}

function conditionHolds(condition: SinkCondition, site: CallSite, value: Value | undefined, receiver: string, env: SinkEnvironment): boolean {
  switch (condition) {
    case 'sql-text':
      return env.data.sqlText.test(shapeText(value));
    case 'sql-text-or-db':
      return env.data.sqlText.test(shapeText(value)) || env.data.databaseReceivers.test(receiver);
    case 'html-text':
      return /<[a-zA-Z!/]/.test(shapeText(value));
    case 'shell-option': {
      const shellBinary = /^(\/bin\/|\/usr\/bin\/)?(sh|bash|zsh|dash|cmd(\.exe)?|powershell(\.exe)?|pwsh)$/;
      if (shellBinary.test(literalText(site.args[0]) ?? '')) return true;
      return site.args.some((argument) => {
        const inner = unwrap(argument);
        if (!ts.isObjectLiteralExpression(inner)) return false;
        const shell = objectProperty(inner, 'shell');
        if (!shell) return false;
        return !(ts.isPropertyAssignment(shell) && shell.initializer.kind === ts.SyntaxKind.FalseKeyword);
      });
    }
    case 'no-root-option':
      return !site.args.some((argument) => {
        const inner = unwrap(argument);
        return ts.isObjectLiteralExpression(inner) && !!objectProperty(inner, 'root');
      });
    case 'location-header':
      return /^location$/i.test(literalText(site.args[0]) ?? '');
    case 'postgrest-filter':
      return isPostgrestFilter(shapeText(value));
    case 'target-not-literal': {
      const target = site.args[0] && unwrap(site.args[0]);
      return !!target && !ts.isObjectLiteralExpression(target) && !ts.isArrayLiteralExpression(target);
    }
  }
}

/** The values of a call's arguments that reach one of its sinks. */
export function callSinkCandidates(site: CallSite, env: SinkEnvironment): SinkCandidate[] {
  const patterns = candidatesForCall(site, env);
  if (patterns.length === 0) return [];
  const receiver = site.receiverNode ? receiverText(site.receiverNode, env) : '';
  const found: SinkCandidate[] = [];
  for (const pattern of patterns) {
    if (pattern.call === 'method') {
      if (pattern.receiver && !pattern.receiver.test(receiver)) continue;
      if (pattern.receiverNot && pattern.receiverNot.test(receiver)) continue;
    }
    if (pattern.requires && !env.libraryPresent(pattern.requires)) continue;
    const indices = pattern.args === 'all' ? site.args.map((_, index) => index) : pattern.args;
    for (const index of indices) {
      const node = site.args[index];
      if (!node) continue;
      const value = site.argValues[index];
      if (!value) continue;
      if (!pattern.when.every((condition) => conditionHolds(condition, site, value, receiver, env))) continue;
      collectValue(pattern, node, value, found, index);
    }
  }
  return found;
}

/** What of `value` (written as `node`) reaches the sink: the value, or named properties of an options object. */
export function collectValue(pattern: SinkPattern, node: ts.Expression, value: Value, found: SinkCandidate[], argIndex?: number): void {
  const inner = unwrap(node);
  const requirement = pattern.taint;
  if (pattern.property) {
    if (ts.isObjectLiteralExpression(inner)) {
      for (const name of pattern.property) {
        const propertyValue = value.props?.get(name);
        if (!propertyValue) continue;
        const property = objectProperty(inner, name);
        const propertyNode = property && (ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined);
        found.push({ pattern, node: propertyNode ?? inner, value: propertyValue, requirement, argIndex });
      }
      return;
    }
    if (pattern.propertyOnly) {
      for (const name of pattern.property) {
        const propertyValue = value.props?.get(name);
        if (propertyValue) found.push({ pattern, node: inner, value: propertyValue, requirement, argIndex });
      }
      return;
    }
  }
  found.push({ pattern, node: inner, value, requirement, argIndex });
  if (pattern.filter && ts.isObjectLiteralExpression(inner)) collectFilter(pattern, inner, value, found, argIndex, 0);
}

/** A MongoDB filter: each value may carry an operator object; `$where` runs any text as JavaScript. */
function collectFilter(pattern: SinkPattern, object: ts.ObjectLiteralExpression, value: Value, found: SinkCandidate[], argIndex: number | undefined, depth: number): void {
  if (depth > 2) return;
  for (const property of object.properties) {
    const name = propertyNameText(property.name);
    if (!name) continue;
    const propertyValue = value.props?.get(name);
    if (!propertyValue) continue;
    const node = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!node) continue;
    if (name === '$where' || name === '$function' || name === '$accumulator') {
      found.push({ pattern, node, value: propertyValue, requirement: 'any', argIndex });
    } else if ((name === '$or' || name === '$and' || name === '$nor') && ts.isArrayLiteralExpression(node)) {
      for (const element of node.elements) {
        const inner = unwrap(element);
        if (ts.isObjectLiteralExpression(inner)) collectFilter(pattern, inner, propertyValue, found, argIndex, depth + 1);
      }
    } else if (ts.isObjectLiteralExpression(node)) {
      // `{ age: { $gt: x } }` compares with x; `{ where: { … } }` is another ORM's filter: neither is an operator slot.
      continue;
    } else {
      found.push({ pattern, node, value: propertyValue, requirement: 'structured', argIndex });
    }
  }
}

/** Whole-object expressions inside a mass-assignment sink: the node itself, or `...x` spreads in an object literal. */
export function wholeExpressions(node: ts.Node, env: SinkEnvironment): ts.Expression[] {
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.filter((property): property is ts.SpreadAssignment => ts.isSpreadAssignment(property) && !!env.evaluate(property.expression)?.taints?.some((taint) => taint.whole)).map((property) => property.expression);
  }
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? [node] : [];
}

export function assignSinkCandidates(target: ts.PropertyAccessExpression, valueNode: ts.Expression, value: Value | undefined, env: SinkEnvironment): SinkCandidate[] {
  if (!value) return [];
  const patterns = env.data.assignSinks.get(target.name.text);
  if (!patterns) return [];
  const receiver = receiverText(target.expression, env);
  const found: SinkCandidate[] = [];
  for (const pattern of patterns) {
    if (pattern.receiver && !pattern.receiver.test(receiver)) continue;
    if (pattern.receiverNot && pattern.receiverNot.test(receiver)) continue;
    if (pattern.when.includes('html-text') && !/<[a-zA-Z!/]/.test(shapeText(value))) continue;
    collectValue(pattern, valueNode, value, found);
  }
  return found;
}

export function jsxSinkCandidates(attribute: ts.JsxAttribute, valueNode: ts.Expression, value: Value | undefined, env: SinkEnvironment): SinkCandidate[] {
  if (!value) return [];
  const name = ts.isIdentifier(attribute.name) ? attribute.name.text : undefined;
  const patterns = name ? env.data.jsxSinks.get(name) : undefined;
  if (!patterns) return [];
  const found: SinkCandidate[] = [];
  for (const pattern of patterns) {
    const before = found.length;
    collectValue(pattern, valueNode, value, found);
    // Underline the attribute, which is what the developer wrote on purpose.
    for (let index = before; index < found.length; index++) found[index] = { ...found[index], node: attribute };
  }
  return found;
}
