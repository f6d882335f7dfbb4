import { KIND_BITS } from './taintCore';

/**
 * The language-independent part of guards (../guards.ts, ../python/pyGuards.ts): how
 * refinements found in the parts of a condition combine. Reading the conditions stays with
 * each language.
 */

/** The expression a check is about (by its key) and the kinds of danger it removes. */
export interface RefinementOf<Node> {
  key: string;
  node: Node;
  cleans: number;
}

/** A `startsWith` check seen in a condition, and whether it holds where the condition has the given outcome. */
export interface PrefixFact<Node> {
  key: string;
  node: Node;
  prefix: string;
  holds: boolean;
}

export const URL_KINDS = KIND_BITS.redirect | KIND_BITS.ssrf;

/** `x.startsWith('/') && !x.startsWith('//')`: a path on this site, so no redirect or request elsewhere. */
export function sitePathRefinements<Node>(prefixes: readonly PrefixFact<Node>[]): RefinementOf<Node>[] {
  const refinements: RefinementOf<Node>[] = [];
  for (const fact of prefixes) {
    if (fact.prefix === '/' && fact.holds && prefixes.some((other) => other.key === fact.key && !other.holds && (other.prefix === '//' || other.prefix === '/\\'))) {
      refinements.push({ key: fact.key, node: fact.node, cleans: URL_KINDS });
    }
  }
  return refinements;
}

/** When only one of two sides holds (`x === 'a' || x === 'b'`): what both sides make safe. */
export function commonRefinements<Node>(left: readonly RefinementOf<Node>[], right: readonly RefinementOf<Node>[]): RefinementOf<Node>[] {
  return left.flatMap((refinement) => {
    const other = right.find((candidate) => candidate.key === refinement.key);
    return other && (refinement.cleans & other.cleans) !== 0 ? [{ ...refinement, cleans: refinement.cleans & other.cleans }] : [];
  });
}
