import * as assert from 'node:assert/strict';
import { Debouncer } from '../../../src/extension/model/debouncer';

/** A debouncer whose deliveries are recorded, and a promise of the next one. */
function recorded(delay: number) {
  const delivered: string[][] = [];
  let arrived: () => void = () => {};
  const debouncer = new Debouncer<string>(delay, (keys) => {
    delivered.push([...keys]);
    arrived();
  });
  const nextDelivery = () => new Promise<void>((resolve) => (arrived = resolve));
  return { debouncer, delivered, nextDelivery };
}

describe('Debouncer', () => {
  it('hands over every pending key at once on flush, and not again when the delay ends', async () => {
    const { debouncer, delivered, nextDelivery } = recorded(10);
    debouncer.add('a');
    debouncer.add('b');
    debouncer.add('a');
    debouncer.flush();
    assert.deepEqual(delivered, [['a', 'b']]);
    // A timer left running by the flush would fire before the one this key starts.
    const next = nextDelivery();
    debouncer.add('c');
    await next;
    assert.deepEqual(delivered, [['a', 'b'], ['c']]);
    debouncer.dispose();
  });

  it('delivers nothing on flush when nothing is pending', () => {
    const { debouncer, delivered } = recorded(10);
    debouncer.flush();
    assert.deepEqual(delivered, []);
  });

  it('delivers after the delay when nobody flushes', async () => {
    const { debouncer, delivered, nextDelivery } = recorded(5);
    const next = nextDelivery();
    debouncer.add('a');
    await next;
    assert.deepEqual(delivered, [['a']]);
  });
});
