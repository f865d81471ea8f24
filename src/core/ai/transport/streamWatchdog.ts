export type WatchdogVerdict = 'cancelled' | 'firstTokenTimeout' | 'idleTimeout';

export interface WatchdogLimits {
  readonly firstTokenMs: number;
  readonly idleMs: number;
}

/**
 * One abort signal for a streamed request that fires when the caller cancels, when no token arrives in
 * time, or when the stream goes quiet between tokens, and remembers which of the three it was: aborting
 * makes the openai stream end quietly, so the verdict is how the caller learns why.
 */
export class StreamWatchdog {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firedVerdict: WatchdogVerdict | undefined;
  private readonly onOuterAbort = () => this.fire('cancelled');

  constructor(
    private readonly limits: WatchdogLimits,
    private readonly outer?: AbortSignal,
  ) {
    if (outer?.aborted) this.fire('cancelled');
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    if (!this.firedVerdict) this.arm(limits.firstTokenMs, 'firstTokenTimeout');
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get verdict(): WatchdogVerdict | undefined {
    return this.firedVerdict;
  }

  /** A token arrived: from now on only gaps longer than the idle limit count. */
  tokenArrived(): void {
    if (!this.firedVerdict) this.arm(this.limits.idleMs, 'idleTimeout');
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }

  private arm(ms: number, verdict: WatchdogVerdict): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(verdict), ms);
  }

  private fire(verdict: WatchdogVerdict): void {
    if (this.firedVerdict) return;
    this.firedVerdict = verdict;
    clearTimeout(this.timer);
    this.controller.abort(verdict);
  }
}
