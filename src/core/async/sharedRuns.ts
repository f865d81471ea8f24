/**
 * Runs of one job (a scan, a model update) that callers share: a caller gets a run that starts no earlier than
 * its call, so it sees everything finished before it. While a run is under way, new callers queue for the next
 * one and all of them share it: however many callers arrive together, at most two runs exist at once.
 */
export class SharedRuns<T> {
  private running: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly job: () => Promise<T>) {}

  /** A run that starts no earlier than this call. */
  next(): Promise<T> {
    const running = this.running;
    if (!running) return this.start();
    this.queued ??= running.then(ignore, ignore).then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<T> {
    const run: Promise<T> = this.job().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }
}

function ignore(): void {}
