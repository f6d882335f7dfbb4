import type { PyAssign, PyCall, PyExpr, PyModule, PyNode, PyStatement, PyStr } from '../../../python/ast';
import { enclosingFunction, positionalArg, walkPython } from '../../../python/walk';
import type { FixHint, TextEdit } from '../../../types';
import { pyLibraryPresent, type PyFileFacts } from '../pyFileFacts';
import type { PyInputData } from '../pyRuleData';
import { receiverCode, type PyCallSite } from '../pySinks';
import { bracePieces, percentPieces, strPieces } from '../pyStrings';
import { mergeValues, planParameters, type SqlPiece, type SqlPlan, type SqlValue } from '../../shared/sqlPlan';

/**
 * Rewrites SQL built with an f-string, `%`, `.format()` or `+` into a parameterised query
 * for the Python driver in use: `?` for sqlite3, `%s` for psycopg2 / psycopg / MySQL drivers
 * and Django's cursor, `:name` with `.bindparams(…)` for SQLAlchemy's `text()`. The literal
 * SQL is kept, quotes around a value go (`'{x}'` → `?`; `'%{x}%'` → `?` with `f"%{x}%"` as
 * the value), values are merged into an existing parameter tuple in placeholder order, and
 * `%` is doubled where the driver formats the query. Whenever it cannot be sure the query
 * means the same afterwards — a name rather than a value (ORDER BY, a table), an IN list,
 * an unknown or ambiguous driver, parameters in a variable, escapes, format specs — it
 * offers nothing. Which values become placeholders is decided with the JavaScript fix's code
 * (../../shared/sqlPlan.ts).
 */

export interface PySqlFixInput {
  call: PyCall;
  site: PyCallSite;
  text: string;
  module: PyModule;
  data: PyInputData;
  facts: PyFileFacts;
  dependencies: ReadonlySet<string>;
  isTainted(expression: PyExpr): boolean;
}

type Style = '?' | '%s' | ':name';
type Piece = SqlPiece<PyExpr>;
type Plan = SqlPlan<PyExpr>;
type ValueSpec = SqlValue<PyExpr>;

interface Written {
  pieces: Piece[];
  quote: '"' | "'";
  triple: boolean;
}

export function pySqlParameterizationFix(input: PySqlFixInput): FixHint | undefined {
  const { call, site } = input;
  const sqlArgument = positionalArg(call, 0);
  if (!sqlArgument || call.args.some((argument) => argument.type === 'Starred') || site.kwargs.length) return undefined;
  const isText = site.name === 'text' || (site.method === 'text' && site.module === undefined);
  const style = isText ? ':name' : placeholderStyle(input);
  if (!style) return undefined;
  if (isText ? call.args.length !== 1 || call.keywords.length > 0 : call.keywords.length > 0 || call.args.length > 2) return undefined;

  let written: PyExpr = sqlArgument;
  let assignment: PyAssign | undefined;
  if (written.type === 'Name') {
    assignment = singleUseAssignment(written.id, call, input);
    if (!assignment?.value) return undefined;
    written = assignment.value;
  }
  const parsed = writtenSql(written, input);
  if (!parsed || !parsed.pieces.some((piece) => 'expr' in piece && piece.tainted)) return undefined;
  const limitAllowed = !isMySql(input);
  const plan = planParameters(parsed.pieces, { style, limitAllowed });
  if (!plan || plan.values.length === 0) return undefined;
  // asyncpg checks bound types strictly: text bound where the query had a bare number would fail there.
  if (isText && plan.values.some((value) => !value.quoted) && pyLibraryPresent(input.facts, input.dependencies, ['asyncpg'])) return undefined;

  const source = (node: PyNode) => input.text.slice(node.start, node.end);
  const valueTexts = plan.values.map((value) => valueText(value, parsed.quote, source));
  if (valueTexts.some((value) => value === undefined)) return undefined;
  const names = style === ':name' ? bindNames(plan, parsed.pieces) : [];
  const sql = buildSql(plan, parsed, style, names, source);
  if (sql === undefined) return undefined;

  const edits: TextEdit[] = [{ start: written.start, end: written.end, newText: sql }];
  if (style === ':name') {
    edits.push({ start: call.end, end: call.end, newText: `.bindparams(${names.map((name, index) => `${name}=${valueTexts[index]}`).join(', ')})` });
  } else {
    const existing = call.args[1];
    if (!existing) {
      if (plan.existingPlaceholders > 0) return undefined;
      edits.push({ start: sqlArgument.end, end: sqlArgument.end, newText: `, (${valueTexts.join(', ')}${valueTexts.length === 1 ? ',' : ''})` });
    } else {
      if ((existing.type !== 'Tuple' && existing.type !== 'List') || existing.elts.some((element) => element.type === 'Starred')) return undefined;
      const merged = mergeValues(plan, existing.elts.map(source), valueTexts as string[]);
      if (!merged) return undefined;
      const body = merged.join(', ');
      edits.push({ start: existing.start, end: existing.end, newText: existing.type === 'List' ? `[${body}]` : `(${body}${merged.length === 1 ? ',' : ''})` });
    }
  }
  edits.sort((a, b) => a.start - b.start);
  const shown = style === ':name' ? names.map((name) => `:${name}`).join(', ') : plan.values.map(() => style).join(', ');
  return { kind: 'edit', title: `Pass the values as query parameters (${shown})`, edits, preferred: true };
}

/** The driver's placeholder, from the DB-API modules the file imports (or, failing that, the project's dependencies). */
function placeholderStyle(input: PySqlFixInput): Style | undefined {
  const { site, facts } = input;
  if (site.method === 'executemany' || site.method === 'executescript') return undefined;
  if (site.method === 'raw') return /objects/.test(receiverCode(site.receiverNode, input.text)) ? '%s' : undefined;
  if (site.method !== 'execute') return undefined;
  const imported = (modules: readonly string[]) => modules.some((module) => [...facts.modules].some((name) => name === module || name.startsWith(`${module}.`)));
  const drivers = input.data.sqlDrivers;
  let candidates = drivers.filter((driver) => imported(driver.modules));
  // SQLAlchemy's session and engine take text(), not a driver's placeholders.
  if (candidates.length === 0 && imported(['sqlalchemy', 'flask_sqlalchemy', 'sqlmodel'])) return undefined;
  if (candidates.length === 0) candidates = drivers.filter((driver) => pyLibraryPresent(facts, input.dependencies, driver.modules));
  const styles = new Set(candidates.map((driver) => driver.placeholder));
  return styles.size === 1 ? [...styles][0] : undefined;
}

function isMySql(input: PySqlFixInput): boolean {
  return input.data.sqlDrivers.some((driver) => /mysql/i.test(driver.library) && pyLibraryPresent(input.facts, input.dependencies, driver.modules));
}

/** `sql = f"…"` right before `cursor.execute(sql)`, the variable used nowhere else. */
function singleUseAssignment(name: string, call: PyCall, input: PySqlFixInput): PyAssign | undefined {
  const fn = enclosingFunction(call);
  const container: PyNode = fn ?? input.module;
  let assignment: PyAssign | undefined;
  let assignments = 0;
  let reads = 0;
  walkPython(container, (node) => {
    if (node !== container && (node.type === 'FunctionDef' || node.type === 'Lambda' || node.type === 'ClassDef')) return false;
    if (node.type === 'Assign' && node.targets.some((target) => target.type === 'Name' && target.id === name)) {
      assignments++;
      assignment = node;
      return undefined;
    }
    if (node.type === 'Name' && node.id === name && !(node.parent?.type === 'Assign' && node.parent.targets.includes(node))) reads++;
    if ((node.type === 'For' || node.type === 'Comprehension') && node.target.type === 'Name' && node.target.id === name) assignments++;
    return undefined;
  });
  if (assignments !== 1 || reads !== 1 || !assignment || assignment.kind !== 'plain' || assignment.targets.length !== 1) return undefined;
  const body = statementList(assignment);
  let statement: PyNode = call;
  while (statement.parent && statement.parent !== assignment.parent) statement = statement.parent;
  if (!body || statement.parent !== assignment.parent) return undefined;
  const index = body.indexOf(assignment);
  return index >= 0 && body[index + 1] === statement ? assignment : undefined;
}

function statementList(statement: PyStatement): readonly PyStatement[] | undefined {
  const parent = statement.parent;
  if (!parent) return undefined;
  for (const key of ['body', 'orelse', 'finalbody'] as const) {
    const list = (parent as unknown as Record<string, unknown>)[key];
    if (Array.isArray(list) && list.includes(statement)) return list as PyStatement[];
  }
  return undefined;
}

// ---- Reading the SQL as written ----

function hasBackslash(str: PyStr, text: string): boolean {
  return str.parts.some((part) => text.slice(part.start, part.end).includes('\\') || part.bytes || part.template);
}

function writtenSql(node: PyExpr, input: PySqlFixInput): Written | undefined {
  const { text } = input;
  const tainted = (expr: PyExpr): Piece => ({ expr, tainted: input.isTainted(expr) });
  if (node.type === 'Str') {
    if (hasBackslash(node, text)) return undefined;
    if (node.interpolations.some((field) => field.conversion || field.formatSpec.length || field.selfDocumenting || text.slice(field.start, field.end).includes(':'))) return undefined;
    const pieces = strPieces(node, text);
    if (!pieces) return undefined;
    return { pieces: pieces.map((piece) => ('text' in piece ? piece : tainted(piece.expr))), ...quoteOf(node) };
  }
  if (node.type === 'BinOp' && node.op === '%' && node.left.type === 'Str' && !node.left.isFString && node.left.value !== undefined) {
    if (hasBackslash(node.left, text)) return undefined;
    const format = percentPieces(node.left.value);
    if (!format) return undefined;
    const right = node.right;
    const pieces: Piece[] = [];
    const fields = format.filter((piece) => 'key' in piece);
    for (const piece of format) {
      if ('text' in piece) {
        pieces.push(piece);
        continue;
      }
      if (!/^[sdi]$/.test(piece.spec)) return undefined;
      let expr: PyExpr | undefined;
      if (typeof piece.key === 'string') {
        if (right.type !== 'Dict') return undefined;
        const index = right.keys.findIndex((key) => key?.type === 'Str' && key.value === piece.key);
        expr = index >= 0 ? right.values[index] : undefined;
      } else if (right.type === 'Tuple') {
        if (right.elts.length !== fields.length) return undefined;
        expr = right.elts[piece.key];
      } else if (fields.length === 1 && right.type !== 'Dict' && right.type !== 'List') {
        expr = right;
      }
      if (!expr || expr.type === 'Starred') return undefined;
      pieces.push(tainted(expr));
    }
    return { pieces, ...quoteOf(node.left) };
  }
  if (node.type === 'Call' && node.func.type === 'Attribute' && node.func.attr === 'format' && node.func.value.type === 'Str' && !node.func.value.isFString && node.func.value.value !== undefined) {
    const template = node.func.value;
    if (hasBackslash(template, text) || node.args.some((argument) => argument.type === 'Starred') || node.keywords.some((keyword) => keyword.arg === undefined)) return undefined;
    const format = bracePieces(template.value!);
    if (!format) return undefined;
    const pieces: Piece[] = [];
    for (const piece of format) {
      if ('text' in piece) {
        pieces.push(piece);
        continue;
      }
      if (piece.spec !== '') return undefined;
      const expr = typeof piece.key === 'number' ? node.args[piece.key] : node.keywords.find((keyword) => keyword.arg === piece.key)?.value;
      if (!expr) return undefined;
      pieces.push(tainted(expr));
    }
    return { pieces, ...quoteOf(template) };
  }
  if (node.type === 'BinOp' && node.op === '+') {
    const operands: PyExpr[] = [];
    let current: PyExpr = node;
    while (current.type === 'BinOp' && current.op === '+' && operands.length < 2000) {
      operands.push(current.right);
      current = current.left;
    }
    operands.push(current);
    operands.reverse();
    // `a + b + "…"` could add numbers first: only chains that are strings from the start.
    const firstString = operands.findIndex((operand) => operand.type === 'Str');
    if (firstString < 0 || firstString > 1) return undefined;
    const pieces: Piece[] = [];
    for (const operand of operands) {
      if (operand.type === 'Str') {
        if (hasBackslash(operand, text) || operand.interpolations.some((field) => field.conversion || field.formatSpec.length || field.selfDocumenting)) return undefined;
        const inner = strPieces(operand, text);
        if (!inner) return undefined;
        for (const piece of inner) pieces.push('text' in piece ? piece : tainted(piece.expr));
      } else {
        pieces.push(tainted(operand));
      }
    }
    return { pieces, ...quoteOf(operands[firstString] as PyStr) };
  }
  return undefined;
}

function quoteOf(str: PyStr): { quote: '"' | "'"; triple: boolean } {
  const part = str.parts[0];
  return { quote: part?.quote ?? '"', triple: str.parts.every((candidate) => candidate.triple) };
}

// ---- Writing the new query ----

/** A bind name per value for SQLAlchemy's `:name`: from the expression (`q` for `request.args["q"]`), unique. */
function bindNames(plan: Plan, pieces: readonly Piece[]): string[] {
  const taken = new Set<string>();
  for (const piece of pieces) if ('text' in piece) for (const match of piece.text.matchAll(/(?<![:\w]):(\w+)/g)) taken.add(match[1]);
  return plan.values.map((value) => {
    const expr = value.parts.find((part): part is PyExpr => typeof part !== 'string');
    let base = expr ? nameOf(expr) : 'value';
    if (!/^[A-Za-z_]\w*$/.test(base)) base = 'value';
    let name = base;
    for (let suffix = 2; taken.has(name); suffix++) name = `${base}_${suffix}`;
    taken.add(name);
    return name;
  });
}

function nameOf(expr: PyExpr): string {
  if (expr.type === 'Name') return expr.id;
  if (expr.type === 'Attribute') return expr.attr;
  if (expr.type === 'Subscript' && expr.slice.type === 'Str' && expr.slice.value) return expr.slice.value;
  if (expr.type === 'Call' && expr.args[0]?.type === 'Str' && expr.args[0].value) return expr.args[0].value;
  if (expr.type === 'Call') return nameOf(expr.func);
  return 'value';
}

function buildSql(plan: Plan, written: Written, style: Style, names: readonly string[], source: (node: PyNode) => string): string | undefined {
  const formatted = plan.tokens.some((token) => token.kind === 'keep');
  const quote = written.triple ? written.quote.repeat(3) : written.quote;
  let body = '';
  let param = 0;
  for (const token of plan.tokens) {
    if (token.kind === 'text') {
      let text = token.text;
      if (style === '%s') text = text.replace(/%/g, '%%');
      if (formatted) text = text.replace(/\{/g, '{{').replace(/\}/g, '}}');
      body += text;
    } else if (token.kind === 'keep') {
      const code = source(token.expr);
      if (code.includes(written.quote) || code.includes('\n') || code.includes('\\')) return undefined;
      body += `{${code}}`;
    } else {
      body += style === ':name' ? `:${names[param++]}` : style;
    }
  }
  if (written.triple) {
    if (body.includes(quote) || body.endsWith(written.quote)) return undefined;
  } else {
    if (body.includes('\n')) return undefined;
    body = body.replace(new RegExp(written.quote, 'g'), `\\${written.quote}`);
  }
  return `${formatted ? 'f' : ''}${quote}${body}${quote}`;
}

/** A value as Python code: the expression, or an f-string for text around it (`f"%{q}%"`). */
function valueText(value: ValueSpec, quote: '"' | "'", source: (node: PyNode) => string): string | undefined {
  if (value.parts.length === 1 && typeof value.parts[0] !== 'string') return source(value.parts[0]);
  let body = '';
  for (const part of value.parts) {
    if (typeof part === 'string') {
      body += part.replace(/''/g, "'").replace(/\{/g, '{{').replace(/\}/g, '}}');
    } else {
      const code = source(part);
      if (code.includes(quote) || code.includes('\n') || code.includes('\\')) return undefined;
      body += `{${code}}`;
    }
  }
  if (body.includes(quote) || body.includes('\n')) return undefined;
  return `f${quote}${body}${quote}`;
}
