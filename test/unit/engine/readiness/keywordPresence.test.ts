import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assessReadiness } from '../../../../server/src/engine/readiness/assessReadiness';
import { READINESS_CHECKS } from '../../../../server/src/engine/readiness/catalog';
import { conditionKeywords, prefilterKeywordsOf } from '../../../../server/src/engine/readiness/declarative';
import { KeywordPresence } from '../../../../server/src/engine/readiness/keywordPresence';
import type { CheckExample, ContentCondition } from '../../../../server/src/engine/readiness/checkSpec';
import type { ReadinessInput } from '../../../../server/src/engine/readiness/types';
import { repoRoot } from '../../helpers';
import { exampleInput, fixtureInput, type FixtureSidecar } from './readinessHelpers';

/**
 * Readiness content conditions are prefiltered by keywords that one Aho-Corasick pass per file
 * finds for every condition at once. It must decide exactly as each condition's own
 * case-insensitive search did.
 */
describe('readiness: keywords found in one pass per file', () => {
  it('finds keywords whatever their case, and only in the file asked about', () => {
    const presence = new KeywordPresence(['rateLimit', 'helmet', 'SIGTERM']);
    assert.equal(presence.containsAny('a.js', "app.use(RATELIMIT({ windowMs: 1000 }));", ['rateLimit']), true);
    assert.equal(presence.containsAny('a.js', "app.use(RATELIMIT({ windowMs: 1000 }));", ['helmet', 'sigterm']), false);
    assert.equal(presence.containsAny('b.js', "process.on('sigterm', stop);", ['helmet', 'SIGTERM']), true);
  });

  it('searches with a regex for keywords the index lacks: not ASCII, or not given up front', () => {
    const presence = new KeywordPresence(['café', 'helmet']);
    assert.equal(presence.containsAny('a.js', 'const menu = "CAFÉ";', ['café']), true);
    assert.equal(presence.containsAny('a.js', 'const menu = "CAFÉ";', ['crêpe']), false);
    assert.equal(presence.containsAny('a.js', 'app.use(cors());', ['helmet', 'cors(']), true);
    assert.equal(presence.containsAny('a.js', 'app.use(cors());', ['helmet', 'x.y']), false, 'a regex metacharacter is searched for literally');
  });

  it('collects the keywords of conditions in decisions and in code checks\' parameters', () => {
    const keywords = new Set(prefilterKeywordsOf(READINESS_CHECKS));
    const conditions: ContentCondition[] = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        if ('content' in value && typeof (value as { content: ContentCondition }).content?.pattern === 'string') conditions.push((value as { content: ContentCondition }).content);
        Object.values(value).forEach(visit);
      }
    };
    for (const check of READINESS_CHECKS) visit(check.detect);
    assert.ok(conditions.length >= 20, `only ${conditions.length} content conditions`);
    const inParameters = READINESS_CHECKS.filter((check) => 'code' in check.detect && JSON.stringify(check.detect).includes('"content"'));
    assert.ok(inParameters.length > 0, 'some code check has a content condition among its parameters');
    for (const condition of conditions) for (const keyword of conditionKeywords(condition) ?? []) assert.ok(keywords.has(keyword), `${keyword} (of /${condition.pattern}/) is indexed`);
  });

  it('gives the same report as a search per condition, for every check example and fixture workspace', () => {
    const inputs: { name: string; input: ReadinessInput }[] = [];
    for (const check of READINESS_CHECKS) {
      for (const [kind, examples] of Object.entries(check.examples)) {
        (examples ?? []).forEach((example: CheckExample, index: number) => inputs.push({ name: `${check.id} ${kind} example ${index + 1}`, input: exampleInput(example) }));
      }
    }
    const fixtures = path.join(repoRoot, 'test', 'fixtures', 'readiness');
    const sidecars = JSON.parse(fs.readFileSync(path.join(fixtures, 'inputs.json'), 'utf8')) as Record<string, FixtureSidecar>;
    for (const name of Object.keys(sidecars)) inputs.push({ name: `fixture ${name}`, input: fixtureInput(path.join(fixtures, name), sidecars[name]) });
    assert.ok(inputs.length > 100);
    for (const { name, input } of inputs) {
      // No keyword given up front: every condition falls back to its own regex search.
      assert.deepEqual(assessReadiness(input), assessReadiness(input, READINESS_CHECKS, { prefilterKeywords: [] }), name);
    }
  });
});
