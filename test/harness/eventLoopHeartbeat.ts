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

/** The widest gap between two turns of the event loop, and the most CPU time the process had in any one gap. */
export interface HeldStretch {
  /** Wall-clock time: what everyone else waited. */
  readonly longestMs: number;
  /**
   * At most this much of one gap was spent computing: the process's CPU time over the gap, capped at its length.
   * It counts every thread of the process, so it is an upper bound for the thread; a gap much longer than it was
   * the process waiting, for a disk or for a core (on a busy machine the system lets others run), not a task.
   */
  readonly longestCpuMs: number;
}

/**
 * Records, from now on, the widest gap between two turns of the event loop: how long the thread was held at a
 * stretch. The returned function stops it and gives the gap in ms, counting the stretch since the last turn.
 * Given `gaps`, also adds to it every gap of 25 ms or more.
 */
export function eventLoopHeartbeat(pace: HeartbeatPace = 'immediate', gaps?: Gap[]): () => number {
  const stop = heldStretches(pace, gaps);
  return () => stop().longestMs;
}

/** eventLoopHeartbeat, also telling how much of the widest gaps the process spent on a CPU. */
export function heldStretches(pace: HeartbeatPace = 'immediate', gaps?: Gap[]): () => HeldStretch {
  const next = pace === 'timer' ? (beat: () => void) => setTimeout(beat, 1) : setImmediate;
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let last = performance.now();
  let lastCpu = cpuMs();
  let longest = 0;
  let longestCpu = 0;
  let beating = true;
  const measure = () => {
    const now = performance.now();
    const cpu = cpuMs();
    longest = Math.max(longest, now - last);
    longestCpu = Math.max(longestCpu, Math.min(now - last, cpu - lastCpu));
    if (gaps && now - last >= GAP_MS) gaps.push({ atUs: Math.round(clockUs() - (now - last) * 1000), ms: now - last });
    last = now;
    lastCpu = cpu;
  };
  const beat = () => {
    measure();
    if (beating) next(beat);
  };
  next(beat);
  return () => {
    beating = false;
    measure();
    return { longestMs: longest, longestCpuMs: longestCpu };
  };
}
