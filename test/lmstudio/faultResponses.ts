import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './httpJson';
import {
  apiTokenRequiredMessage,
  inputDoesNotFitMessage,
  invalidModelMessage,
  loadFailureMessage,
  modelCrashedMessage,
  noModelsLoadedMessage,
  olderOverflowMessage,
  openAiErrorBody,
  reachedContextMessage,
  unexpectedEndpointMessage,
} from './lmStudioMessages';
import type { StreamInterruption } from './completionWriter';
import type { StandInFault } from './standInTypes';

/** How a fault changes the normal answer when it does not replace it outright. */
export interface FaultEffect {
  /** Hold the response (headers included) this long first; `Infinity` until the client goes away. */
  readonly delayMs?: number;
  readonly interruption?: StreamInterruption;
  /** Stream no content deltas at all. */
  readonly emptyContent?: boolean;
}

export interface FaultContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly model: string;
  readonly promptTokens: number;
  readonly contextLength: number;
}

/** Writes the fault's response and returns undefined, or returns how it alters the normal reply. */
export function applyFault(fault: StandInFault, context: FaultContext): FaultEffect | undefined {
  const { req, res, model } = context;
  switch (fault.kind) {
    case 'refused':
      req.socket.destroy();
      return undefined;
    case 'httpError':
      sendJson(res, fault.status, {
        error: { message: fault.message ?? `Internal error (${fault.status})`, type: 'server_error' },
      });
      return undefined;
    case 'rateLimited':
      sendJson(
        res,
        429,
        { error: { message: 'Too many requests', type: 'rate_limit_error' } },
        {
          'retry-after': String(fault.retryAfterSeconds ?? 1),
        },
      );
      return undefined;
    case 'noModelLoaded':
      if (fault.variant === 'plainString') sendJson(res, 400, { error: noModelsLoadedMessage });
      else sendJson(res, fault.variant === 'notFound' ? 404 : 400, openAiErrorBody(noModelsLoadedMessage, 'model'));
      return undefined;
    case 'modelNotFound':
      sendJson(res, 400, openAiErrorBody(invalidModelMessage(fault.model ?? model), 'model', 'model_not_found'));
      return undefined;
    case 'contextOverflow':
      return contextOverflow(fault, context);
    case 'crashMidStream':
      return { interruption: { afterChunks: fault.afterChunks ?? 2, then: 'destroy' } };
    case 'stall':
      return { delayMs: fault.ms ?? Infinity };
    case 'pauseMidStream':
      return { interruption: { afterChunks: fault.afterChunks ?? 2, then: 'pause', pauseMs: fault.ms } };
    case 'authRequired':
      sendJson(res, 401, openAiErrorBody(apiTokenRequiredMessage));
      return undefined;
    case 'modelCrash':
      if (fault.variant === 'http500') {
        sendJson(res, 500, { error: modelCrashedMessage });
        return undefined;
      }
      return { interruption: { afterChunks: 0, then: 'sseError', errorMessage: modelCrashedMessage } };
    case 'loadFailure':
      sendJson(res, 400, openAiErrorBody(loadFailureMessage(model), 'model'));
      return undefined;
    case 'unknownRoute':
      sendJson(res, 200, { error: unexpectedEndpointMessage(req.method ?? 'GET', req.url ?? '/') });
      return undefined;
  }
}

function contextOverflow(
  fault: Extract<StandInFault, { kind: 'contextOverflow' }>,
  context: FaultContext,
): FaultEffect | undefined {
  const contextLength = fault.contextLength ?? context.contextLength;
  const promptTokens = fault.promptTokens ?? Math.max(context.promptTokens, contextLength + 1);
  switch (fault.variant ?? 'sseError') {
    case 'plainString':
      sendJson(context.res, 400, { error: olderOverflowMessage(contextLength) });
      return undefined;
    case 'emptyStream':
      return { emptyContent: true };
    case 'midGeneration':
      return { interruption: { afterChunks: 2, then: 'sseError', errorMessage: reachedContextMessage(contextLength) } };
    case 'sseError':
      return {
        interruption: {
          afterChunks: 0,
          then: 'sseError',
          errorMessage: inputDoesNotFitMessage(promptTokens, contextLength),
        },
      };
  }
}
