/**
 * A least-recently-used cache with a budget in units the caller measures (characters of text,
 * say): memory stays bounded however large the workspace is, while anything that fits is
 * computed once. An entry larger than the whole budget is returned but not kept.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, { value: V; cost: number }>();
  private used = 0;

  constructor(private readonly budget: number, private readonly costOf: (value: V) => number) {}

  /** The cached value for `key`, else `compute()`'s, which is kept (evicting the oldest) when it fits. */
  get(key: string, compute: () => V): V {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-inserting moves the entry to the end: Map iteration order is the recency order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = compute();
    const cost = Math.max(1, this.costOf(value));
    if (cost > this.budget) return value;
    this.entries.set(key, { value, cost });
    this.used += cost;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.budget) break;
      this.entries.delete(oldest);
      this.used -= entry.cost;
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  get cost(): number {
    return this.used;
  }
}
