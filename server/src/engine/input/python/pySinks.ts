import type { PyCall, PyDict, PyExpr, PyKeyword } from '../../python/ast';
import { dottedName, keywordArg } from '../../python/walk';
import type { ClassRole } from './pyFileFacts';
import type { PyCondition, PyInputData, PySinkPattern } from './pyRuleData';
import { shapeText, type PyValue } from './pyValues';
import { isPostgrestFilter } from '../shared/postgrestFilter';

/**
 * Matching Python calls against the sink table (rules/input/sinks.json, each rule's `python`
 * section), and deciding which argument values — positional, keyword, `**kwargs`, or keys of
 * a dict literal — reach the sink.
 */

const SHELL_BINARY = /^(\/usr)?(\/bin\/)?(sh|bash|zsh|dash|ksh|fish|cmd(\.exe)?|powershell(\.exe)?|pwsh)$/;

export interface PyCallSite {
  node: PyCall;
  /** Positional arguments (a `*args` stays as written). */
  args: readonly PyExpr[];
  argValues: readonly (PyValue | undefined)[];
  keywords: ReadonlyMap<string, { node: PyKeyword; value: PyValue | undefined }>;
  /** `**x` arguments. */
  kwargs: readonly { node: PyExpr; value: PyValue | undefined }[];
  receiverNode?: PyExpr;
  receiverValue?: PyValue;
  method?: string;
  /** An imported callee: `os.path` and `join` for `os.path.join(…)`. */
  module?: string;
  name?: string;
  /** A builtin called by its own name (`open`, `eval`). */
  builtin?: string;
  /** A class called by name (`User(**data)`), with what it is for when known. */
  className?: string;
  classRole?: ClassRole | 'unknown';
}

export interface PySinkEnvironment {
  data: PyInputData;
  text: string;
  libraryPresent(libraries: readonly string[]): boolean;
}

export interface PySinkCandidate {
  pattern: PySinkPattern;
  node: PyExpr;
  value: PyValue;
  requirement: 'any' | 'whole' | 'structured';
  /** Which argument: a position, or a keyword's name. */
  argument?: number | string;
  /** A `**x` argument (mass assignment). */
  kwargs?: boolean;
}

/** The receiver's code with whitespace removed (`db.session`, `get_db().cursor()`), for receiver patterns. */
export function receiverCode(node: PyExpr | undefined, text: string): string {
  if (!node) return '';
  return text.slice(node.start, Math.min(node.end, node.start + 300)).replace(/\s+/g, '');
}

function patternsFor(site: PyCallSite, env: PySinkEnvironment, receiver: () => string): PySinkPattern[] {
  const { data } = env;
  const found: PySinkPattern[] = [];
  if (site.name !== undefined && site.module !== undefined) {
    for (const pattern of data.functionSinks.get(site.name) ?? []) if (pattern.modules?.has(site.module)) found.push(pattern);
    for (const pattern of data.classSinks.get(site.name) ?? []) if (pattern.modules?.has(site.module)) found.push(pattern);
  }
  if (site.builtin !== undefined) {
    for (const pattern of data.functionSinks.get(site.builtin) ?? []) if (pattern.spec.builtin) found.push(pattern);
  }
  if (site.method !== undefined) {
    for (const pattern of data.methodSinks.get(site.method) ?? []) {
      if (pattern.instances && !(site.receiverValue?.instance && pattern.instances.has(site.receiverValue.instance))) continue;
      if (pattern.spec.receiverKind && site.receiverValue?.kind !== pattern.spec.receiverKind) continue;
      if (pattern.receiver && !pattern.receiver.test(receiver())) continue;
      if (pattern.receiverNot && pattern.receiverNot.test(receiver())) continue;
      found.push(pattern);
    }
  }
  if (site.className !== undefined && (site.classRole === 'other' || site.classRole === 'unknown')) {
    for (const pattern of data.classPatternSinks) {
      if (pattern.namePattern?.test(site.className) && !pattern.exclude.has(site.className)) found.push(pattern);
    }
  }
  return found;
}

/** The values of a call's arguments that reach one of its sinks. */
export function pyCallSinkCandidates(site: PyCallSite, env: PySinkEnvironment): PySinkCandidate[] {
  let receiverCache: string | undefined;
  const receiver = (): string => (receiverCache ??= receiverCode(site.receiverNode, env.text));
  const patterns = patternsFor(site, env, receiver);
  if (patterns.length === 0) return [];
  const found: PySinkCandidate[] = [];
  for (const pattern of patterns) {
    if (pattern.spec.requires && !env.libraryPresent(pattern.spec.requires)) continue;
    if (pattern.spec.receiverKind && site.receiverNode && site.receiverValue) {
      collectValue(pattern, site.receiverNode, site.receiverValue, found, undefined);
      continue;
    }
    if (pattern.when.includes('upload-receiver') && !site.receiverValue?.taints?.some((taint) => taint.origin.kind === 'source' && taint.origin.location === 'upload')) continue;
    const targets: { node: PyExpr; value: PyValue | undefined; argument: number | string }[] = [];
    const indices = pattern.args === 'all' ? site.args.map((_, index) => index) : pattern.args;
    for (const index of indices) {
      const node = site.args[index];
      if (!node || node.type === 'Starred' || site.args.slice(0, index).some((argument) => argument.type === 'Starred')) continue;
      targets.push({ node, value: site.argValues[index], argument: index });
    }
    for (const name of pattern.keywords) {
      const keyword = site.keywords.get(name);
      if (keyword) targets.push({ node: keyword.node.value, value: keyword.value, argument: name });
    }
    for (const target of targets) {
      if (!target.value) continue;
      const adjusted = applyConditions(pattern.when, site, target.node, target.value, receiver, env);
      if (adjusted) collectValue(pattern, adjusted.node, adjusted.value, found, target.argument);
    }
    if (pattern.spec.kwargs) {
      for (const kwargs of site.kwargs) {
        if (kwargs.value) found.push({ pattern, node: kwargs.node, value: kwargs.value, requirement: pattern.taint, kwargs: true });
      }
    }
  }
  return found;
}

function applyConditions(conditions: readonly PyCondition[], site: PyCallSite, node: PyExpr, value: PyValue, receiver: () => string, env: PySinkEnvironment): { node: PyExpr; value: PyValue } | undefined {
  let current = { node, value };
  for (const condition of conditions) {
    switch (condition) {
      case 'sql-text':
        if (!env.data.sqlText.test(shapeText(value))) return undefined;
        break;
      case 'sql-text-or-db':
        if (!env.data.sqlText.test(shapeText(value)) && !env.data.databaseReceivers.test(receiver())) return undefined;
        break;
      case 'html-text':
        if (!/<[a-zA-Z!/]/.test(shapeText(value))) return undefined;
        break;
      case 'postgrest-filter':
        if (!isPostgrestFilter(shapeText(value))) return undefined;
        break;
      case 'unsafe-yaml-loader': {
        const loader = keywordArg(site.node, 'Loader') ?? site.args[1];
        const name = loader ? dottedName(loader) : undefined;
        if (!loader || !name || /Safe/.test(name)) return undefined;
        break;
      }
      case 'command-args': {
        const shell = keywordArg(site.node, 'shell');
        const shellOn = !!shell && !(shell.type === 'Constant' && (shell.value === 'False' || shell.value === 'None')) && !(shell.type === 'Num' && shell.value === 0);
        if (shellOn) break;
        // Without a shell, a list is the program and its arguments: only the program matters,
        // unless the program is a shell itself (`["sh", "-c", command]`).
        if (node.type === 'List' || node.type === 'Tuple') {
          const program = node.elts[0];
          if (program?.type === 'Str' && SHELL_BINARY.test(program.value ?? '')) break;
          const programValue = value.props?.get('0');
          if (!program || program.type === 'Starred' || !programValue) return undefined;
          current = { node: program, value: programValue };
        } else if (value.kind === 'argv') {
          return undefined;
        }
        break;
      }
      case 'upload-receiver':
        break;
    }
  }
  return current;
}

/** What of `value` (written as `node`) reaches the sink: the value, keys of a dict literal, or a MongoDB filter's fields. */
function collectValue(pattern: PySinkPattern, node: PyExpr, value: PyValue, found: PySinkCandidate[], argument: number | string | undefined): void {
  const requirement = pattern.taint;
  if (pattern.spec.property && node.type === 'Dict') {
    for (const name of pattern.spec.property) {
      const propertyValue = value.props?.get(name);
      const index = node.keys.findIndex((key) => key?.type === 'Str' && key.value === name);
      if (propertyValue && index >= 0) found.push({ pattern, node: node.values[index], value: propertyValue, requirement, argument });
    }
    return;
  }
  found.push({ pattern, node, value, requirement, argument });
  if (pattern.spec.filter && node.type === 'Dict') collectFilter(pattern, node, value, found, argument, 0);
}

/** A MongoDB filter: each value may be an operator dict; `$where` runs any text as JavaScript. */
function collectFilter(pattern: PySinkPattern, dict: PyDict, value: PyValue, found: PySinkCandidate[], argument: number | string | undefined, depth: number): void {
  if (depth > 2) return;
  dict.keys.forEach((key, index) => {
    if (!key || key.type !== 'Str' || key.value === undefined) return;
    const name = key.value;
    const propertyValue = value.props?.get(name);
    if (!propertyValue) return;
    const node = dict.values[index];
    if (name === '$where' || name === '$function' || name === '$accumulator') {
      found.push({ pattern, node, value: propertyValue, requirement: 'any', argument });
    } else if ((name === '$or' || name === '$and' || name === '$nor') && (node.type === 'List' || node.type === 'Tuple')) {
      node.elts.forEach((element, elementIndex) => {
        const elementValue = propertyValue.props?.get(String(elementIndex));
        if (element.type === 'Dict' && elementValue) collectFilter(pattern, element, elementValue, found, argument, depth + 1);
      });
    } else if (node.type !== 'Dict') {
      found.push({ pattern, node, value: propertyValue, requirement: 'structured', argument });
    }
  });
}
