import * as assert from 'node:assert/strict';
import { RestartPolicy } from '../../../client/src/restartPolicy';

/** A crashed language server is started again — but not forever when it dies at start. */
describe('restart policy of the language client', () => {
  it('restarts after each crash, up to four within three minutes', () => {
    const policy = new RestartPolicy();
    const minute = 60 * 1000;
    assert.deepEqual([0, 1, 2, 3].map((at) => policy.restartAfterCrash(at * 1000)), [true, true, true, true]);
    assert.equal(policy.restartAfterCrash(4000), false, 'a fifth crash within three minutes');
    assert.equal(policy.recentCrashes, 5);
    // Long after, the old crashes no longer count.
    assert.equal(policy.restartAfterCrash(10 * minute), true);
    assert.equal(policy.recentCrashes, 1);
  });

  it('spaced-out crashes are always restarted', () => {
    const policy = new RestartPolicy(4, 3 * 60 * 1000);
    for (let crash = 0; crash < 20; crash++) assert.equal(policy.restartAfterCrash(crash * 4 * 60 * 1000), true);
  });
});
