import ts = require('typescript');
import { dottedPath, literalText, unwrap } from '../js/flowSyntax';
import type { InputRuleData } from './ruleData';
import { URL_KINDS, commonRefinements, sitePathRefinements, type PrefixFact, type RefinementOf } from './shared/refinements';
import { ALL_KINDS, KIND_BITS, fixesTheTarget, type Value } from './taint';

/**
 * Checks that make a value safe where they hold: `ALLOWED.includes(x)`, `x === 'a'`,
 * `/^[a-z]+$/.test(x)`, `x.startsWith('/app/')`, `!x.includes('..')`, `isUUID(x)`,
 * `new URL(x).hostname === 'api.example.com'`. Each gives a refinement: the expression (by
 * its dotted key) and the kinds of danger removed in the branch where the condition has the
 * given outcome.
 */

export type Refinement = RefinementOf<ts.Expression>;

export interface GuardHelpers {
  data: InputRuleData;
  validators: ReadonlySet<string>;
  isConstant(expression: ts.Expression): boolean;
  isConstList(expression: ts.Expression): boolean;
  regexSource(expression: ts.Expression): string | undefined;
  /** The expression is a path already resolved/normalised (so `..` is gone). */
  isResolvedPath(expression: ts.Expression): boolean;
}

const NONE: Refinement[] = [];

export function refinementsOf(condition: ts.Expression, outcome: boolean, helpers: GuardHelpers): Refinement[] {
  // Most conditions are plain truthiness checks (`if (!user)`), which make nothing safe.
  let subject = unwrap(condition);
  while (ts.isPrefixUnaryExpression(subject) && subject.operator === ts.SyntaxKind.ExclamationToken) subject = unwrap(subject.operand);
  if (!ts.isBinaryExpression(subject) && !ts.isCallExpression(subject)) return NONE;
  const refinements: Refinement[] = [];
  const prefixes: PrefixFact<ts.Expression>[] = [];
  collect(condition, outcome, helpers, refinements, prefixes, 0);
  refinements.push(...sitePathRefinements(prefixes));
  return refinements;
}

function collect(condition: ts.Expression, outcome: boolean, helpers: GuardHelpers, out: Refinement[], prefixes: PrefixFact<ts.Expression>[], depth: number): void {
  if (depth > 16) return;
  const node = unwrap(condition);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    collect(node.operand, !outcome, helpers, out, prefixes, depth + 1);
    return;
  }
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) {
      const conjunction = (operator === ts.SyntaxKind.AmpersandAmpersandToken) === outcome;
      if (conjunction) {
        // Both sides hold (`a && b` true, `a || b` false).
        collect(node.left, outcome, helpers, out, prefixes, depth + 1);
        collect(node.right, outcome, helpers, out, prefixes, depth + 1);
      } else {
        // One side holds (`x === 'a' || x === 'b'`): only what both sides make safe.
        const left: Refinement[] = [];
        const right: Refinement[] = [];
        collect(node.left, outcome, helpers, left, [], depth + 1);
        collect(node.right, outcome, helpers, right, [], depth + 1);
        out.push(...commonRefinements(left, right));
      }
      return;
    }
    const equality = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
    const inequality = operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
    if ((equality || inequality) && equality === outcome) {
      for (const [value, other] of [[node.left, node.right], [node.right, node.left]] as const) {
        const inner = unwrap(value);
        if (ts.isTypeOfExpression(inner)) {
          const type = literalText(other);
          if (type === 'number' || type === 'boolean') add(inner.expression, ALL_KINDS, out);
          // A string cannot be an operator object or a whole record.
          else if (type === 'string') add(inner.expression, KIND_BITS.nosql | KIND_BITS.mass, out);
        } else if (helpers.isConstant(other) && !helpers.isConstant(value)) {
          add(value, ALL_KINDS, out);
        }
      }
    }
    return;
  }
  if (ts.isCallExpression(node)) {
    const callee = unwrap(node.expression);
    const args = node.arguments;
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const receiver = callee.expression;
      if (helpers.data.allowlistMethods.has(name) && args[0] && helpers.isConstList(receiver)) {
        if (outcome) add(args[0], ALL_KINDS, out);
        return;
      }
      if (name === 'test' && args[0]) {
        const source = helpers.regexSource(receiver);
        if (source === undefined) return;
        if (source.includes('\\.\\.')) {
          if (!outcome) add(args[0], KIND_BITS.path, out);
        } else if (source.startsWith('^') && source.endsWith('$') && !source.endsWith('\\$') && outcome) {
          add(args[0], ALL_KINDS, out);
        }
        return;
      }
      if (name === 'startsWith' && args[0]) {
        const key = dottedPath(receiver);
        const prefix = literalText(args[0]);
        if (key && prefix !== undefined) prefixes.push({ key, node: unwrap(receiver), prefix, holds: outcome });
        if (!outcome) return;
        if (prefix !== undefined && fixesTheTarget(prefix)) add(receiver, URL_KINDS, out);
        if (helpers.isResolvedPath(receiver)) add(receiver, KIND_BITS.path, out);
        return;
      }
      if (name === 'includes' && literalText(args[0]) === '..') {
        if (!outcome) add(receiver, KIND_BITS.path, out);
        return;
      }
      if (helpers.data.predicateNames.test(name) || helpers.validators.has(name)) {
        if (outcome) for (const argument of args) add(argument, ALL_KINDS, out);
      }
      return;
    }
    if (ts.isIdentifier(callee)) {
      const name = callee.text;
      if (helpers.data.notNumberChecks.has(name)) {
        if (!outcome && args[0]) add(args[0], ALL_KINDS, out);
        return;
      }
      if (helpers.data.predicateNames.test(name) || helpers.validators.has(name)) {
        if (outcome) for (const argument of args) add(argument, ALL_KINDS, out);
      }
    }
  }
}

function add(expression: ts.Expression, cleans: number, out: Refinement[]): void {
  const node = unwrap(expression);
  // A check on the host of a URL makes the URL itself safe to call or redirect to.
  if (ts.isPropertyAccessExpression(node) && ['hostname', 'host', 'origin'].includes(node.name.text)) {
    const object = unwrap(node.expression);
    if (ts.isNewExpression(object) && ts.isIdentifier(object.expression) && object.expression.text === 'URL' && object.arguments?.[0]) {
      add(object.arguments[0], cleans & URL_KINDS, out);
    } else {
      const key = dottedPath(object);
      if (key) out.push({ key, node: object, cleans: cleans & URL_KINDS });
    }
  }
  const key = dottedPath(node);
  if (key) out.push({ key, node, cleans });
}

/** Whether running the statement always leaves the block (return, throw, break, Next's redirect()/notFound()). */
export function alwaysExits(statement: ts.Statement | undefined): boolean {
  if (!statement) return false;
  switch (statement.kind) {
    case ts.SyntaxKind.ReturnStatement:
    case ts.SyntaxKind.ThrowStatement:
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
      return true;
    case ts.SyntaxKind.Block: {
      const statements = (statement as ts.Block).statements;
      return statements.some((inner) => alwaysExits(inner));
    }
    case ts.SyntaxKind.IfStatement: {
      const ifStatement = statement as ts.IfStatement;
      return alwaysExits(ifStatement.thenStatement) && alwaysExits(ifStatement.elseStatement);
    }
    case ts.SyntaxKind.ExpressionStatement: {
      const expression = unwrap((statement as ts.ExpressionStatement).expression);
      if (!ts.isCallExpression(expression)) return false;
      const callee = dottedPath(expression.expression);
      return callee === 'process.exit' || callee === 'notFound' || callee === 'redirect' || callee === 'permanentRedirect' || callee === 'unauthorized' || callee === 'forbidden';
    }
    default:
      return false;
  }
}

/** Guard helpers over the analysis: constants, allowlists, regular expressions and resolved paths, as the code at hand defines them. */
export function guardHelpers(data: InputRuleData, validators: ReadonlySet<string>, evaluate: (expression: ts.Expression) => Value | undefined, declarationOf: (name: string) => ts.Node | undefined): GuardHelpers {
  const initializer = (node: ts.Expression): ts.Expression | undefined => {
    if (!ts.isIdentifier(node)) return undefined;
    const declaration = declarationOf(node.text);
    return declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
  };
  return {
    data,
    validators,
    isConstant(expression) {
      const node = unwrap(expression);
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) return true;
      if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword) return true;
      if (ts.isIdentifier(node) && node.text === 'undefined') return true;
      const value = evaluate(node);
      return !!value?.literal && !value.taints;
    },
    isConstList(expression) {
      const value = evaluate(unwrap(expression));
      return !!value?.constList && !value.taints;
    },
    regexSource(expression) {
      const node = initializer(unwrap(expression)) ?? unwrap(expression);
      return ts.isRegularExpressionLiteral(node) ? node.text.slice(1, node.text.lastIndexOf('/')) : undefined;
    },
    isResolvedPath(expression) {
      const node = initializer(unwrap(expression)) ?? unwrap(expression);
      return ts.isCallExpression(node) && /(^|\.)(resolve|normalize|join|realpathSync|realpath)$/.test(dottedPath(node.expression) ?? '');
    },
  };
}
