import { meets, type AnyTaint } from './taintCore';

/**
 * Sink hits inside functions whose summaries are being computed, for both analyses: a hit
 * from a parameter waits in the function's summary until a call supplies the argument.
 */

/** What routing needs of a sink hit. */
export interface HitCore<T extends AnyTaint = AnyTaint> {
  pattern: { kindBit: number };
  node: unknown;
  requirement: 'any' | 'whole' | 'structured';
  taint: T;
}

/** A scope chain, read only for the frames of the functions being evaluated. */
export interface FrameChain<H> {
  readonly parent: FrameChain<H> | undefined;
  readonly frame: { readonly fn: unknown; readonly summary: { hits: H[] } | undefined };
}

const MAX_SUMMARY_HITS = 50;

/**
 * Sends a sink hit on: request input is reported; the input of a parameter of a function
 * being summarised is kept in that function's summary (once per sink and parameter), for
 * its callers to apply.
 */
export function routeHit<H extends HitCore>(hit: H, scope: FrameChain<H> | undefined, report: (hit: H) => void): void {
  const origin = hit.taint.origin;
  if (origin.kind === 'source') {
    report(hit);
    return;
  }
  for (let current = scope; current; current = current.parent) {
    if (current.frame.fn === origin.fn) {
      const hits = current.frame.summary?.hits;
      if (hits && hits.length < MAX_SUMMARY_HITS && !hits.some((existing) => existing.node === hit.node && existing.pattern === hit.pattern && existing.taint.origin === origin)) hits.push(hit);
      return;
    }
  }
}

/** Reports a summary's parameter hits at a call: each with the argument's input (from `resolve`) that still matters at its sink. */
export function reportHitsAtCall<H extends HitCore>(hits: readonly H[], resolve: (taint: H['taint'], index: number) => readonly H['taint'][], report: (hit: H) => void): void {
  for (const hit of hits) {
    if (hit.taint.origin.kind !== 'param') continue;
    for (const taint of resolve(hit.taint, hit.taint.origin.index)) {
      if (meets(taint, hit.pattern.kindBit, hit.requirement)) report({ ...hit, taint });
    }
  }
}
