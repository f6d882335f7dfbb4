import ts = require('typescript');
import { isIdentifierText, propertyNameText, referencesTo, topLevelStatement, typeReferenceName } from '../../js/flowSyntax';
import type { FixHint, TextEdit } from '../../types';
import type { FileFacts } from '../fileFacts';
import type { LocationSpec } from '../ruleData';
import type { SourceOrigin } from '../taint';
import type { FieldHint, SourceFields } from './sourceFields';

/**
 * Missing validation, where the project uses zod: declare a schema built from the fields the
 * handler reads (types inferred from declared types or from how the fields are used, string
 * otherwise) and parse the request input through it, importing z when needed.
 */

export interface ZodFixEnvironment {
  sourceFile: ts.SourceFile;
  text: string;
  facts: FileFacts;
  projectPath: string;
}

const GENERIC_NAMES = /^(handler|default|Page|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|get|post|put|patch|delete|del|all|use|route|anonymous)$/;

export function zodSchemaFix(origin: SourceOrigin, location: LocationSpec, fields: SourceFields, sinkNodes: readonly ts.Node[], env: ZodFixEnvironment): Extract<FixHint, { kind: 'edit' }> | undefined {
  const { sourceFile, text, facts } = env;
  const handler = origin.handler;
  if (!handler || !location.schemaSuffix || fields.uncertain) return undefined;
  const stringsOnly = !location.structured;
  // Other whole uses of the object would lose the keys the schema strips.
  if (fields.whole.some((use) => !sinkNodes.some((sink) => sink.pos <= use.pos && use.end <= sink.end))) return undefined;

  const declared = declaredMembers(fields.declaredType, facts);
  const entries = new Map<string, string>();
  for (const [name, hints] of fields.fields) entries.set(name, declared?.get(name) ?? zodType(hints, stringsOnly));
  for (const [name, type] of declared ?? []) if (!entries.has(name)) entries.set(name, type);
  if (entries.size === 0) return undefined;

  const zImport = facts.imports.get('z');
  if (zImport && zImport.module !== 'zod') return undefined;
  if (!zImport && /\b(const|let|var|function|class)\s+z\b/.test(text)) return undefined;

  const name = schemaName(origin, location, env);
  const statement = topLevelStatement(handler.fn);
  if (!statement) return undefined;
  const parseEdits = parseEditsFor(origin, fields, name, env);
  if (!parseEdits) return undefined;

  const properties = [...entries].map(([field, type]) => `${isIdentifierText(field) ? field : quote(field)}: ${type}`);
  const oneLine = `const ${name} = z.object({ ${properties.join(', ')} });`;
  const declaration = oneLine.length <= 100 ? oneLine : `const ${name} = z.object({\n${properties.map((property) => `  ${property},`).join('\n')}\n});`;
  const insertAt = lineStart(text, leadingCommentStart(statement, sourceFile, text));
  const inserts: TextEdit[] = [];
  if (!zImport) {
    const importText = facts.usesRequire && facts.imports.size === 0 ? "const { z } = require('zod');" : "import { z } from 'zod';";
    const at = facts.lastImportEnd >= 0 ? facts.lastImportEnd : importPosition(sourceFile);
    if (facts.lastImportEnd >= 0) inserts.push({ start: at, end: at, newText: `\n${importText}` });
    else inserts.push({ start: at, end: at, newText: `${importText}\n\n` });
  }
  inserts.push({ start: insertAt, end: insertAt, newText: `${declaration}\n\n` });
  const edits = mergeInserts([...inserts, ...parseEdits]);
  return { kind: 'edit', title: `Validate ${location.phrase} with a zod schema (${name})`, edits, preferred: false };
}

function zodType(hints: ReadonlySet<FieldHint>, stringsOnly: boolean): string {
  let type = 'z.string()';
  if (!stringsOnly) {
    if (hints.has('number')) type = 'z.number()';
    else if (hints.has('coerce-number')) type = 'z.coerce.number()';
    else if (hints.has('array')) type = 'z.array(z.unknown())';
    else if (hints.has('boolean')) type = 'z.boolean()';
    else if (hints.has('object')) type = 'z.unknown()';
  }
  return hints.has('optional') ? `${type}.optional()` : type;
}

/** Fields of a declared type written in this file (`as CreateOrder`, `{ a: string }`), as zod types. */
export function declaredMembers(type: ts.TypeNode | undefined, facts: FileFacts): Map<string, string> | undefined {
  if (!type) return undefined;
  let members: readonly ts.TypeElement[] | undefined;
  if (ts.isTypeLiteralNode(type)) members = type.members;
  const name = typeReferenceName(type);
  const declaration = name ? facts.typeDeclarations.get(name) : undefined;
  if (declaration && ts.isInterfaceDeclaration(declaration)) members = declaration.members;
  if (declaration && ts.isTypeAliasDeclaration(declaration) && ts.isTypeLiteralNode(declaration.type)) members = declaration.type.members;
  if (!members) return undefined;
  const result = new Map<string, string>();
  for (const member of members) {
    if (!ts.isPropertySignature(member)) continue;
    const key = propertyNameText(member.name);
    if (key === undefined) continue;
    const zod = zodForType(member.type);
    result.set(key, member.questionToken ? `${zod}.optional()` : zod);
  }
  return result;
}

function zodForType(type: ts.TypeNode | undefined): string {
  if (!type) return 'z.unknown()';
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword:
      return 'z.string()';
    case ts.SyntaxKind.NumberKeyword:
      return 'z.number()';
    case ts.SyntaxKind.BooleanKeyword:
      return 'z.boolean()';
  }
  if (ts.isArrayTypeNode(type)) return `z.array(${zodForType(type.elementType)})`;
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return `z.literal(${quote(type.literal.text)})`;
  if (ts.isUnionTypeNode(type) && type.types.every((member) => ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal))) {
    return `z.enum([${type.types.map((member) => quote(((member as ts.LiteralTypeNode).literal as ts.StringLiteral).text)).join(', ')}])`;
  }
  return 'z.unknown()';
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function schemaName(origin: SourceOrigin, location: LocationSpec, env: ZodFixEnvironment): string {
  const handler = origin.handler!;
  let words: string[];
  if (handler.name && !GENERIC_NAMES.test(handler.name)) {
    words = handler.name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/);
  } else {
    const method = (handler.method ?? handler.name ?? '').toLowerCase();
    const route = handler.routePath ?? routeFromPath(env.projectPath);
    const segments = route.split('/').filter((segment) => segment && !/^[:[(]/.test(segment) && !/^\{/.test(segment));
    words = [method === 'default' || method === 'use' || method === 'all' ? '' : method, segments[segments.length - 1] ?? ''];
  }
  let base = words.filter(Boolean).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('').replace(/[^A-Za-z0-9]/g, '') || 'Request';
  if (/^\d/.test(base)) base = `Request${base}`;
  const suffix = location.schemaSuffix ?? 'Input';
  const stem = base.endsWith(suffix) ? base : `${base}${suffix}`;
  let name = stem;
  for (let counter = 2; new RegExp(`\\b${name}\\b`).test(env.text); counter++) name = `${stem}${counter}`;
  return name;
}

/** `app/api/orders/route.ts` → `/api/orders`. */
function routeFromPath(projectPath: string): string {
  const match = /(?:^|\/)(?:src\/)?(?:app|pages)(\/.*?)?\/(?:route|page|index|[^/]+)\.[jt]sx?$/.exec(projectPath.replace(/\\/g, '/'));
  return match?.[1] ?? '';
}

/** Replaces the reads of the request object with a parse through the schema. */
function parseEditsFor(origin: SourceOrigin, fields: SourceFields, name: string, env: ZodFixEnvironment): TextEdit[] | undefined {
  const { sourceFile, text } = env;
  const occurrences = fields.occurrences.map((occurrence) => {
    // Parse what the code awaits: `Schema.parse(await request.json())`.
    let node: ts.Expression = occurrence;
    while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent))) node = node.parent;
    return node;
  });
  const textOf = (node: ts.Node) => text.slice(node.getStart(sourceFile), node.end);
  const replaced = (node: ts.Expression, replacement: string): TextEdit => {
    const parent = node.parent;
    if (ts.isShorthandPropertyAssignment(parent) && parent.name === node) return { start: parent.getStart(sourceFile), end: parent.end, newText: `${textOf(node)}: ${replacement}` };
    return { start: node.getStart(sourceFile), end: node.end, newText: replacement };
  };
  if (occurrences.length === 1) return [replaced(occurrences[0], `${name}.parse(${textOf(occurrences[0])})`)];
  // Several reads of a call (`request.json()` twice) cannot all be replaced by one value.
  if (ts.isCallExpression(origin.sourceNode)) return undefined;
  const variable = ['body', 'input', 'data', 'parsed', 'validated'].find((candidate) => referencesTo(fields.handlerBody, candidate).length === 0 && !new RegExp(`\\b(const|let|var)\\s+${candidate}\\b`).test(textOf(fields.handlerBody)));
  if (!variable) return undefined;
  const sourceText = ts.isParameter(origin.sourceNode) && ts.isIdentifier(origin.sourceNode.name) ? origin.sourceNode.name.text : textOf(occurrences[0]);
  // Parse just before the first statement that reads the input, so earlier checks (auth) still run first.
  const earliest = occurrences.reduce((a, b) => (a.pos <= b.pos ? a : b));
  let first: ts.Node = earliest;
  while (first.parent && first.parent !== fields.handlerBody) first = first.parent;
  if (first.parent !== fields.handlerBody) return undefined;
  const indent = /[ \t]*$/.exec(text.slice(lineStart(text, first.getStart(sourceFile)), first.getStart(sourceFile)))?.[0] ?? '  ';
  const edits: TextEdit[] = [{ start: first.getStart(sourceFile), end: first.getStart(sourceFile), newText: `const ${variable} = ${name}.parse(${sourceText});\n${indent}` }];
  for (const occurrence of occurrences) edits.push(replaced(occurrence, variable));
  return edits;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function leadingCommentStart(statement: ts.Statement, sourceFile: ts.SourceFile, text: string): number {
  const comments = ts.getLeadingCommentRanges(text, statement.getFullStart());
  return comments?.length ? comments[0].pos : statement.getStart(sourceFile);
}

/** Where an import goes in a file without imports: after a directive prologue ('use server') or shebang. */
function importPosition(sourceFile: ts.SourceFile): number {
  let position = 0;
  for (const statement of sourceFile.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) position = sourceFile.text.indexOf('\n', statement.end) + 1 || statement.end;
    else break;
  }
  if (position === 0 && sourceFile.text.startsWith('#!')) position = sourceFile.text.indexOf('\n') + 1;
  return position;
}

/** Inserts at the same offset become one edit, in order, so every editor applies them alike. */
function mergeInserts(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const merged: TextEdit[] = [];
  for (const edit of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.start === edit.start && last.end === last.start && edit.end === edit.start) last.newText += edit.newText;
    else merged.push({ ...edit });
  }
  return merged;
}
