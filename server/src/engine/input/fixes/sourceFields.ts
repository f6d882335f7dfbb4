import ts = require('typescript');
import { dottedPath, literalText, propertyNameText, referencesTo, unwrap } from '../../js/flowSyntax';
import type { SourceOrigin } from '../taint';

/**
 * Which fields of a request object a handler reads (`req.body.email`, `const { a, b } =
 * await request.json()`, `body.quantity * 2`), with hints about their types, and where the
 * object is used as a whole. The fixes build their field lists and zod schemas from this;
 * anything they cannot follow (computed keys, `...rest`, writes to the object) makes the
 * result uncertain, and then no fix is offered.
 */

export type FieldHint = 'number' | 'coerce-number' | 'string' | 'boolean' | 'array' | 'object' | 'optional';

export interface SourceFields {
  /** Field name → hints, in the order the handler first reads them. */
  fields: Map<string, Set<FieldHint>>;
  /** Field name → where it is read. */
  reads: Map<string, ts.Node[]>;
  /** Places that use the object as a whole. */
  whole: ts.Node[];
  uncertain: boolean;
  /** Every expression that reads the request object itself (`req.body`, `await request.json()`, the parameter). */
  occurrences: ts.Expression[];
  /** `req.body as T`, `const body: T = …`. */
  declaredType?: ts.TypeNode;
  handlerBody: ts.Block;
}

export function collectSourceFields(origin: SourceOrigin): SourceFields | undefined {
  const fn = origin.handler?.fn;
  if (!fn?.body || !ts.isBlock(fn.body)) return undefined;
  const body = fn.body;
  const result: SourceFields = { fields: new Map(), reads: new Map(), whole: [], uncertain: false, occurrences: findOccurrences(origin.sourceNode, body), handlerBody: body };
  if (result.occurrences.length === 0) return undefined;
  for (const occurrence of result.occurrences) classify(occurrence, result, body, 0);
  return result;
}

function findOccurrences(source: ts.Node, body: ts.Block): ts.Expression[] {
  if (ts.isParameter(source)) return ts.isIdentifier(source.name) ? referencesTo(body, source.name.text) : [];
  if (ts.isPropertyAccessExpression(source) || ts.isElementAccessExpression(source)) {
    const key = dottedPath(source);
    if (!key) return [];
    const found: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && dottedPath(node) === key) {
        found.push(node);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
    return found;
  }
  if (ts.isCallExpression(source) && source.arguments.length === 0) {
    const key = dottedPath(source.expression);
    if (!key) return [];
    const found: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length === 0 && dottedPath(node.expression) === key) {
        found.push(node);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
    return found;
  }
  return [];
}

/** Climbs through parentheses, casts and await; remembers a cast's type. */
function outermost(node: ts.Expression, result: SourceFields): ts.Expression {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    if (ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isTypeAssertionExpression(parent)) {
      result.declaredType ??= parent.type;
      current = parent;
    } else if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAwaitExpression(parent)) {
      current = parent;
    } else {
      return current;
    }
  }
}

function addField(result: SourceFields, name: string, hints: Set<FieldHint>, at: ts.Node): void {
  const reads = result.reads.get(name);
  if (reads) reads.push(at);
  else result.reads.set(name, [at]);
  const existing = result.fields.get(name);
  if (existing) for (const hint of hints) existing.add(hint);
  else result.fields.set(name, hints);
}

function isWritten(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.isDeleteExpression(parent);
}

function classify(use: ts.Expression, result: SourceFields, body: ts.Block, aliasDepth: number): void {
  const node = outermost(use, result);
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    if (isWritten(parent)) result.uncertain = true;
    else addField(result, parent.name.text, hintsOf(parent), parent);
    return;
  }
  if (ts.isElementAccessExpression(parent) && parent.expression === node) {
    const key = literalText(parent.argumentExpression);
    if (key === undefined || isWritten(parent)) result.uncertain = true;
    else addField(result, key, hintsOf(parent), parent);
    return;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === node) {
    if (parent.type) result.declaredType ??= parent.type;
    if (ts.isObjectBindingPattern(parent.name)) {
      for (const element of parent.name.elements) {
        const key = propertyNameText(element.propertyName ?? element.name);
        if (element.dotDotDotToken || key === undefined) {
          result.uncertain = true;
          continue;
        }
        const hints = ts.isIdentifier(element.name) ? identifierHints(element.name.text, body) : new Set<FieldHint>(['object']);
        if (element.initializer) hints.add('optional');
        addField(result, key, hints, element);
      }
      return;
    }
    if (ts.isIdentifier(parent.name) && aliasDepth < 2) {
      const references = referencesTo(body, parent.name.text);
      if (!(parent.parent.flags & ts.NodeFlags.Const) && references.some(isWritten)) result.uncertain = true;
      for (const reference of references) classify(reference, result, body, aliasDepth + 1);
      return;
    }
    result.uncertain = true;
    return;
  }
  result.whole.push(node);
}

function identifierHints(name: string, body: ts.Block): Set<FieldHint> {
  const hints = new Set<FieldHint>();
  for (const reference of referencesTo(body, name)) for (const hint of hintsOf(reference)) hints.add(hint);
  return hints;
}

const STRING_METHODS = new Set(['toLowerCase', 'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'split', 'startsWith', 'endsWith', 'replace', 'replaceAll', 'slice', 'substring', 'padStart', 'padEnd', 'match', 'localeCompare', 'charAt', 'normalize']);
const ARRAY_METHODS = new Set(['map', 'forEach', 'filter', 'reduce', 'some', 'every', 'flatMap', 'find']);

/** What the code around a read says about the field's type. */
function hintsOf(node: ts.Expression): Set<FieldHint> {
  const hints = new Set<FieldHint>();
  let current: ts.Node = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isAsExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  if (!parent) return hints;
  if (ts.isBinaryExpression(parent)) {
    const operator = parent.operatorToken.kind;
    const other = parent.left === current ? parent.right : parent.left;
    if ([ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.AsteriskAsteriskToken].includes(operator)) hints.add('number');
    if ([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken].includes(operator) && ts.isNumericLiteral(unwrap(other))) hints.add('number');
    if ([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(operator)) {
      const inner = unwrap(other);
      if (inner.kind === ts.SyntaxKind.TrueKeyword || inner.kind === ts.SyntaxKind.FalseKeyword) hints.add('boolean');
      else if (ts.isNumericLiteral(inner)) hints.add('number');
      else if (ts.isStringLiteral(inner)) hints.add('string');
    }
    if ((operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) && parent.left === current) hints.add('optional');
  } else if (ts.isPrefixUnaryExpression(parent)) {
    if (parent.operator === ts.SyntaxKind.ExclamationToken) hints.add('optional');
    if (parent.operator === ts.SyntaxKind.MinusToken) hints.add('number');
  } else if ((ts.isIfStatement(parent) && parent.expression === current) || (ts.isConditionalExpression(parent) && parent.condition === current)) {
    hints.add('optional');
  } else if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
    const callee = dottedPath(parent.expression);
    if (callee && /^(Number|parseInt|parseFloat|Number\.parseInt|Number\.parseFloat)$/.test(callee)) hints.add('coerce-number');
  } else if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
    if (STRING_METHODS.has(parent.name.text)) hints.add('string');
    if (ARRAY_METHODS.has(parent.name.text)) hints.add('array');
    if (parent.questionDotToken) hints.add('optional');
  }
  return hints;
}
