import { performance } from 'node:perf_hooks';

/**
 * How the heartbeat turns: `immediate` (setImmediate) sees every turn but keeps a core busy while the thread is
 * idle; `timer` (a 1 ms timeout) lets the thread sleep between beats, at up to ~1 ms more per gap: the pace for a
 * host that shares the machine with the browser and server being measured.
 */
export type HeartbeatPace = 'immediate' | 'timer';

/** A gap between two turns of the event loop long enough to look into; `atUs` is on a CPU profile's clock. */
export interface Gap {
  readonly atUs: number;
  readonly ms: number;
}
const GAP_MS = 25;
/** The monotonic clock a V8 CPU profile's `startTime` and `timeDeltas` count on, in µs. */
const clockUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Records, from now on, the widest gap between two turns of the event loop: how long the thread was held at a
 * stretch. The returned function stops it and gives the gap in ms, counting the stretch since the last turn.
 * Given `gaps`, also adds to it every gap of 25 ms or more.
 */
export function eventLoopHeartbeat(pace: HeartbeatPace = 'immediate', gaps?: Gap[]): () => number {
  const next = pace === 'timer' ? (beat: () => void) => setTimeout(beat, 1) : setImmediate;
  let last = performance.now();
  let longest = 0;
  let beating = true;
  const beat = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    if (gaps && now - last >= GAP_MS) gaps.push({ atUs: Math.round(clockUs() - (now - last) * 1000), ms: now - last });
    last = now;
    if (beating) next(beat);
  };
  next(beat);
  return () => {
    beating = false;
    return Math.max(longest, performance.now() - last);
  };
}
