import ts = require('typescript');
import { isFunctionNode, referencesTo, unwrap } from '../../js/flowSyntax';
import type { FixHint, TextEdit } from '../../types';
import type { FileFacts } from '../fileFacts';
import type { SqlFixAccess } from '../flowAnalysis';
import type { InputRuleData, SqlDriver } from '../ruleData';

/**
 * Rewrites SQL built with a template literal or `+` into a parameterised query for the
 * driver in use: `$1…` for pg and postgres.js, `?` for mysql2, sqlite3, better-sqlite3 and
 * knex, a tagged template for Prisma's `$queryRawUnsafe`. Literal SQL is kept verbatim, quotes
 * around an interpolation go (`'${x}'` → `$1`; `'%${x}%'` → `$1` with `` `%${x}%` `` as the
 * value), values are merged into an existing values array in placeholder order. Whenever it
 * cannot be sure the query means the same afterwards (identifier positions such as ORDER BY
 * or table names, IN lists, unknown driver, values passed in a variable), it offers nothing.
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

type Piece = { text: string } | { expr: ts.Expression; tainted: boolean };

interface Pieces {
  mode: 'template' | 'concat';
  list: Piece[];
  quote: string;
}

type Token = { kind: 'text'; text: string } | { kind: 'keep'; expr: ts.Expression } | { kind: 'param'; index: number };

interface ValueSpec {
  parts: (string | ts.Expression)[];
  /** Existing `?` placeholders before this one (for merging into a values array). */
  existingBefore: number;
}

interface Plan {
  tokens: Token[];
  values: ValueSpec[];
  existingQuestionMarks: number;
  highestNumbered: number;
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
  const plan = planParameters(pieces, driver.placeholder === '?' ? '?' : '$n', tagged, !(driver.library === 'mysql2' && input.method === 'execute'));
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

/**
 * Walks the SQL text with its quoting state and decides, for each interpolation, whether it
 * becomes a placeholder (request input in a value position or inside a '…' string), stays
 * as it is (constants), or makes the fix impossible (input in an identifier position).
 */
function planParameters(pieces: Pieces, style: '$n' | '?', allValues: boolean, limitAllowed: boolean): Plan | undefined {
  const tokens: Token[] = [];
  const values: ValueSpec[] = [];
  let state: 'code' | 'double' | 'backtick' | 'line' | 'block' = 'code';
  let region: { parts: (string | ts.Expression)[]; tainted: boolean } | undefined;
  let questionMarks = 0;
  let highestNumbered = 0;
  let codeTail = '';
  const pushText = (text: string) => {
    if (!text) return;
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'text') last.text += text;
    else tokens.push({ kind: 'text', text });
    codeTail = (codeTail + text).slice(-120);
  };
  const { list } = pieces;
  for (let index = 0; index < list.length; index++) {
    const piece = list[index];
    if ('text' in piece) {
      const text = piece.text;
      let buffer = '';
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        const next = text[i + 1];
        if (region) {
          if (ch === "'" && next === "'") {
            region.parts.push("''");
            i++;
          } else if (ch === "'") {
            const closed = region;
            region = undefined;
            if (closed.tainted) {
              values.push({ parts: closed.parts, existingBefore: questionMarks });
              tokens.push({ kind: 'param', index: values.length - 1 });
              codeTail += ' ? ';
            } else {
              buffer += "'";
              pushText(buffer);
              buffer = '';
              for (const part of closed.parts) {
                if (typeof part === 'string') pushText(part);
                else tokens.push({ kind: 'keep', expr: part });
              }
              buffer = "'";
            }
          } else {
            region.parts.push(ch);
          }
          continue;
        }
        switch (state) {
          case 'code':
            if (ch === "'") {
              pushText(buffer);
              buffer = '';
              region = { parts: [], tainted: false };
              continue;
            }
            if (ch === '"') state = 'double';
            else if (ch === '`') state = 'backtick';
            else if (ch === '-' && next === '-') state = 'line';
            else if (ch === '/' && next === '*') state = 'block';
            else if (ch === '?' && style === '?') questionMarks++;
            else if (ch === '$' && /\d/.test(next ?? '')) highestNumbered = Math.max(highestNumbered, Number(/^\d+/.exec(text.slice(i + 1))![0]));
            break;
          case 'double':
            if (ch === '"') state = 'code';
            break;
          case 'backtick':
            if (ch === '`') state = 'code';
            break;
          case 'line':
            if (ch === '\n') state = 'code';
            break;
          case 'block':
            if (ch === '*' && next === '/') {
              buffer += ch;
              i++;
              buffer += '/';
              state = 'code';
              continue;
            }
            break;
        }
        buffer += ch;
      }
      pushText(buffer);
      continue;
    }
    const parameterise = piece.tainted || allValues;
    if (region) {
      region.parts.push(piece.expr);
      region.tainted ||= parameterise;
      continue;
    }
    if (state !== 'code') {
      if (parameterise) return undefined;
      tokens.push({ kind: 'keep', expr: piece.expr });
      continue;
    }
    if (!parameterise) {
      tokens.push({ kind: 'keep', expr: piece.expr });
      codeTail += 'x';
      continue;
    }
    // Two interpolations glued together (`${a}${b}`, `x + y`) form one value: not a sure rewrite.
    if (touchesExpression(list, index, -1) || touchesExpression(list, index, 1)) return undefined;
    const following = list[index + 1];
    const nextText = following && 'text' in following ? following.text : '';
    if (!valuePosition(codeTail, nextText, limitAllowed)) return undefined;
    values.push({ parts: [piece.expr], existingBefore: questionMarks });
    tokens.push({ kind: 'param', index: values.length - 1 });
    codeTail += ' ? ';
  }
  if (region || state === 'double' || state === 'backtick' || state === 'block') return undefined;
  return { tokens, values, existingQuestionMarks: questionMarks, highestNumbered };
}

function touchesExpression(list: readonly Piece[], index: number, direction: 1 | -1): boolean {
  const neighbour = list[index + direction];
  if (!neighbour) return false;
  if ('expr' in neighbour) return true;
  return neighbour.text === '' && !!list[index + 2 * direction] && 'expr' in list[index + 2 * direction];
}

const KEYWORDS = /\b(select|from|where|values|set|order\s+by|group\s+by|limit|offset|having|on|returning|into|update|join|and|or|when|then|else)\b/g;

/** Whether an interpolation stands where SQL expects a value (`= x`, `LIKE x`, `VALUES (x, y)`, `LIMIT x`). */
function valuePosition(before: string, after: string, limitAllowed: boolean): boolean {
  if (before.length > 0 && /[\w."`\]$]$/.test(before)) return false;
  if (/^[\w.([$]/.test(after)) return false;
  const lower = before.replace(/\s+$/, '').toLowerCase();
  if (/(=|<|>|<=|>=|<>|!=)$/.test(lower)) return true;
  if (/\b(i?like)$/.test(lower)) return true;
  if (/\b(limit|offset)$/.test(lower)) return limitAllowed;
  if (/\bbetween$/.test(lower) || /\bbetween\s+\S+\s+and$/.test(lower)) return true;
  if (/[(,]$/.test(lower)) {
    if (/\bin\s*\($/.test(lower)) return false;
    const keywords = lower.match(KEYWORDS);
    return keywords?.[keywords.length - 1] === 'values';
  }
  return false;
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

/** Merges new values into existing positional ones, in placeholder order. */
function mergeValues(plan: Plan, existing: readonly string[], valueText: (value: ValueSpec) => string): string[] | undefined {
  if (existing.length !== plan.existingQuestionMarks) return undefined;
  const merged: string[] = [];
  let next = 0;
  for (const value of plan.values) {
    while (next < value.existingBefore) merged.push(existing[next++]);
    merged.push(valueText(value));
  }
  while (next < existing.length) merged.push(existing[next++]);
  return merged;
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
    const merged = mergeValues(plan, values.elements.map(source), valueText);
    return merged && { edits: [{ start: values.getStart(input.sourceFile), end: values.end, newText: `[${merged.join(', ')}]` }], startIndex: 1 };
  }
  if ((ts.isArrowFunction(values) || ts.isFunctionExpression(values)) && driver.callback) {
    if (driver.placeholder === '$n' && plan.highestNumbered > 0) return undefined;
    if (driver.placeholder === '?' && plan.existingQuestionMarks > 0) return undefined;
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
  const merged = mergeValues(plan, args.map((argument) => input.text.slice(argument.getStart(input.sourceFile), argument.end)), valueText);
  if (!merged) return undefined;
  if (args.length === 0) return { edits: [{ start: args.pos, end: args.pos, newText: merged.join(', ') }], startIndex: 1 };
  return { edits: [{ start: args[0].getStart(input.sourceFile), end: args[args.length - 1].end, newText: merged.join(', ') }], startIndex: 1 };
}
