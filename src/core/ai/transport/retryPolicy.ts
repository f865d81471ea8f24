import { isLlmError, type LlmError } from '../llmError';
import { transportErrors } from './transportErrors';

/**
 * One attempt of a retried operation. The operation calls `markFirstToken()` as soon as the model has
 * streamed anything: from then on a failure is final, because the caller has already seen output and a
 * second run would produce a different reply (and cost the whole generation again).
 */
export interface RetryAttempt {
  readonly number: number;
  markFirstToken(): void;
}

export interface RetryNotice {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly error: LlmError;
  readonly delayMs: number;
}

export interface RetryOptions {
  /** Extra attempts after the first. */
  readonly retries: number;
  readonly signal?: AbortSignal;
  readonly onRetry?: (notice: RetryNotice) => void;
  /** [0, 1) source for the jitter; Math.random by default. */
  readonly random?: () => number;
  /** Waits `ms` or rejects when `signal` aborts; a timer by default. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Longest `retry-after` honoured; longer requests are waited for this long. */
  readonly maxRetryAfterMs?: number;
}

const retryableStatuses = new Set([408, 409, 429]);

/**
 * Worth another attempt: the server was down, busy or failed on its side (connection refused, 408, 409,
 * 429, 5xx, a model crash reported in the stream). Never: no model loaded, unknown model, context
 * overflow, missing token, bad output, cancellation, our own timeouts, nor a 200/400 from a misconfigured
 * URL or a model that failed to load; those fail the same way every time.
 */
export function isRetryable(error: LlmError): boolean {
  const status = error.details.status;
  switch (error.reason) {
    case 'unreachable':
    case 'rateLimited':
      return true;
    case 'serverError':
    case 'timeout':
      return status === undefined ? error.reason === 'serverError' : status >= 500 || retryableStatuses.has(status);
    default:
      return false;
  }
}

/** Equal-jitter exponential backoff (half fixed, half random), or the server's `retry-after`, both capped. */
export function retryDelayMs(error: LlmError, retryNumber: number, options: RetryOptions): number {
  const retryAfter = error.details.retryAfterSeconds;
  if (retryAfter !== undefined) return Math.min(retryAfter * 1000, options.maxRetryAfterMs ?? 30_000);
  const ceiling = Math.min(options.maxDelayMs ?? 4000, (options.baseDelayMs ?? 500) * 2 ** (retryNumber - 1));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Runs `operation`, retrying retryable failures that happened before the first streamed token (p-retry). */
export async function withRetry<T>(
  operation: (attempt: RetryAttempt) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { default: pRetry } = await import('p-retry');
  const sleep = options.sleep ?? sleepUnlessAborted;
  let streamed = false;
  try {
    return await pRetry(
      (attemptNumber) => {
        if (options.signal?.aborted) throw transportErrors.cancelled(options.signal.reason);
        streamed = false;
        return operation({ number: attemptNumber, markFirstToken: () => (streamed = true) });
      },
      {
        retries: Math.max(0, options.retries),
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: async ({ error, attemptNumber }) => {
          if (streamed || !isLlmError(error) || !isRetryable(error) || options.signal?.aborted) return false;
          const delayMs = retryDelayMs(error, attemptNumber, options);
          options.onRetry?.({ attempt: attemptNumber, error, delayMs });
          await sleep(delayMs, options.signal);
          return true;
        },
      },
    );
  } catch (error) {
    if (options.signal?.aborted && !isLlmError(error)) throw transportErrors.cancelled(error);
    throw error;
  }
}

function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(transportErrors.cancelled(signal.reason));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(transportErrors.cancelled(signal?.reason));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
