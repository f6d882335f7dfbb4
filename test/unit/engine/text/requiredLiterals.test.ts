import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { requiredLiterals } from '../../../../server/src/engine/text/requiredLiterals';
import { READINESS_CHECKS } from '../../../../server/src/engine/readiness/catalog';
import type { ContentCondition } from '../../../../server/src/engine/readiness/checkSpec';

function contentConditions(node: unknown, out: ContentCondition[] = []): ContentCondition[] {
  if (Array.isArray(node)) node.forEach((item) => contentConditions(item, out));
  else if (node && typeof node === 'object') {
    const object = node as Record<string, unknown>;
    if (object.content && typeof object.content === 'object') out.push(object.content as ContentCondition);
    for (const value of Object.values(object)) contentConditions(value, out);
  }
  return out;
}

/** The content patterns of the readiness rules: what the derived prefilter must never wrongly rule out. */
const CONTENT_PATTERNS = [...new Map(READINESS_CHECKS.flatMap((check) => contentConditions(check.detect)).map((condition) => [`${condition.flags ?? ''}/${condition.pattern}`, condition])).values()];

describe('required literals of a regular expression (the readiness prefilter)', () => {
  it('reads literal runs, escapes and required groups', () => {
    assert.deepEqual(requiredLiterals(String.raw`\bprocess\.(?:on|once)\([ \t]*['"]SIGTERM['"]`), ['process.']);
    assert.deepEqual(requiredLiterals(String.raw`\b(?:pg_dump|mysqldump)\b`), ['pg_dump', 'mysqldump']);
    assert.deepEqual(requiredLiterals(String.raw`"\.write"[ \t]*:`), ['".write"']);
    assert.deepEqual(requiredLiterals('[Rr]ate[Ll]imit'), ['imit']);
    assert.deepEqual(requiredLiterals('(?<name>health|ready)z?'), ['health', 'ready']);
  });

  it('does not count what may be absent', () => {
    assert.deepEqual(requiredLiterals('abcd?efg'), ['abc']);
    assert.deepEqual(requiredLiterals('abcd*x'), ['abc']);
    assert.deepEqual(requiredLiterals('abcd{0,3}xyz'), ['abc']);
    assert.deepEqual(requiredLiterals('abcd+efghij'), ['efghij']);
    assert.deepEqual(requiredLiterals('(?:longword)?abc'), ['abc']);
    assert.deepEqual(requiredLiterals('(?:longword)*abc'), ['abc']);
    assert.deepEqual(requiredLiterals('(?=lookahead)abc'), ['abc']);
  });

  it('requires nothing when some alternative, or the whole pattern, has no literal to rely on', () => {
    assert.equal(requiredLiterals('abcdef|[a-z]+'), undefined);
    assert.equal(requiredLiterals('(?:on|once)'), undefined);
    assert.equal(requiredLiterals('\\d+\\.\\d+'), undefined);
    assert.equal(requiredLiterals('(?:abcdef)?'), undefined);
    assert.equal(requiredLiterals('(unterminated'), undefined);
    assert.equal(requiredLiterals('(?#comment)abc'), undefined);
  });

  it('every literal set it derives for a readiness rule is in every string the rule pattern matches', () => {
    let exercised = 0;
    for (const condition of CONTENT_PATTERNS) {
      const literals = requiredLiterals(condition.pattern);
      if (!literals) continue;
      // fast-check cannot generate for \b; dropping it only widens what matches (and keeps every literal run).
      let generator: fc.Arbitrary<string>;
      try {
        generator = fc.stringMatching(new RegExp(condition.pattern.replace(/\\[bB]/g, ''), (condition.flags ?? '').replace(/[gim]/g, '')));
      } catch {
        continue;
      }
      exercised++;
      fc.assert(fc.property(generator, (text) => {
        const lower = text.toLowerCase();
        return literals.some((literal) => lower.includes(literal.toLowerCase()));
      }), { numRuns: 60 });
    }
    assert.ok(exercised >= CONTENT_PATTERNS.length * 0.8, `only ${exercised} of ${CONTENT_PATTERNS.length} patterns exercised`);
  });

  it('derives a prefilter for nearly every readiness content pattern', () => {
    const without = CONTENT_PATTERNS.filter((condition) => !condition.keywords?.length && !requiredLiterals(condition.pattern));
    assert.ok(without.length <= CONTENT_PATTERNS.length * 0.1, without.map((condition) => condition.pattern).join('\n'));
  });
});
