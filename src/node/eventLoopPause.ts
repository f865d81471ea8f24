import { performance } from 'node:perf_hooks';
import { timeSlices, type Pause } from '../core/async/timeSlices';

/** Slices of about this long (plus the few items already under way) stay well under what users notice. */
const SLICE_BUDGET_MS = 10;

/** A pause for Node's event loop: after `budgetMs` of work, the next pause lets pending timers and I/O run. */
export function eventLoopPause(budgetMs = SLICE_BUDGET_MS): Pause {
  return timeSlices({
    budgetMs,
    now: () => performance.now(),
    yieldTurn: () => new Promise((resolve) => setImmediate(resolve)),
  });
}
