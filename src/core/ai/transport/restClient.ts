import { toLlmError } from './errorClassification';
import { placeholderApiKey, type LmStudioSettings } from './lmStudioSettings';
import type { TransportContext } from './transportContext';
import { transportErrors } from './transportErrors';

export type FetchFunction = typeof globalThis.fetch;

export interface RestOptions {
  /** Defaults to the global fetch; tests and the shell may pass their own. */
  readonly fetch?: FetchFunction;
  readonly signal?: AbortSignal;
  /** Listing models is instant on a healthy server; default 5 s. */
  readonly timeoutMs?: number;
}

export interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * GETs JSON from LM Studio. Connection failures and timeouts become LlmErrors; any HTTP answer is returned
 * as is, because LM Studio answers unknown routes with 200 and an `error` body the caller must inspect.
 */
export async function getJson(
  url: string,
  settings: LmStudioSettings,
  context: TransportContext,
  options: RestOptions = {},
): Promise<RestAnswer> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const fetchFunction = options.fetch ?? globalThis.fetch;
  try {
    const response = await fetchFunction(url, {
      headers: { Authorization: `Bearer ${settings.apiKey ?? placeholderApiKey}`, Accept: 'application/json' },
      signal,
    });
    const text = await response.text();
    return { status: response.status, body: parseOrText(text) };
  } catch (error) {
    if (options.signal?.aborted) throw toLlmError(options.signal.reason ?? error, context);
    if (timeout.aborted) {
      throw transportErrors.unreachable(
        context,
        { serverMessage: `No answer from ${url} within ${timeoutMs} ms.` },
        error,
      );
    }
    throw toLlmError(error, context);
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The `error` field of a body, when the server answered with one (as a string or an OpenAI error object). */
export function errorMessageIn(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? body : undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return undefined;
}
