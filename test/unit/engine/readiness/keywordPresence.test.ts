import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assessReadiness } from '../../../../server/src/engine/readiness/assessReadiness';
import { READINESS_CHECKS, readinessPrefilterKeywords } from '../../../../server/src/engine/readiness/catalog';
import { conditionKeywords, prefilterKeywordsOf } from '../../../../server/src/engine/readiness/declarative';
import { KeywordPresence } from '../../../../server/src/engine/readiness/keywordPresence';
import type { CheckExample, ContentCondition } from '../../../../server/src/engine/readiness/checkSpec';
import type { KeywordsFound, ReadinessInput } from '../../../../server/src/engine/readiness/types';
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
    assert.equal(presence.containsAny('a.js', ['rateLimit'], () => "app.use(RATELIMIT({ windowMs: 1000 }));"), true);
    assert.equal(presence.containsAny('a.js', ['helmet', 'sigterm'], () => "app.use(RATELIMIT({ windowMs: 1000 }));"), false);
    assert.equal(presence.containsAny('b.js', ['helmet', 'SIGTERM'], () => "process.on('sigterm', stop);"), true);
  });

  it('searches with a regex for keywords the index lacks: not ASCII, or not given up front', () => {
    const presence = new KeywordPresence(['café', 'helmet']);
    assert.equal(presence.containsAny('a.js', ['café'], () => 'const menu = "CAFÉ";'), true);
    assert.equal(presence.containsAny('a.js', ['crêpe'], () => 'const menu = "CAFÉ";'), false);
    assert.equal(presence.containsAny('a.js', ['helmet', 'cors('], () => 'app.use(cors());'), true);
    assert.equal(presence.containsAny('a.js', ['helmet', 'x.y'], () => 'app.use(cors());'), false, 'a regex metacharacter is searched for literally');
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
      const report = assessReadiness(input);
      // No keyword given up front: every condition falls back to its own regex search.
      assert.deepEqual(report, assessReadiness(input, READINESS_CHECKS, { prefilterKeywords: [] }), name);
      // The keywords found while a scan read each file.
      assert.deepEqual(report, assessReadiness({ ...input, keywordsFound: keywordsFoundIn(input) }), `${name}, keywords found by a scan`);
    }
  });

  it('with the keywords a scan found, reads only the files that can match', () => {
    const files: Record<string, string> = { 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4.21.0' } }) };
    for (let index = 0; index < 200; index++) files[`src/lib/util${index}.js`] = `module.exports = (a, b) => a + b + ${index};\n`;
    files['src/server.js'] = "const express = require('express');\nconst app = express();\nprocess.on('SIGTERM', () => app.close());\napp.listen(3000);\n";
    const reads = new Set<string>();
    const input: ReadinessInput = { ...exampleInput({ files }), read: (file) => { reads.add(file); return files[file]; } };
    const scanned = { ...input, keywordsFound: keywordsFoundIn(input) };
    reads.clear();
    const report = assessReadiness(scanned);
    assert.ok(reads.has('src/server.js'));
    assert.ok(reads.size < 20, `read ${reads.size} files: ${[...reads].slice(0, 30).join(', ')}`);
    assert.deepEqual(report, assessReadiness(input));
  });
});

/** What the CLI's scan hands over: the built-in keywords' bits for every file it read. */
function keywordsFoundIn(input: ReadinessInput): KeywordsFound {
  const keywords = readinessPrefilterKeywords();
  const presence = new KeywordPresence(keywords);
  const files = new Map<string, Uint32Array>();
  for (const file of input.files) {
    const text = input.read(file);
    if (text !== undefined) files.set(file, presence.bitsOf(text));
  }
  return { keywords, files };
}
