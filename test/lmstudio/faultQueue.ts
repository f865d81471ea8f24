import type { FaultOptions, StandInFault } from './standInTypes';

export type FaultRoute = 'chat' | 'models' | 'other';

interface QueuedFault {
  readonly fault: StandInFault;
  remaining: number;
  readonly route: NonNullable<FaultOptions['route']>;
}

/** Injected faults in order; each applies to the next `times` matching requests. */
export class FaultQueue {
  private readonly queued: QueuedFault[] = [];

  add(fault: StandInFault, options: FaultOptions = {}): void {
    this.queued.push({ fault, remaining: options.times ?? 1, route: options.route ?? 'chat' });
  }

  clear(): void {
    this.queued.length = 0;
  }

  /** The fault for a request on `route`, used up once its count reaches zero. */
  take(route: FaultRoute): StandInFault | undefined {
    const index = this.queued.findIndex((queued) => queued.route === 'any' || queued.route === route);
    const queued = this.queued[index];
    if (!queued) return undefined;
    queued.remaining--;
    if (queued.remaining <= 0) this.queued.splice(index, 1);
    return queued.fault;
  }
}
