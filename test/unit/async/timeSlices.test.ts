import * as assert from 'node:assert/strict';
import { mapInSlices, timeSlices, type Pause } from '../../../src/core/async/timeSlices';

/** A clock the test moves by hand and a yield that counts the turns it gave away. */
function fakeHost() {
  const host = { time: 0, turns: 0 };
  const pause = timeSlices({
    budgetMs: 10,
    now: () => host.time,
    yieldTurn: () => {
      host.turns++;
      return new Promise((resolve) => setImmediate(resolve));
    },
  });
  return { host, pause };
}

describe('time slices', () => {
  it('lets work go on without a turn while the slice has budget, and yields once it is spent', async () => {
    const { host, pause } = fakeHost();
    host.time = 9;
    await pause();
    assert.equal(host.turns, 0);
    host.time = 10;
    await pause();
    assert.equal(host.turns, 1);
    // The slice starts again after the turn.
    host.time = 15;
    await pause();
    assert.equal(host.turns, 1);
  });

  it('makes jobs that run out of budget together wait for the same turn', async () => {
    const { host, pause } = fakeHost();
    host.time = 50;
    await Promise.all([pause(), pause(), pause()]);
    assert.equal(host.turns, 1);
  });

  it('maps in order a few items at a time, pausing before each', async () => {
    let pauses = 0;
    const pause: Pause = () => {
      pauses++;
      return new Promise((resolve) => setImmediate(resolve));
    };
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 20 }, (_, index) => index);
    const doubled = await mapInSlices(
      items,
      async (item) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return item * 2;
      },
      pause,
      3,
    );
    assert.deepEqual(
      doubled,
      items.map((item) => item * 2),
    );
    assert.equal(most, 3);
    assert.ok(pauses >= items.length);
  });

  it('maps everything at once without a pause, as Promise.all does', async () => {
    let started = 0;
    const results = mapInSlices([1, 2, 3], async (item) => (started++, item), undefined);
    assert.equal(started, 3);
    assert.deepEqual(await results, [1, 2, 3]);
  });
});
