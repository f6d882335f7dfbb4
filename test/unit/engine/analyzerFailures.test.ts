import * as assert from 'node:assert/strict';
import { FILE_DETECTORS } from '../../../server/src/engine/detectors';
import { builtinAnalyzer } from '../helpers';

/** A detector that fails is reported, not hidden, and what it says never carries a secret of the file. */
describe('analysis failures', () => {
  const KEY = 'sk_live_51NzQp2LkT8vRw3Ya9cHd6mBx4Jq7Fs1Ue0Gi5Ko2Pl8Wn3Ry6Tv9Zb4Xc7Md1Sf5';
  const detectors = FILE_DETECTORS as { name: string; detect: (context: { text: string }) => never[] }[];

  // Named like a real detector, so runs limited to that category still run it.
  const quoting = { name: 'input', detect: (context: { text: string }): never[] => { throw new SyntaxError(`Unexpected token in ${JSON.stringify(context.text.slice(0, 120))}`); } };
  afterEach(() => {
    const index = detectors.indexOf(quoting);
    if (index >= 0) detectors.splice(index, 1);
  });

  it('keep the other findings and mask the file\'s secrets in the failure message, whatever categories the run wanted', () => {
    // Like JSON.parse, whose errors quote the text they stopped at.
    detectors.push(quoting);
    const text = `const stripe = require('stripe')('${KEY}');\n`;
    for (const categories of [undefined, new Set(['input' as const])]) {
      const result = builtinAnalyzer(categories ? { categories } : {}).analyzeFile({ path: 'src/pay.js', text });
      const failure = result.failures?.find((entry) => entry.message.startsWith('Unexpected token'));
      assert.ok(failure, JSON.stringify(result.failures));
      assert.ok(!failure.message.includes(KEY), failure.message);
      assert.match(failure.message, /sk_l\*{4} \(\d+ chars\)/);
      if (!categories) assert.ok(result.findings.some((finding) => finding.ruleId === 'secret/stripe-secret-key'));
    }
  });
});
