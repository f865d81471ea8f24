import { setTimeout as delay } from 'node:timers/promises';

/** What `waitFor` throws when the time is up; anything the probe throws is passed on as it is. */
export class WaitTimeoutError extends Error {}

/**
 * Polls `probe` (synchronous or not) every `intervalMs` until it returns something other than `undefined` or
 * `false`, and returns that. The one polling loop of the integration, UI and harness code: models, diagnostics
 * and the workbench settle after a debounce, not at once. After `timeoutMs` it throws a WaitTimeoutError that
 * names what was waited for; `what` may be a function, asked only then, to tell what was seen instead.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new WaitTimeoutError(
        `Timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await delay(intervalMs);
  }
}
