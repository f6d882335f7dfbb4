import type ts = require('typescript');
import type { FileContext } from '../fileContext';
import type { FixHint } from '../types';
import type { InputRuleData } from './ruleData';
import { FindingCollector } from './shared/findingCollector';
import type { SinkHit } from './taint';

/** Findings from the JavaScript analysis's sink hits (shared/findingCollector.ts does the wording). */
export class InputFindingCollector extends FindingCollector<ts.Node, SinkHit> {
  constructor(context: FileContext, private readonly sourceFile: ts.SourceFile, data: InputRuleData) {
    super(context, data.locations);
  }

  protected span(node: ts.Node): { start: number; end: number } {
    return { start: node.getStart(this.sourceFile), end: node.end };
  }

  protected wording(hit: SinkHit): { risk: string; advice: string } {
    return hit.pattern.rule;
  }

  /** The fixes the sink gave the group's first hit (the SQL fix is decided at the sink, per hit). */
  protected sinkFixes(hits: readonly SinkHit[]): readonly FixHint[] {
    return hits[0].fixes ?? [];
  }
}
