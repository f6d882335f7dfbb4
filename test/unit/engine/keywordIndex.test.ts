import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { KeywordIndex } from '../../../server/src/engine/text/keywordIndex';

/** Every (keyword id, end offset) a plain case-insensitive search finds, sorted. */
function naiveHits(keywords: readonly string[], text: string): string[] {
  const lower = text.toLowerCase();
  const hits: string[] = [];
  keywords.forEach((keyword, id) => {
    const wanted = keyword.toLowerCase();
    for (let at = lower.indexOf(wanted); at !== -1; at = lower.indexOf(wanted, at + 1)) hits.push(`${id}@${at + wanted.length}`);
  });
  return hits.sort();
}

describe('KeywordIndex (Aho-Corasick over ASCII, case-insensitive)', () => {
  // A small alphabet makes overlapping keywords and failure links common.
  const letters = fc.constantFrom('a', 'b', 'c', 'A', 'B', '_', '-');
  const keyword = fc.array(letters, { minLength: 1, maxLength: 5 }).map((chars) => chars.join(''));
  const text = fc.array(fc.oneof(letters, fc.constantFrom('x', ' ', 'é', '\n')), { maxLength: 80 }).map((chars) => chars.join(''));

  it('finds exactly the occurrences a plain search finds, overlapping ones included', () => {
    fc.assert(
      fc.property(fc.array(keyword, { minLength: 1, maxLength: 8 }), text, (keywords, sample) => {
        const index = new KeywordIndex(keywords);
        const hits: string[] = [];
        index.scan(sample, (id, end) => hits.push(`${id}@${end}`));
        assert.deepEqual(hits.sort(), naiveHits(keywords, sample));
      }),
      { numRuns: 500 },
    );
  });

  it('marks the keywords a text holds', () => {
    fc.assert(
      fc.property(fc.array(keyword, { minLength: 1, maxLength: 40 }), text, (keywords, sample) => {
        const bits = new Uint32Array(Math.ceil(keywords.length / 32));
        new KeywordIndex(keywords).markPresent(sample, bits);
        const lower = sample.toLowerCase();
        keywords.forEach((word, id) => assert.equal((bits[id >>> 5] & (1 << (id & 31))) !== 0, lower.includes(word.toLowerCase()), word));
      }),
      { numRuns: 300 },
    );
  });

  it('scans only the range it is given, and refuses keywords outside ASCII', () => {
    const hits: number[] = [];
    new KeywordIndex(['token']).scan('token token token', (_id, end) => hits.push(end), 3, 12);
    assert.deepEqual(hits, [11]);
    assert.throws(() => new KeywordIndex(['clé']), /ASCII/);
  });
});
