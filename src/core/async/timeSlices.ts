/**
 * Awaited between two units of a long job so a shared thread (the extension host) can serve others: it
 * resolves at once while the current slice of work still has budget, and after one event-loop turn when it
 * does not. Without one (the CLI), long jobs run straight through.
 */
export type Pause = () => Promise<void>;

export interface TimeSliceOptions {
  /** How long a stretch of work may hold the thread before the next pause yields, in ms. */
  readonly budgetMs: number;
  /** Milliseconds clock. */
  readonly now: () => number;
  /** Lets the event loop run once (in Node, `setImmediate`), so timers, I/O and messages get their turn. */
  readonly yieldTurn: () => Promise<void>;
}

const RESOLVED = Promise.resolve();

/**
 * One pause shared by every job on the thread: slices are measured from the last yield whoever made it, and
 * jobs that run out of budget together wait for the same turn.
 */
export function timeSlices({ budgetMs, now, yieldTurn }: TimeSliceOptions): Pause {
  let sliceStart = now();
  let turn: Promise<void> | undefined;
  return () => {
    if (now() - sliceStart < budgetMs) return RESOLVED;
    turn ??= yieldTurn().then(() => {
      turn = undefined;
      sliceStart = now();
    });
    return turn;
  };
}

/**
 * `Promise.all(items.map(work))`, but when there is a pause, a few items at a time with a pause before each:
 * starting every item at once would run them all in one stretch, as the file system answers without waiting.
 * Results keep the items' order either way.
 */
export async function mapInSlices<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  pause: Pause | undefined,
  concurrency = 6,
): Promise<R[]> {
  if (!pause) return Promise.all(items.map(work));
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      await pause();
      // Claimed after the pause: a worker that waited must not hold an item another could have started.
      if (next >= items.length) return;
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
