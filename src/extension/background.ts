import type { Logger } from '../core/logger';

/**
 * Runs work nobody awaits (what a notification's button does, an offer made at start-up): a failure is logged
 * with what was being done, instead of surfacing as an unhandled rejection of the extension host.
 */
export function inBackground(logger: Logger, what: string, work: () => PromiseLike<unknown>): void {
  Promise.resolve()
    .then(work)
    .catch((error: unknown) => logger.error(`${what} failed`, error));
}
