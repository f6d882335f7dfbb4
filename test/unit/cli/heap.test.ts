import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { collectGarbageAfterAnalysis } from '../../../server/src/cli/heap';

describe('garbage collection after a large analysis (CLI)', () => {
  it('frees what the analysis left behind once the input is large, and does nothing for a small one', () => {
    let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, index) => ({ index, text: `node ${index}`.repeat(4) }));
    const withGarbage = v8.getHeapStatistics().used_heap_size;
    assert.ok(garbage.length > 0);
    garbage = undefined;
    collectGarbageAfterAnalysis(1024);
    collectGarbageAfterAnalysis(64 * 1024 * 1024);
    const after = v8.getHeapStatistics().used_heap_size;
    assert.ok(after < withGarbage - 20 * 1024 * 1024, `heap ${Math.round(withGarbage / 1048576)} MB → ${Math.round(after / 1048576)} MB`);
  });
});
