import * as assert from 'node:assert/strict';
import { NameMentions } from '../../../server/src/engine/js/nameMentions';

describe('name mentions (pruning tree walks by text)', () => {
  it('finds every occurrence of every name, as substrings', () => {
    const mentions = NameMentions.in('app.get(x); const routerA = 1; router.use(y)', ['router', 'app']);
    assert.equal(mentions.within(0, 3), true);
    assert.equal(mentions.within(3, 18), false);
    assert.equal(mentions.within(18, 19), true); // "routerA" contains "router"
    assert.equal(mentions.within(31, 100), true);
    assert.equal(mentions.within(38, 100), false);
  });

  it('finds mentions within a part of the text, at offsets of the whole text', () => {
    const text = 'app.get(x); const routerA = 1; router.use(y)';
    const mentions = NameMentions.in(text, ['router'], 12, 30);
    assert.equal(mentions.within(0, 18), false);
    assert.equal(mentions.within(18, 19), true);
    assert.equal(mentions.within(19, text.length), false, 'the mention after the part is not looked for');
    assert.equal(NameMentions.in(text, ['router'], 0, 12).none, true);
  });

  it('mentions nothing without names, and everything when an identifier may be escaped', () => {
    assert.equal(NameMentions.in('router.get()', []).none, true);
    assert.equal(NameMentions.in('const r = 1; \\u0072outer.get()', ['router']).within(0, 5), true);
  });
});
