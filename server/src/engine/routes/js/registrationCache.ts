import type * as ts from 'typescript';
import type { ChainItem, Registration, SourceSpan } from '../routeFacts';
import type { JsFileContext } from './jsFileContext';

/**
 * The registrations found in each top-level statement (and whether it creates an app or
 * router), kept per statement node. After an edit, TypeScript's incremental parser reuses the
 * nodes of untouched statements (shifting their positions), so a large route file re-reads only
 * the edited statement; the others replay their registrations with spans moved (and placed
 * again when lines were added or removed above them, or a line they share was edited).
 *
 * What else a statement's registrations depend on is the file's environment: its imports,
 * functions, classes, routers and their frameworks, Fastify plugins, the aliases middleware is
 * made from (`const checkJwt = auth({…})`), the configured auth names. A cached result counts
 * only under the same environment. Results with a span outside their statement (a chain
 * item describing an alias declared elsewhere) are not kept: that span moves on its own.
 */

/** What one statement does to one router: registrations, in order, or a Koa `router.prefix(…)`. */
export interface RouterEffect {
  router: string;
  registrations: Registration[];
  prefix?: string;
}

interface CachedStatement {
  environment: object;
  /** The statement's `pos` when its effects were found. */
  pos: number;
  effects: RouterEffect[];
  /** Where the statement's spans were: absent when it has none. */
  lines?: StatementLines;
}

/** The lines a statement started and ended on, and their text (neighbours may share them). */
interface StatementLines {
  first: number;
  last: number;
  firstText: string;
  lastText: string;
}

const statementCache = new WeakMap<ts.Node, CachedStatement>();

/** Statements found declaring no app or router, under the framework imports (an environment) of then. */
const withoutFactory = new WeakMap<ts.Node, object>();

export function knownWithoutFactory(statement: ts.Statement, environment: object): boolean {
  return withoutFactory.get(statement) === environment;
}

export function rememberWithoutFactory(statement: ts.Statement, environment: object): void {
  withoutFactory.set(statement, environment);
}

/** Interned environments: comparing one object per statement instead of a long string. */
const environments = new Map<string, object>();
const MAX_ENVIRONMENTS = 256;

/** Ids for nodes the environment refers to by identity (an edited alias is a new node). */
const nodeIds = new WeakMap<ts.Node, number>();
let nextNodeId = 1;

export function nodeId(node: ts.Node): number {
  let id = nodeIds.get(node);
  if (id === undefined) {
    id = nextNodeId++;
    nodeIds.set(node, id);
  }
  return id;
}

/** The token standing for one environment, the same object for the same description. */
export function registrationEnvironment(description: string): object {
  let token = environments.get(description);
  if (!token) {
    if (environments.size >= MAX_ENVIRONMENTS) environments.clear();
    token = {};
    environments.set(description, token);
  }
  return token;
}

/** The statement's effects from an earlier analysis under the same environment, moved to where the statement is now. */
export function cachedEffects(statement: ts.Statement, environment: object, context: JsFileContext): RouterEffect[] | undefined {
  const cached = statementCache.get(statement);
  if (!cached || cached.environment !== environment) return undefined;
  if (!cached.lines) return cached.effects;
  const delta = statement.pos - cached.pos;
  // Lines wholly inside the statement are unchanged; when its first and last lines are too and
  // no line was added above it, every span keeps its line, column and line text.
  const before = cached.lines;
  const sameLines = context.file.lines.positionAt(statement.pos).line === before.first && lineReads(context, before.first, before.firstText) && lineReads(context, before.last, before.lastText);
  if (sameLines && delta === 0) return cached.effects;
  const moveSpan: MoveSpan = sameLines
    ? (span) => ({ range: span.range, start: span.start + delta, end: span.end + delta, lineText: span.lineText })
    : (span) => context.spanBetween(span.start + delta, span.end + delta);
  return cached.effects.map((effect) => ({ ...effect, registrations: effect.registrations.map((registration) => moveRegistration(registration, moveSpan, delta)) }));
}

/** Whether a line of the file reads `expected` (compared in place: this runs for every reused statement). */
function lineReads(context: JsFileContext, line: number, expected: string): boolean {
  const lines = context.file.lines;
  const start = lines.lineStart(line);
  return lines.lineEnd(line) - start === expected.length && context.file.text.startsWith(expected, start);
}

export function storeEffects(statement: ts.Statement, environment: object, effects: RouterEffect[], context: JsFileContext): void {
  const inside = effects.every((effect) => effect.registrations.every((registration) => positionsOf(registration).every((offset) => offset >= statement.pos && offset <= statement.end)));
  if (!inside) {
    statementCache.delete(statement);
    return;
  }
  if (effects.length === 0) {
    statementCache.set(statement, { environment, pos: statement.pos, effects });
    return;
  }
  const lines = context.file.lines;
  const first = lines.positionAt(statement.pos).line;
  const last = lines.positionAt(statement.end).line;
  statementCache.set(statement, { environment, pos: statement.pos, effects, lines: { first, last, firstText: lines.lineText(first), lastText: lines.lineText(last) } });
}

/** Every offset a registration holds (what moveRegistration moves). */
function positionsOf(registration: Registration): number[] {
  const offsets = [registration.span.start, registration.span.end];
  const items = registration.kind === 'route' && registration.handler ? [...registration.chain, registration.handler] : registration.chain;
  for (const item of items) {
    offsets.push(item.span.start, item.span.end);
    if (item.authCheck) offsets.push(item.authCheck.span.start, item.authCheck.span.end);
    if (item.checkAfterWork) offsets.push(item.checkAfterWork.span.start, item.checkAfterWork.span.end);
  }
  if (registration.kind === 'route' && registration.insertion) offsets.push(registration.insertion.offset);
  return offsets;
}

type MoveSpan = (span: SourceSpan) => SourceSpan;

// Spreading and then overriding keeps the key order, so moved facts serialise like fresh ones.
function moveRegistration(registration: Registration, moveSpan: MoveSpan, delta: number): Registration {
  const chain = registration.chain.map((item) => moveItem(item, moveSpan));
  if (registration.kind !== 'route') return { ...registration, chain, span: moveSpan(registration.span) };
  return {
    ...registration,
    chain,
    ...(registration.handler ? { handler: moveItem(registration.handler, moveSpan) } : {}),
    span: moveSpan(registration.span),
    ...(registration.insertion ? { insertion: { ...registration.insertion, offset: registration.insertion.offset + delta } } : {}),
  };
}

function moveItem(item: ChainItem, moveSpan: MoveSpan): ChainItem {
  return {
    ...item,
    span: moveSpan(item.span),
    ...(item.authCheck ? { authCheck: { ...item.authCheck, span: moveSpan(item.authCheck.span) } } : {}),
    ...(item.checkAfterWork ? { checkAfterWork: { ...item.checkAfterWork, span: moveSpan(item.checkAfterWork.span) } } : {}),
  };
}
