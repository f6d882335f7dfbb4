import { ALL_KINDS, KIND_BITS, type SinkKind } from './taintCore';

/** Indexing helpers for the compiled rule tables of both analyses (../ruleData.ts, ../python/pyRuleData.ts). */

/** Items by each name they are called by, so a call looks up only the entries for its name. */
export function indexByName<T extends { names: ReadonlySet<string> }>(items: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    for (const name of item.names) {
      const list = map.get(name);
      if (list) list.push(item);
      else map.set(name, [item]);
    }
  }
  return map;
}

/** The KIND_BITS of the kinds a sanitiser cleans (`all` for every kind). */
export function kindMask(kinds: readonly (SinkKind | 'all')[]): number {
  let mask = 0;
  for (const kind of kinds) mask |= kind === 'all' ? ALL_KINDS : KIND_BITS[kind];
  return mask;
}
