import * as assert from 'node:assert/strict';
import { analyze, ruleIds } from '../helpers';

const KEY = 'sk_live_51NzQp2LkT8vRw3Ya9cHd6mBx4Jq7Fs1Ue0Gi5Ko2Pl8Wn3Ry6Tv9Zb4Xc7Md1Sf5';

describe('inline suppressions', () => {
  const visible = (text: string, file = 'src/a.ts') => ruleIds(analyze(text, file).filter((finding) => !finding.suppression));
  const suppression = (text: string, file = 'src/a.ts') => analyze(text, file).find((finding) => finding.suppression)?.suppression;

  it('on the same line or alone on the line above, with the reason kept', () => {
    assert.deepEqual(suppression(`const k = '${KEY}'; // shipshape-ignore secret/stripe-secret-key: mock server only`), { kind: 'inline', reason: 'mock server only', line: 0 });
    assert.deepEqual(visible(`// shipshape-ignore secret/stripe-secret-key: mock server only\nconst k = '${KEY}';`), []);
  });

  it('a directive at the end of a code line does not cover the next line', () => {
    assert.deepEqual(visible(`foo(); // shipshape-ignore secret/stripe-secret-key: not for the next line\nconst k = '${KEY}';`), ['secret/stripe-secret-key']);
  });

  it('category wildcards, other comment syntaxes and JSX comments', () => {
    assert.deepEqual(visible(`# shipshape-ignore secret/*: sample data\nSTRIPE=${KEY}`, '.env'), []);
    assert.deepEqual(visible(`<!-- shipshape-ignore secret/stripe-secret-key: docs example -->\n${KEY}`, 'page.html'), []);
    assert.deepEqual(visible(`<div>\n  {/* shipshape-ignore secret/stripe-secret-key: demo key */}\n  <span>${KEY}</span>\n</div>`, 'src/a.tsx'), []);
    assert.equal(suppression(`  {/* shipshape-ignore secret/stripe-secret-key: demo key */}\n  <span>${KEY}</span>`, 'src/a.tsx')?.reason, 'demo key');
    assert.deepEqual(visible(`  /* shipshape-ignore secret/stripe-secret-key: attribute */\n  src="${KEY}"`, 'src/a.tsx'), []);
  });

  it('does not cover other rules', () => {
    assert.deepEqual(visible(`// shipshape-ignore secret/generic-secret: wrong rule\nconst k = '${KEY}';`), ['secret/stripe-secret-key']);
  });

  it('reports a suppression without a reason (or with the placeholder) and without a rule', () => {
    assert.deepEqual(visible(`// shipshape-ignore secret/stripe-secret-key:\nconst k = '${KEY}';`), ['config/suppression-without-reason']);
    assert.deepEqual(visible(`// shipshape-public: <why anyone may call this>\napp.get('/x', h);`), ['config/suppression-without-reason']);
    assert.match(analyze(`// shipshape-ignore: because\nconst k = '${KEY}';`).find((finding) => finding.ruleId === 'config/suppression-without-reason')!.message, /names no rule/);
  });

  it('stays fast on a pathological line', () => {
    const started = Date.now();
    analyze(`shipshape-ignore${'\t'.repeat(200_000)}s`, 'notes.txt');
    assert.ok(Date.now() - started < 2000);
  });
});
