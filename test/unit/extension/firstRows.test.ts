import * as assert from 'node:assert/strict';
import { firstRowsSignal } from '../../../src/extension/explorer/firstRows';

describe('the first rows signal the models scan waits for', () => {
  it('is done as soon as the Changes view has had its first rows', async () => {
    const signal = firstRowsSignal(60_000);
    let done = false;
    void signal.done.then(() => (done = true));
    await Promise.resolve();
    assert.equal(done, false, 'not before the rows went out');
    signal.answered();
    await signal.done;
    assert.equal(done, true);
  });

  it('is done after the wait when the view never asks (it is hidden)', async () => {
    const started = Date.now();
    await firstRowsSignal(20).done;
    assert.ok(Date.now() - started >= 15, 'it waited');
  });
});
