import ts = require('typescript');
import { isFunctionNode, referencesTo, unwrap } from '../../js/flowSyntax';
import type { FixHint, TextEdit } from '../../types';
import type { FileFacts } from '../fileFacts';
import type { SqlFixAccess } from '../flowAnalysis';
import type { InputRuleData, SqlDriver } from '../ruleData';
import { mergeValues, planParameters, type SqlPiece, type SqlPlan, type SqlValue } from '../shared/sqlPlan';

/**
 * Rewrites SQL built with a template literal or `+` into a parameterised query for the
 * driver in use: `$1…` for pg and postgres.js, `?` for mysql2, sqlite3, better-sqlite3 and
 * knex, a tagged template for Prisma's `$queryRawUnsafe`. Literal SQL is kept verbatim, quotes
 * around an interpolation go (`'${x}'` → `$1`; `'%${x}%'` → `$1` with `` `%${x}%` `` as the
 * value), values are merged into an existing values array in placeholder order. Whenever it
 * cannot be sure the query means the same afterwards (identifier positions such as ORDER BY
 * or table names, IN lists, unknown driver, values passed in a variable), it offers nothing.
 * Which interpolations become placeholders is decided with the Python fix's code (../shared/sqlPlan.ts).
 */

export interface SqlFixInput {
  call: ts.CallExpression;
  method: string;
  receiver: string;
  access: SqlFixAccess;
  sourceFile: ts.SourceFile;
  text: string;
  data: InputRuleData;
  facts: FileFacts;
  dependencies: ReadonlySet<string>;
}

type Piece = SqlPiece<ts.Expression>;
type ValueSpec = SqlValue<ts.Expression>;
type Plan = SqlPlan<ts.Expression>;

interface Pieces {
  mode: 'template' | 'concat';
  list: Piece[];
  quote: string;
}

export function sqlParameterizationFix(input: SqlFixInput): FixHint | undefined {
  const driver = driverFor(input);
  const sqlArgument = input.call.arguments[0];
  if (!driver || !sqlArgument) return undefined;
  let written = unwrap(sqlArgument);
  let declaration: ts.VariableDeclaration | undefined;
  if (ts.isIdentifier(written)) {
    declaration = constDeclaration(written, input);
    if (!declaration?.initializer) return undefined;
    written = unwrap(declaration.initializer);
  }
  const pieces = sqlPieces(written, input);
  if (!pieces || !pieces.list.some((piece) => 'expr' in piece && piece.tainted)) return undefined;
  const tagged = driver.values === 'tagged';
  if (tagged && declaration) return undefined;
  const plan = planParameters(pieces.list, { style: driver.placeholder === '?' ? '?' : '$n', allValues: tagged, limitAllowed: !(driver.library === 'mysql2' && input.method === 'execute') });
  if (!plan || plan.values.length === 0) return undefined;
  if (driver.library === 'knex' && plan.tokens.some((token) => token.kind === 'text' && token.text.includes('??'))) return undefined;

  const edits: TextEdit[] = [];
  const exprText = (expr: ts.Expression) => expressionText(expr, input);
  const valueText = (value: ValueSpec) => valueExpression(value, pieces.mode, exprText);

  if (tagged) {
    const callee = unwrap(input.call.expression);
    if (!ts.isPropertyAccessExpression(callee) || input.call.arguments.length !== 1) return undefined;
    const taggedName = driver.tagged?.[input.method];
    if (!taggedName) return undefined;
    const typeArguments = input.call.typeArguments ? `<${input.call.typeArguments.map((type) => input.text.slice(type.getStart(input.sourceFile), type.end)).join(', ')}>` : '';
    const sql = buildSql(plan, pieces, '$n', 1, true, exprText, valueText);
    edits.push({ start: callee.name.getStart(input.sourceFile), end: input.call.end, newText: `${taggedName}${typeArguments}${sql}` });
    return { kind: 'edit', title: `Use ${taggedName} with a tagged template (the values become query parameters)`, edits, preferred: true };
  }

  const valuesEdit = driver.values === 'chained' ? chainedValuesEdit(plan, input, valueText) : argumentValuesEdit(plan, driver, input, sqlArgument, valueText);
  if (!valuesEdit) return undefined;
  const startIndex = valuesEdit.startIndex;
  const sql = buildSql(plan, pieces, driver.placeholder === '?' ? '?' : '$n', startIndex, false, exprText, valueText);
  edits.push({ start: written.getStart(input.sourceFile), end: written.end, newText: sql });
  edits.push(...valuesEdit.edits);
  edits.sort((a, b) => a.start - b.start);
  const shown = driver.placeholder === '?' ? plan.values.map(() => '?').join(', ') : plan.values.map((_, index) => `$${startIndex + index}`).join(', ');
  return { kind: 'edit', title: `Pass the values as query parameters (${shown})`, edits, preferred: true };
}

function driverFor(input: SqlFixInput): SqlDriver | undefined {
  if (/(^|\.)sequelize$/i.test(input.receiver)) return undefined;
  const candidates = input.data.sqlDrivers.filter((driver) => driver.methods.includes(input.method));
  if (candidates.length === 1 && candidates[0].values === 'tagged') return candidates[0];
  const imported = candidates.filter((driver) => driver.modules.some((module) => input.facts.modules.has(module) || [...input.facts.modules].some((name) => name.startsWith(`${module}/`))));
  if (imported.length === 1) return imported[0];
  if (imported.length > 1) return undefined;
  const dependencies = candidates.filter((driver) => driver.modules.some((module) => input.dependencies.has(module)));
  return dependencies.length === 1 ? dependencies[0] : undefined;
}

/** `const sql = \`…\`; db.query(sql)`: the declaration, when the variable is used only here and the values cannot change in between. */
function constDeclaration(identifier: ts.Identifier, input: SqlFixInput): ts.VariableDeclaration | undefined {
  const binding = input.access.declarationOf(identifier);
  const declaration = binding?.declaration;
  if (binding?.kind !== 'const' || !declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  let container: ts.Node = declaration;
  while (container.parent && !isFunctionNode(container) && !ts.isSourceFile(container)) container = container.parent;
  if (referencesTo(container, identifier.text).length !== 1) return undefined;
  const statement = declaration.parent?.parent;
  let sinkStatement: ts.Node = input.call;
  while (sinkStatement.parent && sinkStatement.parent !== statement?.parent) sinkStatement = sinkStatement.parent;
  const block = statement?.parent;
  if (!statement || !block || sinkStatement.parent !== block || !('statements' in block)) return undefined;
  const statements = (block as ts.Block).statements;
  const adjacent = statements.indexOf(sinkStatement as ts.Statement) === statements.indexOf(statement as ts.Statement) + 1;
  if (adjacent) return declaration;
  // Further apart, the values must be constants or parameters, which nothing in between can change.
  const pieces = sqlPieces(unwrap(declaration.initializer), input);
  const stable = pieces?.list.every((piece) => {
    if (!('expr' in piece)) return true;
    let root: ts.Expression = unwrap(piece.expr);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
    if (!ts.isIdentifier(root)) return false;
    const kind = input.access.declarationOf(root)?.kind;
    return kind === 'const' || kind === 'param' || kind === 'import';
  });
  return stable ? declaration : undefined;
}

function sqlPieces(node: ts.Expression, input: SqlFixInput): Pieces | undefined {
  if (ts.isTemplateExpression(node)) {
    const raw = (literal: ts.TemplateLiteralLikeNode) => literal.rawText ?? literal.text;
    const list: Piece[] = [{ text: raw(node.head) }];
    for (const span of node.templateSpans) {
      list.push({ expr: span.expression, tainted: input.access.isTainted(span.expression) });
      list.push({ text: raw(span.literal) });
    }
    // Escapes (\n, \') would read differently once moved into a value: leave such queries alone.
    if (list.some((piece) => 'text' in piece && piece.text.includes('\\'))) return undefined;
    return { mode: 'template', list, quote: '`' };
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const operands: ts.Expression[] = [];
    let current: ts.Expression = node;
    while (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      operands.unshift(current.right);
      current = current.left;
    }
    operands.unshift(current);
    const stringLike = (expression: ts.Expression | undefined) => !!expression && (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression) || ts.isTemplateExpression(expression));
    // `a + b + 'x'` adds numbers first: only chains that are strings from the start.
    if (!stringLike(operands[0]) && !stringLike(operands[1])) return undefined;
    const list: Piece[] = [];
    let quote = "'";
    let quoteFound = false;
    for (const operand of operands) {
      if (ts.isStringLiteral(operand) || ts.isNoSubstitutionTemplateLiteral(operand)) {
        if (!quoteFound && ts.isStringLiteral(operand)) {
          quote = input.text.charAt(operand.getStart(input.sourceFile));
          quoteFound = true;
        }
        list.push({ text: operand.text });
      } else if (ts.isTemplateExpression(operand)) {
        list.push({ text: operand.head.text });
        for (const span of operand.templateSpans) {
          list.push({ expr: span.expression, tainted: input.access.isTainted(span.expression) });
          list.push({ text: span.literal.text });
        }
      } else {
        list.push({ expr: operand, tainted: input.access.isTainted(operand) });
      }
    }
    return { mode: 'concat', list, quote };
  }
  return undefined;
}

function escapeTemplate(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

function escapeString(text: string, quote: string): string {
  return text.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function buildSql(plan: Plan, pieces: Pieces, style: '$n' | '?', startIndex: number, tagged: boolean, exprText: (expr: ts.Expression) => string, valueText: (value: ValueSpec) => string): string {
  const template = tagged || pieces.mode === 'template' || plan.tokens.some((token) => token.kind === 'keep');
  let body = '';
  let number = startIndex;
  for (const token of plan.tokens) {
    if (token.kind === 'text') body += template ? (pieces.mode === 'template' ? token.text : escapeTemplate(token.text)) : escapeString(token.text, pieces.quote === '`' ? "'" : pieces.quote);
    else if (token.kind === 'keep') body += `\${${exprText(token.expr)}}`;
    else if (tagged) body += `\${${valueText(plan.values[token.index])}}`;
    else body += style === '?' ? '?' : `$${number++}`;
  }
  if (template) return `\`${body}\``;
  const quote = pieces.quote === '`' ? "'" : pieces.quote;
  return `${quote}${body}${quote}`;
}

function expressionText(expr: ts.Expression, input: SqlFixInput): string {
  const text = input.text.slice(expr.getStart(input.sourceFile), expr.end);
  return ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.CommaToken ? `(${text})` : text;
}

function valueExpression(value: ValueSpec, mode: Pieces['mode'], exprText: (expr: ts.Expression) => string): string {
  if (value.parts.length === 1 && typeof value.parts[0] !== 'string') return exprText(value.parts[0]);
  let body = '';
  for (const part of value.parts) {
    if (typeof part === 'string') body += (mode === 'template' ? part : escapeTemplate(part)).replace(/''/g, "'");
    else body += `\${${exprText(part)}}`;
  }
  return `\`${body}\``;
}

function plainArguments(args: readonly ts.Expression[]): boolean {
  return args.every((argument) => !ts.isSpreadElement(argument) && !ts.isObjectLiteralExpression(unwrap(argument)) && !ts.isArrowFunction(argument) && !ts.isFunctionExpression(argument));
}

function argumentValuesEdit(plan: Plan, driver: SqlDriver, input: SqlFixInput, sqlArgument: ts.Expression, valueText: (value: ValueSpec) => string): { edits: TextEdit[]; startIndex: number } | undefined {
  const source = (node: ts.Node) => input.text.slice(node.getStart(input.sourceFile), node.end);
  const existing = input.call.arguments[1];
  const fresh = plan.values.map(valueText);
  if (!existing) {
    if (driver.placeholder === '$n' && plan.highestNumbered > 0) return undefined;
    return { edits: [{ start: sqlArgument.end, end: sqlArgument.end, newText: `, [${fresh.join(', ')}]` }], startIndex: 1 };
  }
  const values = unwrap(existing);
  if (ts.isArrayLiteralExpression(values)) {
    if (!plainArguments(values.elements)) return undefined;
    if (driver.placeholder === '$n') {
      const startIndex = Math.max(plan.highestNumbered, values.elements.length) + 1;
      if (values.elements.length === 0) return { edits: [{ start: values.getStart(input.sourceFile), end: values.end, newText: `[${fresh.join(', ')}]` }], startIndex };
      const last = values.elements[values.elements.length - 1];
      return { edits: [{ start: last.end, end: last.end, newText: `, ${fresh.join(', ')}` }], startIndex };
    }
    const merged = mergeValues(plan, values.elements.map(source), fresh);
    return merged && { edits: [{ start: values.getStart(input.sourceFile), end: values.end, newText: `[${merged.join(', ')}]` }], startIndex: 1 };
  }
  if ((ts.isArrowFunction(values) || ts.isFunctionExpression(values)) && driver.callback) {
    if (driver.placeholder === '$n' && plan.highestNumbered > 0) return undefined;
    if (driver.placeholder === '?' && plan.existingPlaceholders > 0) return undefined;
    return { edits: [{ start: existing.getStart(input.sourceFile), end: existing.getStart(input.sourceFile), newText: `[${fresh.join(', ')}], ` }], startIndex: 1 };
  }
  return undefined;
}

/** better-sqlite3: `db.prepare(sql).get(…)` takes the values in the statement's call. */
function chainedValuesEdit(plan: Plan, input: SqlFixInput, valueText: (value: ValueSpec) => string): { edits: TextEdit[]; startIndex: number } | undefined {
  if (input.call.arguments.length !== 1) return undefined;
  const access = input.call.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || !['get', 'all', 'run', 'iterate'].includes(access.name.text)) return undefined;
  const statementCall = access.parent;
  if (!statementCall || !ts.isCallExpression(statementCall) || statementCall.expression !== access) return undefined;
  const args = statementCall.arguments;
  if (!plainArguments(args)) return undefined;
  const merged = mergeValues(plan, args.map((argument) => input.text.slice(argument.getStart(input.sourceFile), argument.end)), plan.values.map(valueText));
  if (!merged) return undefined;
  if (args.length === 0) return { edits: [{ start: args.pos, end: args.pos, newText: merged.join(', ') }], startIndex: 1 };
  return { edits: [{ start: args[0].getStart(input.sourceFile), end: args[args.length - 1].end, newText: merged.join(', ') }], startIndex: 1 };
}
