import { performance } from 'node:perf_hooks';

/**
 * Records, from now on, the widest gap between two turns of the event loop: how long the thread was held at a
 * stretch. The returned function stops it and gives the gap in ms, counting the stretch since the last turn.
 */
export function eventLoopHeartbeat(): () => number {
  let last = performance.now();
  let longest = 0;
  let beating = true;
  const beat = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (beating) setImmediate(beat);
  };
  setImmediate(beat);
  return () => {
    beating = false;
    return Math.max(longest, performance.now() - last);
  };
}
