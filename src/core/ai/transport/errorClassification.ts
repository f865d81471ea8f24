import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { isLlmError, type LlmError } from '../llmError';
import { parseContextOverflow } from './contextOverflow';
import type { TransportContext } from './transportContext';
import { transportErrors as errors } from './transportErrors';
import { errorMessage } from '../../errorMessage';

/** undici's own timeouts (headers after ~300 s, body gaps) surface as connection errors carrying these codes. */
const timeoutCodes = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

/**
 * Turns anything the openai client, fetch or the stream can throw into an `LlmError`.
 * The openai connection/abort classes extend APIError with `status` undefined, so they are tested first.
 * LM Studio's message texts are more specific than its statuses (the same "No models loaded" comes as 400,
 * 404 or a bare string), so the message is read before the status.
 */
export function toLlmError(error: unknown, context: TransportContext): LlmError {
  if (isLlmError(error)) return error;
  if (error instanceof APIUserAbortError || isAbortError(error)) return errors.cancelled(error);
  if (error instanceof APIConnectionTimeoutError) {
    return errors.firstTokenTimeout(context, context.firstTokenTimeoutMs ?? 0, { serverMessage: error.message });
  }
  if (error instanceof APIConnectionError) return fromConnectionError(error, context);
  if (error instanceof APIError) {
    const status = typeof error.status === 'number' ? error.status : undefined;
    return fromServerAnswer(serverMessageOf(error), status, context, {
      code: typeof error.code === 'string' ? error.code : undefined,
      retryAfterSeconds: retryAfterSeconds(error.headers as Headers | undefined),
    });
  }
  if (error instanceof SyntaxError) {
    return errors.badOutput(
      context,
      'sent a stream that is not valid JSON',
      'Update LM Studio, then run the request again.',
      {
        serverMessage: error.message,
      },
    );
  }
  if (error instanceof TypeError && /terminated|other side closed|socket/i.test(error.message)) {
    return errors.streamBroken(context, { serverMessage: describeCauses(error) }, error);
  }
  if (error instanceof TypeError && (codeInCauses(error) !== undefined || error.message === 'fetch failed')) {
    return fromConnectionError(error, context);
  }
  return errors.serverError(context, { serverMessage: errorMessage(error) });
}

export interface ServerAnswerExtras {
  readonly code?: string;
  readonly retryAfterSeconds?: number;
}

/** Classifies an error the server sent: an HTTP error body, an SSE `error` event or a 200 `{"error": ...}`. */
export function fromServerAnswer(
  serverMessage: string | undefined,
  status: number | undefined,
  context: TransportContext,
  extras: ServerAnswerExtras = {},
): LlmError {
  const text = serverMessage ?? '';
  const details = { ...(status !== undefined ? { status } : {}), ...(serverMessage ? { serverMessage } : {}) };
  if (/no models? (are )?loaded/i.test(text)) return errors.noModelLoaded(context, details);
  if (extras.code === 'model_not_found' || /invalid model identifier/i.test(text)) {
    const model = /identifier "([^"]*)"/i.exec(text)?.[1];
    return errors.modelNotFound({ ...context, model: context.model || model }, details);
  }
  const overflow = parseContextOverflow(text);
  if (overflow) return errors.contextOverflow(context, overflow, details);
  if (status === 401 || status === 403 || /api token is required|invalid (api )?token|unauthori[sz]ed/i.test(text)) {
    return errors.authRequired(context, details);
  }
  if (/model has crashed|crashed without/i.test(text)) return errors.modelCrashed(context, details);
  if (/failed to load model/i.test(text)) return errors.loadFailed(context, details);
  if (/unexpected endpoint or method/i.test(text)) return errors.wrongEndpoint(context, details);
  if (status === 429) {
    const wait = extras.retryAfterSeconds !== undefined ? { retryAfterSeconds: extras.retryAfterSeconds } : {};
    return errors.rateLimited(context, { ...details, ...wait });
  }
  if (status === 404) return errors.wrongEndpoint(context, details);
  return errors.serverError(context, details);
}

function fromConnectionError(error: Error, context: TransportContext): LlmError {
  const code = codeInCauses(error);
  const serverMessage = describeCauses(error);
  if (code !== undefined && timeoutCodes.has(code)) {
    // undici gives up on its own after 300 s without headers, whatever our setting says.
    return errors.firstTokenTimeout(context, Math.min(context.firstTokenTimeoutMs ?? 300_000, 300_000), {
      serverMessage,
    });
  }
  return errors.unreachable(context, { serverMessage }, error);
}

/** The server's own words: an OpenAI error object's message, or LM Studio's bare `{"error": "..."}` string. */
export function serverMessageOf(error: Pick<APIError, 'error' | 'message'>): string | undefined {
  const body: unknown = error.error;
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object') {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (typeof (body as { error?: unknown }).error === 'string') return (body as { error: string }).error;
  }
  return error.message || undefined;
}

/** `retry-after` in seconds or as an HTTP date, and the non-standard `retry-after-ms`. */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const value = Number.parseFloat(raw);
  if (Number.isFinite(value) && value >= 0) return value;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function codeInCauses(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** "Connection error. ← fetch failed ← connect ECONNREFUSED 127.0.0.1:1234", for the log. */
function describeCauses(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push(current.message);
    current = current.cause;
  }
  return parts.join(' ← ');
}
