import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * Why a call did not produce a result: the tool said so ('toolError'), it ran past its timeout, the server
 * was not there to ask ('unavailable'), or the server refused the request itself ('protocol').
 */
export type ToolFailureKind = 'toolError' | 'timeout' | 'unavailable' | 'protocol';

export interface ToolCallOutcome {
  readonly ok: boolean;
  /** The text content blocks joined by blank lines; other blocks are summarised in brackets. */
  readonly text: string;
  readonly content: readonly unknown[];
  readonly structuredContent?: unknown;
  readonly failure?: { readonly kind: ToolFailureKind; readonly message: string };
  readonly ms: number;
}

export function outcomeOfResult(result: CallToolResult, ms: number): ToolCallOutcome {
  const text = textOf(result.content ?? []);
  return {
    ok: result.isError !== true,
    text,
    content: result.content ?? [],
    ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
    ...(result.isError === true
      ? { failure: { kind: 'toolError' as const, message: text || 'the tool reported an error' } }
      : {}),
    ms,
  };
}

export function failedOutcome(kind: ToolFailureKind, message: string, ms: number): ToolCallOutcome {
  return { ok: false, text: message, content: [], failure: { kind, message }, ms };
}

export function outcomeOfError(error: unknown, timeoutMs: number, ms: number): ToolCallOutcome {
  const { ErrorCode, McpError } = sdkErrors();
  if (error instanceof McpError && error.code === Number(ErrorCode.RequestTimeout)) {
    return failedOutcome('timeout', `the tool did not answer within ${timeoutMs} ms`, ms);
  }
  if (error instanceof McpError && error.code === Number(ErrorCode.ConnectionClosed)) {
    return failedOutcome('unavailable', 'the server went away during the call', ms);
  }
  if (error instanceof McpError) return failedOutcome('protocol', error.message, ms);
  return failedOutcome('unavailable', messageWithCause(error), ms);
}

/** A restarted HTTP server no longer knows our session: 404 "Session not found" (or 400 from some servers). */
export function isSessionLost(error: unknown): boolean {
  return (
    error instanceof sdkErrors().StreamableHTTPError &&
    (error.code === 404 || error.code === 400) &&
    /session/i.test(error.message)
  );
}

/** The HTTP server did not answer at all (refused, reset, DNS): worth reconnecting with backoff. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

export function messageWithCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error && !error.message.includes(cause.message)
      ? `${error.message} (${cause.message})`
      : error.message;
  }
  return String(error);
}

function textOf(content: readonly unknown[]): string {
  return content
    .map((block) => {
      const typed = block as {
        type?: string;
        text?: unknown;
        uri?: string;
        resource?: { uri?: string; text?: unknown };
      };
      if (typed.type === 'text' && typeof typed.text === 'string') return typed.text;
      if (typed.type === 'resource' && typeof typed.resource?.text === 'string') return typed.resource.text;
      if (typed.type === 'resource_link') return `[resource ${typed.uri ?? ''}]`;
      return `[${typed.type ?? 'unknown'} content]`;
    })
    .join('\n\n');
}

/* eslint-disable @typescript-eslint/no-require-imports */
/*
 * Loaded at the first failed call: a call's error comes from the SDK's client, which is loaded by then (see
 * managedServer.ts), so the hub and its outcomes do not load the SDK with the extension.
 */
const sdkErrors = (): typeof import('./sdkErrors') => require('./sdkErrors') as typeof import('./sdkErrors');
/* eslint-enable @typescript-eslint/no-require-imports */
