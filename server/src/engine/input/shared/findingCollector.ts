import type { FileContext } from '../../fileContext';
import { ruleDocsUrl } from '../../ruleCatalog';
import type { Finding, FixHint, RelatedLocation, Severity } from '../../types';
import type { RemoteSink } from '../moduleSinks';
import type { InputRuleSpec, LocationSpec } from '../ruleData';
import type { ParamOriginOf, TaintOf } from './taintCore';

/**
 * Turns sink hits into findings, for both analyses: one per rule and sink, worded for
 * someone who did not write the code, with the request input (and the function it passed
 * through) as related information. Each language says where its nodes are, how its rule is
 * worded and which of the sink's fixes to offer.
 */

/** What a finding needs of a sink hit. */
export interface CollectedHit<Node> {
  pattern: { rule: InputRuleSpec; severity: Severity; label: string };
  /** What the finding underlines. */
  node: Node;
  /** The call (or other construct) the sink is. */
  site: Node;
  taint: TaintOf<{ kind: 'source'; location: string } | ParamOriginOf<unknown>, Node>;
  fixes?: FixHint[];
  /** The sink, when it is in another file: the finding is at the call that leads there. */
  remote?: RemoteSink;
}

const MAX_SOURCES = 3;
const MAX_FINDINGS = 200;

export abstract class FindingCollector<Node, Hit extends CollectedHit<Node>> {
  private readonly byKey = new Map<string, Hit[]>();

  constructor(private readonly context: FileContext, private readonly locations: Record<string, LocationSpec>) {}

  /** Where the node stands in the file's text. */
  protected abstract span(node: Node): { start: number; end: number };

  /** The risk and advice the message gives for this sink. */
  protected abstract wording(hit: Hit): { risk: string; advice: string };

  /** The fixes decided at the sink, for the finding of these hits. */
  protected abstract sinkFixes(hits: readonly Hit[]): readonly FixHint[];

  add(hit: Hit): void {
    // One finding per rule and sink (a filter with two unchecked fields is one problem).
    const key = `${hit.pattern.rule.id}:${this.span(hit.site).start}`;
    const hits = this.byKey.get(key);
    if (!hits) {
      if (this.byKey.size < MAX_FINDINGS) this.byKey.set(key, [hit]);
      return;
    }
    if (hits.length < MAX_SOURCES && !hits.some((existing) => existing.taint.node === hit.taint.node && existing.taint.label === hit.taint.label)) hits.push(hit);
  }

  /** Every sink with the hits that reached it (first hit first). */
  groups(): Hit[][] {
    return [...this.byKey.values()];
  }

  toFinding(hits: readonly Hit[], extraFixes: readonly FixHint[]): Finding {
    const [first] = hits;
    const { rule } = first.pattern;
    const { start, end } = this.span(first.node);
    const related: RelatedLocation[] = [];
    for (const hit of hits) {
      related.push(this.location(hit.taint.node, `${capitalise(describeSource(hit.taint, this.locations))} is read here${readAs(hit.taint)}.`));
      if (hit.taint.via) related.push(this.location(hit.taint.via.call, `It is passed to ${hit.taint.via.name}() here.`));
    }
    if (first.remote) related.push({ file: first.remote.file, range: first.remote.range, message: `It goes into ${first.pattern.label} here.` });
    const fixes = [...this.sinkFixes(hits), ...extraFixes];
    // Only input read from the request is reported (a parameter's stays in its function's summary).
    const location = first.taint.origin.kind === 'source' ? first.taint.origin.location : 'body';
    const { remote } = first;
    return {
      ruleId: rule.id,
      category: 'input',
      severity: first.pattern.severity,
      message: this.message(first),
      file: this.context.path,
      range: this.context.rangeOf(start, end),
      startOffset: start,
      endOffset: end,
      docsUrl: ruleDocsUrl(rule.id),
      related,
      ...(fixes.length ? { fixes } : {}),
      properties: { source: first.taint.label, sourceLocation: location, sink: first.pattern.label },
      ...(remote ? { remoteSink: { file: remote.file, range: remote.range, sinkText: remote.text, sinkStart: remote.start, message: this.messageAtSink(first, start) } } : {}),
      // A `shipshape-ignore` at the query covers every flow into it.
      ...(remote?.suppressedBecause !== undefined ? { suppression: { kind: 'inline' as const, reason: `${remote.suppressedBecause} (at the sink in ${remote.file})` } } : {}),
    };
  }

  /** The message for the sink's own file, which names where the input comes from instead. */
  private messageAtSink(hit: Hit, start: number): string {
    const { risk, advice } = this.wording(hit);
    const via = hit.taint.via ? `, passed to ${hit.taint.via.name}(),` : '';
    const line = this.context.rangeOf(start, start).start.line + 1;
    return `${capitalise(describeSource(hit.taint, this.locations))}${readAs(hit.taint)} in ${this.context.path}:${line}${via} goes straight into ${hit.pattern.label}: ${risk}. ${advice}`;
  }

  private message(hit: Hit): string {
    const { risk, advice } = this.wording(hit);
    const via = hit.taint.via ? `, passed to ${hit.taint.via.name}(),` : '';
    // "this SQL query" is the one underlined; one in another file is "a SQL query in db/users.js:4"
    // (the line, for a report read outside the editor, which has the related information).
    const sink = hit.remote ? `${hit.pattern.label.replace(/^this /, 'a ')} in ${hit.remote.file}:${hit.remote.range.start.line + 1}` : hit.pattern.label;
    return `${capitalise(describeSource(hit.taint, this.locations))}${readAs(hit.taint)}${via} goes straight into ${sink}: ${risk}. ${advice}`;
  }

  private location(node: Node, messageText: string): RelatedLocation {
    const { start, end } = this.span(node);
    return { file: this.context.path, range: this.context.rangeOf(start, end), message: messageText };
  }
}

/** How a message names the input: "the "q" parameter in the URL", from sources.json's locations. */
export function describeSource(taint: CollectedHit<unknown>['taint'], locations: Record<string, LocationSpec>): string {
  const location = taint.origin.kind === 'source' ? locations[taint.origin.location] : undefined;
  if (!location) return 'request input';
  const field = fieldOf(taint);
  return field ? location.field.replace('{field}', field) : location.phrase;
}

/** The named field of the input the taint reads (`body.user.name`), empty for the input as a whole. */
function fieldOf(taint: CollectedHit<unknown>['taint']): string {
  return taint.path.filter((part) => part !== '[]').join('.');
}

/**
 * ` (req.query.name)`: the code that reads the input, after its description. Nothing when that
 * code is the field's own name (a path variable the handler receives as `username`): the
 * description already says it.
 */
function readAs(taint: CollectedHit<unknown>['taint']): string {
  return taint.label === fieldOf(taint) ? '' : ` (${taint.label})`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
