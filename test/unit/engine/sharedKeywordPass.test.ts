import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinSecretRules } from '../../../server/src/engine/builtinRules';
import { Analyzer } from '../../../server/src/engine/analyzer';
import { readinessPrefilterKeywords } from '../../../server/src/engine/readiness/catalog';
import { KeywordPresence } from '../../../server/src/engine/readiness/keywordPresence';
import { routeFactsHint, routeHintWords } from '../../../server/src/engine/routes/js/routeFactsHint';
import { loadSecretRuleSpecs } from '../../../server/src/engine/secrets/loadSecretRules';
import { SecretScanner } from '../../../server/src/engine/secrets/secretScanner';
import { repoRoot, rulesDirectory } from '../helpers';

/**
 * The secret scan's one Aho-Corasick pass also finds the words other analyses only ask the
 * presence of (the route hint's literals, the readiness keywords). It must find exactly the
 * secrets it finds alone, and exactly the words a pass of their own finds.
 */
function sampleTexts(): string[] {
  const texts: string[] = [];
  for (const spec of loadSecretRuleSpecs(rulesDirectory)) for (const example of [...spec.examples.positive, ...spec.examples.negative]) texts.push(typeof example === 'string' ? example : example.text);
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(?:[cm]?[jt]sx?|py|ya?ml|json|env)$/.test(entry.name)) texts.push(fs.readFileSync(file, 'utf8'));
    }
  };
  for (const fixture of ['routes', 'sample-app', 'input']) walk(path.join(repoRoot, 'test', 'fixtures', fixture));
  return texts;
}

describe('one keyword pass for secrets and the words other analyses look for', () => {
  const rules = builtinSecretRules(rulesDirectory);
  const readiness = new KeywordPresence(readinessPrefilterKeywords());
  const marked = [...routeHintWords(), ...readiness.keywords];
  const alone = new SecretScanner(rules);
  const shared = new SecretScanner(rules, marked);
  const texts = sampleTexts();

  it('finds the same secrets, with or without marks, and marks what a pass of their own finds', () => {
    assert.ok(texts.length > 300, `${texts.length} sample texts`);
    const summary = (matches: ReturnType<SecretScanner['scan']>) => matches.map((match) => `${match.rule.spec.id}@${match.secretStart}-${match.secretEnd}`);
    for (const text of texts) {
      const options = { languageId: 'typescript', generic: true, maxMatches: 200 };
      const marks = new Uint32Array(Math.ceil(marked.length / 32));
      const expected = summary(alone.scan(text, options));
      assert.deepEqual(summary(shared.scan(text, options, marks)), expected);
      assert.deepEqual(summary(shared.scan(text, options)), expected, 'without marks too (masking failure messages scans so)');
      const own = readiness.bitsOf(text);
      for (let id = 0; id < readiness.keywords.length; id++) {
        const bit = routeHintWords().length + id;
        assert.equal((marks[bit >>> 5] & (1 << (bit & 31))) !== 0, (own[id >>> 5] & (1 << (id & 31))) !== 0, readiness.keywords[id]);
      }
      assert.equal(routeFactsHint('src/x.ts', text, marks), routeFactsHint('src/x.ts', text));
    }
  });

  it('an analyzer given the readiness keywords hands back the same bits a pass of their own finds', () => {
    const analyzer = new Analyzer({ secretRules: rules, presenceKeywords: readinessPrefilterKeywords() });
    for (const text of texts.slice(0, 200)) {
      assert.deepEqual(analyzer.analyzeFile({ path: 'src/x.ts', text }).keywordBits, readiness.bitsOf(text));
    }
  });
});
