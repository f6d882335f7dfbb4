import type { FileContext } from '../../fileContext';
import type { PyNode } from '../../python/ast';
import { ruleDocsUrl } from '../../ruleCatalog';
import type { Finding, FixHint, RelatedLocation } from '../../types';
import type { PyInputData } from './pyRuleData';
import type { PySinkHit, PyTaint } from './pyValues';

/**
 * Turns Python sink hits into findings, worded like the JavaScript ones: one per rule and
 * sink, the request input as related information, and the function it passed through.
 */

const MAX_SOURCES = 3;
const MAX_FINDINGS = 200;

export class PyInputFindingCollector {
  private readonly byKey = new Map<string, PySinkHit[]>();

  constructor(private readonly context: FileContext, private readonly data: PyInputData) {}

  add(hit: PySinkHit): void {
    // One finding per rule and sink (a filter with two unchecked fields is one problem).
    const key = `${hit.pattern.rule.id}:${hit.site.start}`;
    const hits = this.byKey.get(key);
    if (!hits) {
      if (this.byKey.size < MAX_FINDINGS) this.byKey.set(key, [hit]);
      return;
    }
    if (hits.length < MAX_SOURCES && !hits.some((existing) => existing.taint.node === hit.taint.node && existing.taint.label === hit.taint.label)) hits.push(hit);
  }

  /** Every sink with the hits that reached it (first hit first). */
  groups(): PySinkHit[][] {
    return [...this.byKey.values()];
  }

  toFinding(hits: readonly PySinkHit[], extraFixes: readonly FixHint[]): Finding {
    const [first] = hits;
    const { rule } = first.pattern;
    const related: RelatedLocation[] = [];
    for (const hit of hits) {
      related.push(this.location(hit.taint.node, `${capitalise(describePySource(hit.taint, this.data))} is read here (${hit.taint.label}).`));
      if (hit.taint.via) related.push(this.location(hit.taint.via.call, `It is passed to ${hit.taint.via.name}() here.`));
    }
    const fixes = [...(hits.find((hit) => hit.fixes?.length)?.fixes ?? []), ...extraFixes];
    const location = first.taint.origin.kind === 'source' ? first.taint.origin.location : 'body';
    return {
      ruleId: rule.id,
      category: 'input',
      severity: first.pattern.severity,
      message: pyMessage(first, this.data),
      file: this.context.path,
      range: this.context.rangeOf(first.node.start, first.node.end),
      startOffset: first.node.start,
      endOffset: first.node.end,
      docsUrl: ruleDocsUrl(rule.id),
      related,
      ...(fixes.length ? { fixes } : {}),
      properties: { source: first.taint.label, sourceLocation: location, sink: first.pattern.label },
    };
  }

  private location(node: PyNode, messageText: string): RelatedLocation {
    return { file: this.context.path, range: this.context.rangeOf(node.start, node.end), message: messageText };
  }
}

/** How a message names the input: "the "q" parameter in the URL", from sources.json's locations. */
export function describePySource(taint: PyTaint, data: PyInputData): string {
  const location = taint.origin.kind === 'source' ? data.locations[taint.origin.location] : undefined;
  if (!location) return 'request input';
  const field = taint.path.filter((part) => part !== '[]').join('.');
  return field ? location.field.replace('{field}', field) : location.phrase;
}

function pyMessage(hit: PySinkHit, data: PyInputData): string {
  const via = hit.taint.via ? `, passed to ${hit.taint.via.name}(),` : '';
  return `${capitalise(describePySource(hit.taint, data))} (${hit.taint.label})${via} goes straight into ${hit.pattern.label}: ${hit.pattern.risk}. ${hit.pattern.advice}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
