import type { FileContext } from '../../fileContext';
import type { PyNode } from '../../python/ast';
import type { FixHint } from '../../types';
import { FindingCollector } from '../shared/findingCollector';
import type { PyInputData } from './pyRuleData';
import type { PySinkHit } from './pyValues';

/** Findings from the Python analysis's sink hits, worded like the JavaScript ones (../shared/findingCollector.ts). */
export class PyInputFindingCollector extends FindingCollector<PyNode, PySinkHit> {
  constructor(context: FileContext, data: PyInputData) {
    super(context, data.locations);
  }

  protected span(node: PyNode): { start: number; end: number } {
    return { start: node.start, end: node.end };
  }

  /** A rule's `python` section may word the risk and advice for Python. */
  protected wording(hit: PySinkHit): { risk: string; advice: string } {
    return hit.pattern;
  }

  /** The first hit with fixes: of the arguments reaching one call, only the query argument gets the SQL fix. */
  protected sinkFixes(hits: readonly PySinkHit[]): readonly FixHint[] {
    return hits.find((hit) => hit.fixes?.length)?.fixes ?? [];
  }
}
