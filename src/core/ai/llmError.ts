/** Why a model request failed, in terms a user can act on. */
export type LlmErrorReason =
  | 'unreachable'
  | 'noModelLoaded'
  | 'modelNotFound'
  | 'contextOverflow'
  | 'timeout'
  | 'rateLimited'
  | 'serverError'
  | 'authRequired'
  | 'badOutput'
  | 'cancelled';

export interface LlmErrorDetails {
  /** HTTP status when the server answered. */
  readonly status?: number;
  /** The server's own message, verbatim, for the log. */
  readonly serverMessage?: string;
  /** Seconds the server asked us to wait (429 retry-after). */
  readonly retryAfterSeconds?: number;
  /** For contextOverflow: the prompt size and the loaded context, when the server said them. */
  readonly promptTokens?: number;
  readonly contextLength?: number;
}

/** The one error type that crosses the ChatModel seam; `hint` says what the user can do about it. */
export class LlmError extends Error {
  override readonly name = 'LlmError';

  constructor(
    readonly reason: LlmErrorReason,
    message: string,
    readonly hint: string,
    readonly details: LlmErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof LlmError;
}
