import type ts = require('typescript');
import type { FixHint } from '../types';
import { FlowAnalysis, type FlowEnvironment, type StatementEffect, type TopLevelBinding } from './flowAnalysis';
import type { InputRuleData } from './ruleData';
import type { SinkHit } from './taint';

/**
 * Re-analysis after an edit without re-evaluating what the edit cannot have changed. The
 * incremental parser (js/parseCache.ts) keeps the node objects of unchanged top-level
 * statements. A statement that left the module's state alone — a route registration, typically
 * — reports exactly what it reported last time, provided every statement that does change that
 * state (imports, declarations, helpers, anything that writes a module variable) is the same
 * node in the same place and the file's context is the same: the state it is evaluated in is
 * then the same too. Such a statement's hits are replayed; every other statement is evaluated.
 * When the evaluated ones turn out to change the state where the last run's did not (or the
 * other way round), the file is analysed again from scratch.
 *
 * When every state-changing statement of the last run only declared module bindings with
 * values of its own (imports, `const schema = z.object(…)`, `const router = Router()`), nothing
 * changed those values afterwards, so the declarations are replayed too, with the same values:
 * a later statement that writes to one of them is state-changing, which sends the run back to
 * a fresh analysis. Values holding functions are not replayed (a function's summary holds fix
 * offsets of the run that evaluated it), nor aliases of imports (each run creates those anew,
 * and the analysis compares values by identity).
 *
 * Hits refer to nodes, whose positions the parser moves with the text; only the offsets of the
 * fixes decided at the sink are stored relative to the top-level statement they fall in (a fix
 * of another file, decided at a sink there, stays as it is: the imported modules' sinks are
 * part of the run's context).
 */

/** One analysis of one file: what its statements' records are valid for. */
interface RunRecord {
  context: string;
  data: InputRuleData;
  /** The statements that changed the module's state (declarations included), in order. */
  stateful: readonly ts.Statement[];
  /** Whether every one of them only declared bindings, with values that can be replayed. */
  declarative: boolean;
}

interface StatementRecord {
  run: RunRecord;
  effect: StatementEffect;
  /** How many state-changing statements came before it. */
  statefulBefore: number;
  /** A pure or declaring statement's hits, when they can be replayed. */
  hits?: readonly CachedHit[];
  /** What a declaring statement declared, when it can be replayed. */
  declared?: readonly TopLevelBinding[];
}

interface AnchoredEdit {
  anchor: ts.Statement;
  /** Offsets from the anchor's start. */
  start: number;
  end: number;
  newText: string;
}

interface CachedHit {
  hit: SinkHit;
  /** `edits` undefined: a fix of another file (its `target`), kept as it is. */
  fixes?: readonly { fix: Extract<FixHint, { kind: 'edit' }>; edits: readonly AnchoredEdit[] | undefined }[];
}

const records = new WeakMap<ts.Statement, StatementRecord>();

/**
 * Runs the flow analysis over the file and reports its hits in the order a full analysis
 * reports them. `context` names everything besides the syntax tree that the results depend on
 * (configuration, dependencies, file facts not held in statements). Results are kept for the
 * next run only when `remember` says the next version's tree will share this one's nodes.
 */
export function runFlowAnalysis(remember: boolean, env: FlowEnvironment, context: string): void {
  if (!remember) {
    try {
      new FlowAnalysis(env).run();
    } catch {
      // Code mid-edit can be stranger than any test: keep what was found before the surprise.
    }
    return;
  }
  const previous = previousRun(env.sourceFile.statements, context, env.data);
  const hits = (previous && analyse(env, context, previous)) || analyse(env, context, undefined)!;
  for (const hit of hits) env.report(hit);
}

function previousRun(statements: readonly ts.Statement[], context: string, data: InputRuleData): RunRecord | undefined {
  for (const statement of statements) {
    const record = records.get(statement);
    if (record) return record.run.context === context && record.run.data === data ? record.run : undefined;
  }
  return undefined;
}

/** The hits of the file, or undefined when the state-changing statements differ from `previous`'s. */
function analyse(env: FlowEnvironment, context: string, previous: RunRecord | undefined): SinkHit[] | undefined {
  const statements = env.sourceFile.statements;
  const stateful: ts.Statement[] = [];
  // A run that replays keeps the last run's record: its state-changing statements are the same, or it fails.
  const run: RunRecord = previous ?? { context, data: env.data, stateful, declarative: true };
  const found: SinkHit[] = [];
  let reported: SinkHit[] = [];
  let matches = true;
  let abandoned = false;
  // Statements the incremental parser dropped keep their old parent.
  const present = (statement: ts.Statement) => statement.parent === env.sourceFile;
  const updates: [ts.Statement, StatementRecord][] = [];
  const analysis = new FlowAnalysis({ ...env, report: (hit) => reported.push(hit) });
  try {
    analysis.run({
      replay(statement) {
        const record = previous && records.get(statement);
        if (!record || record.run !== previous) return undefined;
        const declares = record.effect === 'declares' && previous.declarative;
        const hits = record.statefulBefore === stateful.length && record.hits && replayHits(record.hits, present);
        if (!hits || (record.effect === 'declares' && !declares)) {
          // Declarations are replayed all together or not at all: their values refer to each other.
          if (declares) abandoned = true;
          return undefined;
        }
        found.push(...hits);
        if (declares) stateful.push(statement);
        return record.declared ?? [];
      },
      evaluated(statement, effect, declared) {
        if (abandoned) return false;
        const hits = reported;
        reported = [];
        found.push(...hits);
        const statefulBefore = stateful.length;
        if (effect === 'impure' || effect === 'declares') {
          if (previous && previous.stateful[statefulBefore] !== statement) {
            matches = false;
            return false;
          }
          stateful.push(statement);
        }
        const record: StatementRecord = { run, effect, statefulBefore };
        if (effect === 'pure' || effect === 'declares') record.hits = anchorHits(hits, statements);
        if (effect === 'declares' && declared) {
          // A copy of each binding: the analysis replaces a binding's value when the variable is assigned.
          record.declared = declared.map(({ name, binding: { value, kind, depth, declaration } }) => ({ name, binding: { value, kind, depth, declaration } }));
        }
        if (!previous && (effect === 'impure' || (effect === 'declares' && !(record.hits && record.declared)))) run.declarative = false;
        updates.push([statement, record]);
        return true;
      },
    });
  } catch {
    // Code mid-edit can be stranger than any test: keep what was found before the surprise, remember nothing.
    if (previous) return undefined;
    found.push(...reported);
    return found;
  }
  if (!matches || abandoned || (previous && stateful.length !== previous.stateful.length)) return undefined;
  for (const [statement, record] of updates) records.set(statement, record);
  return found;
}

/** The hits with their fixes' offsets made relative to top-level statements; undefined when one cannot be. */
function anchorHits(hits: readonly SinkHit[], statements: readonly ts.Statement[]): CachedHit[] | undefined {
  const cached: CachedHit[] = [];
  for (const hit of hits) {
    if (!hit.fixes) {
      cached.push({ hit });
      continue;
    }
    const fixes: NonNullable<CachedHit['fixes']>[number][] = [];
    for (const fix of hit.fixes) {
      if (fix.kind !== 'edit') return undefined;
      if (fix.target) {
        fixes.push({ fix, edits: undefined });
        continue;
      }
      const edits: AnchoredEdit[] = [];
      for (const edit of fix.edits) {
        const anchor = statementAt(statements, edit.start);
        if (!anchor || edit.end > anchor.end) return undefined;
        edits.push({ anchor, start: edit.start - anchor.pos, end: edit.end - anchor.pos, newText: edit.newText });
      }
      fixes.push({ fix, edits });
    }
    cached.push({ hit, fixes });
  }
  return cached;
}

/** The cached hits with their fixes at today's offsets; undefined when a fix's statement is gone. */
function replayHits(cached: readonly CachedHit[], present: (statement: ts.Statement) => boolean): SinkHit[] | undefined {
  const hits: SinkHit[] = [];
  for (const { hit, fixes } of cached) {
    if (!fixes) {
      hits.push(hit);
      continue;
    }
    const current: FixHint[] = [];
    for (const { fix, edits } of fixes) {
      if (!edits) {
        current.push(fix);
        continue;
      }
      if (edits.some((edit) => !present(edit.anchor))) return undefined;
      current.push({ ...fix, edits: edits.map((edit) => ({ start: edit.anchor.pos + edit.start, end: edit.anchor.pos + edit.end, newText: edit.newText })) });
    }
    hits.push({ ...hit, fixes: current });
  }
  return hits;
}

/** The top-level statement whose span holds `offset` (binary search: statements are in order). */
function statementAt(statements: readonly ts.Statement[], offset: number): ts.Statement | undefined {
  let low = 0;
  let high = statements.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const statement = statements[middle];
    if (offset < statement.pos) high = middle - 1;
    else if (offset >= statement.end) low = middle + 1;
    else return statement;
  }
  return undefined;
}
