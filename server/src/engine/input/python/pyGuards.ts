import type { PyCall, PyExpr, PyStatement } from '../../python/ast';
import { dottedName, keywordArg, positionalArg, stringValue } from '../../python/walk';
import { URL_KINDS, commonRefinements, sitePathRefinements, type PrefixFact, type RefinementOf } from '../shared/refinements';
import { fixesTheTarget } from '../shared/taintCore';
import type { PyInputData } from './pyRuleData';
import { ALL_KINDS, KIND_BITS, type PyValue } from './pyValues';

/**
 * Conditions that make a value safe where they hold: `x in ALLOWED`, `x == "a"`,
 * `x.isdigit()`, `re.fullmatch(r"[a-z0-9-]+", x)`, `x.startswith("/")` and not `"//"`,
 * `".." not in x`, `url_has_allowed_host_and_scheme(x, …)`, `urlparse(x).netloc in HOSTS`,
 * `isinstance(x, int)`, a predicate such as `is_valid_slug(x)`. Each gives a refinement:
 * the expression (by its key) and the kinds of danger removed where the condition has the
 * given outcome.
 */

export type PyRefinement = RefinementOf<PyExpr>;

/** What a callee is, as the analysis resolved it. */
export interface PyCalleeInfo {
  /** Module and name of an imported callee (`os.path`, `basename`). */
  module?: string;
  name?: string;
  builtin?: string;
  method?: string;
}

export interface PyGuardHelpers {
  data: PyInputData;
  validators: ReadonlySet<string>;
  evaluate(expression: PyExpr): PyValue | undefined;
  callee(call: PyCall): PyCalleeInfo;
  /** Whether a name's value is a parsed URL (`parsed = urlparse(x)`), and of what. */
  urlSource(expression: PyExpr): string | undefined;
}

const NONE: PyRefinement[] = [];

/** The key a value is remembered by: `name`, `data.user`, `request.args["next"]`. */
export function pyKey(expression: PyExpr | undefined, depth = 0): string | undefined {
  if (!expression || depth > 20) return undefined;
  if (expression.type === 'Name') return expression.id;
  if (expression.type === 'Attribute') {
    const base = pyKey(expression.value, depth + 1);
    return base && expression.attr ? `${base}.${expression.attr}` : undefined;
  }
  if (expression.type === 'Subscript') {
    const base = pyKey(expression.value, depth + 1);
    const slice = expression.slice;
    const key = slice.type === 'Str' ? slice.value : slice.type === 'Num' ? slice.raw : undefined;
    return base && key !== undefined ? `${base}[${JSON.stringify(key)}]` : undefined;
  }
  return undefined;
}

export function pyRefinementsOf(condition: PyExpr, outcome: boolean, helpers: PyGuardHelpers): PyRefinement[] {
  let subject = condition;
  while (subject.type === 'UnaryOp' && subject.op === 'not') subject = subject.operand;
  if (subject.type !== 'Compare' && subject.type !== 'Call' && subject.type !== 'BoolOp') return NONE;
  const refinements: PyRefinement[] = [];
  const prefixes: PrefixFact<PyExpr>[] = [];
  collect(condition, outcome, helpers, refinements, prefixes, 0);
  refinements.push(...sitePathRefinements(prefixes));
  return refinements;
}

function collect(condition: PyExpr, outcome: boolean, helpers: PyGuardHelpers, out: PyRefinement[], prefixes: PrefixFact<PyExpr>[], depth: number): void {
  if (depth > 16) return;
  if (condition.type === 'UnaryOp' && condition.op === 'not') {
    collect(condition.operand, !outcome, helpers, out, prefixes, depth + 1);
    return;
  }
  if (condition.type === 'BoolOp') {
    const conjunction = (condition.op === 'and') === outcome;
    if (conjunction) {
      for (const value of condition.values) collect(value, outcome, helpers, out, prefixes, depth + 1);
      return;
    }
    // One side holds (`x == "a" or x == "b"`): only what every side makes safe.
    let common: PyRefinement[] | undefined;
    for (const value of condition.values) {
      const side: PyRefinement[] = [];
      collect(value, outcome, helpers, side, [], depth + 1);
      common = common === undefined ? side : commonRefinements(common, side);
    }
    out.push(...(common ?? []));
    return;
  }
  if (condition.type === 'Compare') {
    if (condition.ops.length !== 1) return;
    const [op] = condition.ops;
    const left = condition.left;
    const right = condition.comparators[0];
    if (op === 'in' || op === 'not in') {
      const holds = (op === 'in') === outcome;
      if (stringValue(left) === '..') {
        if (!holds) add(right, KIND_BITS.path, out, helpers);
      } else if (holds && isConstCollection(right, helpers)) {
        add(left, ALL_KINDS, out, helpers);
      }
      return;
    }
    // `PATTERN.fullmatch(x) is None`: the match call failed.
    if ((op === 'is' || op === 'is not') && right.type === 'Constant' && right.value === 'None' && left.type === 'Call') {
      collect(left, outcome === (op === 'is not'), helpers, out, prefixes, depth + 1);
      return;
    }
    if (op === '==' || op === '!=' || op === 'is' || op === 'is not') {
      const holds = (op === '==' || op === 'is') === outcome;
      if (!holds) return;
      if (isConstant(right, helpers) && !isConstant(left, helpers)) add(left, ALL_KINDS, out, helpers);
      else if (isConstant(left, helpers) && !isConstant(right, helpers)) add(right, ALL_KINDS, out, helpers);
    }
    return;
  }
  if (condition.type !== 'Call') return;
  const call = condition;
  const callee = helpers.callee(call);
  const first = positionalArg(call, 0);
  if (callee.builtin === 'isinstance' && first && outcome) {
    const types = positionalArg(call, 1);
    const names = (types?.type === 'Tuple' ? types.elts : types ? [types] : []).map((type) => dottedName(type));
    if (names.length && names.every((name) => name === 'int' || name === 'float' || name === 'bool')) add(first, ALL_KINDS, out, helpers);
    else if (names.length && names.every((name) => name === 'str')) add(first, KIND_BITS.nosql | KIND_BITS.mass, out, helpers);
    return;
  }
  if (callee.method && call.func.type === 'Attribute') {
    const receiver = call.func.value;
    const name = callee.method;
    if (helpers.data.checkMethods.has(name)) {
      if (outcome) add(receiver, ALL_KINDS, out, helpers);
      return;
    }
    if (name === 'startswith' && first) {
      const key = pyKey(receiver);
      const prefix = stringValue(first);
      if (key && prefix !== undefined) prefixes.push({ key, node: receiver, prefix, holds: outcome });
      if (!outcome) return;
      if (prefix !== undefined && fixesTheTarget(prefix)) add(receiver, URL_KINDS, out, helpers);
      if (isResolvedPath(receiver, helpers)) add(receiver, KIND_BITS.path, out, helpers);
      return;
    }
    if (name === 'is_relative_to' && outcome && isResolvedPath(receiver, helpers)) {
      add(receiver, KIND_BITS.path, out, helpers);
      return;
    }
    if ((name === 'fullmatch' || name === 'match' || name === 'search') && first) {
      const source = helpers.evaluate(receiver)?.regex;
      if (source !== undefined) regexGuard(source, name, first, outcome, out, helpers);
      return;
    }
  }
  if (callee.module === 're' && callee.name && helpers.data.regexFunctions.has(callee.name)) {
    const pattern = stringValue(first) ?? helpers.evaluate(first ?? call)?.regex;
    const subject = positionalArg(call, 1) ?? keywordArg(call, 'string');
    if (pattern !== undefined && subject) regexGuard(pattern, callee.name, subject, outcome, out, helpers);
    return;
  }
  if (matchesNamed(helpers.data.urlChecks, callee)) {
    const url = first ?? keywordArg(call, 'url');
    if (url && outcome) add(url, URL_KINDS, out, helpers);
    return;
  }
  const name = callee.name ?? callee.builtin ?? callee.method;
  if (name && (helpers.data.predicateNames.test(name) || helpers.validators.has(name))) {
    if (outcome) for (const argument of call.args) add(argument, ALL_KINDS, out, helpers);
  }
}

function regexGuard(source: string, fn: string, subject: PyExpr, outcome: boolean, out: PyRefinement[], helpers: PyGuardHelpers): void {
  if (source.includes('\\.\\.')) {
    if (!outcome) add(subject, KIND_BITS.path, out, helpers);
    return;
  }
  if (!outcome) return;
  const endAnchored = /(\$|\\Z|\\z)$/.test(source) && !/\\\$$/.test(source);
  const startAnchored = fn === 'fullmatch' || fn === 'match' || source.startsWith('^') || source.startsWith('\\A');
  if ((fn === 'fullmatch' || endAnchored) && startAnchored) add(subject, ALL_KINDS, out, helpers);
}

function matchesNamed(list: PyInputData['urlChecks'], callee: PyCalleeInfo): boolean {
  const name = callee.name ?? callee.builtin ?? callee.method;
  if (!name) return false;
  return (list.get(name) ?? []).some((matcher) => !matcher.modules || (callee.module !== undefined && matcher.modules.has(callee.module)));
}

function isConstant(expression: PyExpr, helpers: PyGuardHelpers): boolean {
  if (expression.type === 'Str') return !expression.isFString;
  if (expression.type === 'Num' || expression.type === 'Constant') return true;
  if (expression.type === 'UnaryOp' && expression.operand.type === 'Num') return true;
  const value = helpers.evaluate(expression);
  return !!value?.literal && !value.taints;
}

function isConstCollection(expression: PyExpr, helpers: PyGuardHelpers): boolean {
  const value = helpers.evaluate(expression);
  return !!value?.constList && !value.taints;
}

/** `os.path.realpath(x)`, `Path(x).resolve()`: a path whose `..` is gone. */
function isResolvedPath(expression: PyExpr, helpers: PyGuardHelpers): boolean {
  if (expression.type === 'Call') {
    const callee = helpers.callee(expression);
    const name = callee.name ?? callee.method;
    return !!name && (helpers.data.resolvers.get(name) ?? []).some((matcher) => !matcher.modules || !callee.module || matcher.modules.has(callee.module) || !!callee.method);
  }
  return !!helpers.evaluate(expression)?.resolved;
}

function add(expression: PyExpr, cleans: number, out: PyRefinement[], helpers: PyGuardHelpers): void {
  // A check on the host of a parsed URL makes the URL itself safe to call or redirect to.
  if (expression.type === 'Attribute' && ['netloc', 'hostname', 'host', 'scheme'].includes(expression.attr)) {
    const object = expression.value;
    if (object.type === 'Call') {
      const callee = helpers.callee(object);
      const parser = matchesNamed(helpers.data.urlParsers, callee);
      const url = positionalArg(object, 0);
      if (parser && url) add(url, cleans & URL_KINDS, out, helpers);
    } else {
      const source = helpers.urlSource(object);
      if (source) out.push({ key: source, node: object, cleans: cleans & URL_KINDS });
      const key = pyKey(object);
      if (key) out.push({ key, node: object, cleans: cleans & URL_KINDS });
    }
  }
  const key = pyKey(expression);
  if (key) out.push({ key, node: expression, cleans });
}

/** Whether running the statements always leaves the block (return, raise, `abort(…)`, break, continue). */
export function pyAlwaysExits(statements: readonly PyStatement[] | undefined): boolean {
  if (!statements) return false;
  return statements.some((statement) => statementExits(statement));
}

function statementExits(statement: PyStatement): boolean {
  switch (statement.type) {
    case 'Return':
    case 'Raise':
    case 'Break':
    case 'Continue':
      return true;
    case 'If':
      return pyAlwaysExits(statement.body) && pyAlwaysExits(statement.orelse);
    case 'ExprStatement': {
      const value = statement.value;
      if (value.type !== 'Call') return false;
      const name = dottedName(value.func);
      return !!name && /^(abort|flask\.abort|sys\.exit|exit|os\._exit|raise_error|fail)$/.test(name);
    }
    default:
      return false;
  }
}
