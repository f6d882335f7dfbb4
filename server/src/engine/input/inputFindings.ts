import ts = require('typescript');
import type { FileContext } from '../fileContext';
import { ruleDocsUrl } from '../ruleCatalog';
import type { Finding, FixHint, RelatedLocation } from '../types';
import type { InputRuleData } from './ruleData';
import type { SinkHit, SourceOrigin, Taint } from './taint';

/**
 * Turns sink hits into findings: one per rule and sink, worded for someone who did not
 * write the code, with the request input as related information.
 */

const MAX_SOURCES = 3;
const MAX_FINDINGS = 200;

export class InputFindingCollector {
  private readonly byKey = new Map<string, SinkHit[]>();

  constructor(private readonly context: FileContext, private readonly sourceFile: ts.SourceFile, private readonly data: InputRuleData) {}

  add(hit: SinkHit): void {
    // One finding per rule and sink (a filter with two unchecked fields is one problem).
    const key = `${hit.pattern.rule.id}:${hit.site.getStart(this.sourceFile)}`;
    const hits = this.byKey.get(key);
    if (!hits) {
      if (this.byKey.size < MAX_FINDINGS) this.byKey.set(key, [hit]);
      return;
    }
    if (hits.length < MAX_SOURCES && !hits.some((existing) => existing.taint.node === hit.taint.node && existing.taint.label === hit.taint.label)) hits.push(hit);
  }

  /** Every sink with the hits that reached it (first hit first). */
  groups(): SinkHit[][] {
    return [...this.byKey.values()];
  }

  toFinding(hits: readonly SinkHit[], extraFixes: readonly FixHint[]): Finding {
    const [first] = hits;
    const { rule } = first.pattern;
    const start = first.node.getStart(this.sourceFile);
    const end = first.node.end;
    const related: RelatedLocation[] = [];
    for (const hit of hits) {
      related.push(this.location(hit.taint.node, `${capitalise(describeSource(hit.taint, this.data))} is read here (${hit.taint.label}).`));
      if (hit.taint.via) related.push(this.location(hit.taint.via.call, `It is passed to ${hit.taint.via.name}() here.`));
    }
    const fixes = [...(first.fixes ?? []), ...extraFixes];
    const origin = first.taint.origin as SourceOrigin;
    return {
      ruleId: rule.id,
      category: 'input',
      severity: first.pattern.severity,
      message: message(first, this.data),
      file: this.context.path,
      range: this.context.rangeOf(start, end),
      startOffset: start,
      endOffset: end,
      docsUrl: ruleDocsUrl(rule.id),
      related,
      ...(fixes.length ? { fixes } : {}),
      properties: { source: first.taint.label, sourceLocation: origin.location, sink: first.pattern.label },
    };
  }

  private location(node: ts.Node, messageText: string): RelatedLocation {
    const start = node.getStart(this.sourceFile);
    return { file: this.context.path, range: this.context.rangeOf(start, node.end), message: messageText };
  }
}

export function describeSource(taint: Taint, data: InputRuleData): string {
  const origin = taint.origin as SourceOrigin;
  const location = data.locations[origin.location];
  if (!location) return 'request input';
  const field = taint.path.filter((part) => part !== '[]').join('.');
  return field ? location.field.replace('{field}', field) : location.phrase;
}

function message(hit: SinkHit, data: InputRuleData): string {
  const { rule } = hit.pattern;
  const via = hit.taint.via ? `, passed to ${hit.taint.via.name}(),` : '';
  return `${capitalise(describeSource(hit.taint, data))} (${hit.taint.label})${via} goes straight into ${hit.pattern.label}: ${rule.risk}. ${rule.advice}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
