export interface RestartOptions {
  /** Restarts allowed within `windowMs` before the server is marked 'failed'; default 3. */
  readonly maxRestarts?: number;
  /** Default 60 000 ms. */
  readonly windowMs?: number;
  /** First delay, doubled for each restart still inside the window; default 500 ms. */
  readonly baseDelayMs?: number;
  /** Default 10 000 ms. */
  readonly maxDelayMs?: number;
}

/**
 * Exponential backoff with a bound: a server that crashes now and then keeps coming back, one that crashes
 * on every start stops being restarted after a few tries instead of spinning forever.
 */
export class RestartPolicy {
  private recent: number[] = [];
  private readonly maxRestarts: number;
  private readonly windowMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    options: RestartOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxRestarts = options.maxRestarts ?? 3;
    this.windowMs = options.windowMs ?? 60_000;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
  }

  /** The delay before the next restart, or undefined when the bound is reached. Counts the restart. */
  nextDelay(): number | undefined {
    const now = this.now();
    this.recent = this.recent.filter((at) => now - at < this.windowMs);
    if (this.recent.length >= this.maxRestarts) return undefined;
    const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** this.recent.length);
    this.recent.push(now);
    return delay;
  }

  get restartsInWindow(): number {
    return this.recent.length;
  }

  get limitDescription(): string {
    return `${this.maxRestarts} restarts within ${Math.round(this.windowMs / 1000)} s`;
  }

  reset(): void {
    this.recent = [];
  }
}
