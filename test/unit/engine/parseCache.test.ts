import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { ParseCache, changedRange } from '../../../server/src/engine/js/parseCache';
import { parseScript } from '../../../server/src/engine/js/parseScript';
import { builtinAnalyzer, repoRoot } from '../helpers';

describe('incremental re-parsing (ParseCache)', function () {
  this.timeout(60_000);
  const original = fs.readFileSync(path.join(repoRoot, 'test/fixtures/routes/express/src/routes/users.ts'), 'utf8');

  it('finds the changed span from both ends', () => {
    assert.deepEqual(changedRange('abcdef', 'abXYef'), { span: { start: 2, length: 2 }, newLength: 2 });
    assert.deepEqual(changedRange('abc', 'abc!'), { span: { start: 3, length: 0 }, newLength: 1 });
    assert.deepEqual(changedRange('aaaa', 'aa'), { span: { start: 2, length: 2 }, newLength: 0 });
  });

  it('finds the same span as a character-by-character comparison in long texts (compared in chunks)', () => {
    const naive = (before: string, after: string) => {
      const limit = Math.min(before.length, after.length);
      let prefix = 0;
      while (prefix < limit && before[prefix] === after[prefix]) prefix++;
      let suffix = 0;
      while (suffix < limit - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
      return { span: { start: prefix, length: before.length - prefix - suffix }, newLength: after.length - prefix - suffix };
    };
    // Repetitive text makes the prefix and suffix overlap-prone, as in generated code.
    const text = fc.array(fc.constantFrom('ab', 'a', '\n', 'router.get(', 'é'), { minLength: 100, maxLength: 800 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, fc.nat(), fc.nat(600), fc.string({ maxLength: 700 }), (before, at, removed, inserted) => {
      const start = at % (before.length + 1);
      const after = before.slice(0, start) + inserted + before.slice(start + removed);
      assert.deepEqual(changedRange(before, after), naive(before, after));
    }), { numRuns: 400 });
  });

  it('gives the same findings and route facts as a fresh parse after any edit', () => {
    const analyzer = builtinAnalyzer();
    const file = 'src/routes/users.ts';
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.constantFrom('', 'x', ')', '{', '\n', "router.post('/y', async (req, res) => { await db.a.create(req.body) });\n", '/*', "'", 'if (!req.user) return res.status(401).end();')), { minLength: 1, maxLength: 8 }), (edits) => {
      const cache = new ParseCache();
      let text = original;
      analyzer.analyzeFile({ path: file, text, parseCache: cache });
      for (const [at, length, insert] of edits) {
        const start = at % (text.length + 1);
        text = text.slice(0, start) + insert + text.slice(Math.min(text.length, start + length));
        const incremental = analyzer.analyzeFile({ path: file, text, parseCache: cache });
        const fresh = analyzer.analyzeFile({ path: file, text });
        assert.deepEqual(JSON.stringify(incremental.routeFacts), JSON.stringify(fresh.routeFacts));
        assert.deepEqual(incremental.findings.map((finding) => [finding.ruleId, finding.startOffset, finding.message]), fresh.findings.map((finding) => [finding.ruleId, finding.startOffset, finding.message]));
      }
    }), { numRuns: 150 });
  });

  it('skips JSDoc, fresh and after an edit (no detector reads it; parsing is faster without)', () => {
    const text = '/** Deletes a user. @param {string} id */\nfunction remove(id) { return id; }\n';
    const hasJsDoc = (tree: ReturnType<typeof parseScript>) => (tree!.statements[0] as unknown as { jsDoc?: unknown[] }).jsDoc !== undefined;
    assert.equal(hasJsDoc(parseScript('a.js', text)), false);
    const cache = new ParseCache();
    cache.parse('a.js', text);
    assert.equal(hasJsDoc(cache.parse('a.js', text.replace('id; }', 'id + 1; }'))), false);
  });
});
