import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  completionBody,
  streamCompletion,
  waitOrClientGone,
  type CompletionPlan,
  type PlannedToolCall,
} from './completionWriter';
import { applyFault, type FaultEffect } from './faultResponses';
import { sendJson } from './httpJson';
import {
  inputDoesNotFitMessage,
  invalidModelMessage,
  noModelsLoadedMessage,
  openAiErrorBody,
  responseFormatMessage,
} from './lmStudioMessages';
import type { RecordedChatRequest, StandInFault, StandInModel, StandInReply, StandInToolCall } from './standInTypes';

export interface ChatRouteState {
  readonly models: readonly StandInModel[];
  readonly justInTime: boolean;
  readonly chunkDelayMs: number;
  nextReply(request: RecordedChatRequest): StandInReply;
  markLoaded(id: string): void;
}

/** A rough token count (4 characters a token plus a few per message), as the stand-in's usage reports it. */
export function estimatePromptTokens(messages: RecordedChatRequest['messages']): number {
  return messages.reduce((sum, message) => sum + Math.ceil(String(message.content ?? '').length / 4) + 4, 0);
}

/** Word-sized pieces: each streamed delta carries one word with its leading space. */
export function sliceIntoChunks(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

export async function handleChat(
  req: IncomingMessage,
  res: ServerResponse,
  body: RecordedChatRequest,
  fault: StandInFault | undefined,
  state: ChatRouteState,
): Promise<void> {
  const requested = typeof body.model === 'string' ? body.model : '';
  const named = state.models.find((model) => model.id === requested);
  const loaded = state.models.filter((model) => model.loaded && model.type !== 'embeddings');
  const target = named ?? loaded[0];
  const promptTokens = estimatePromptTokens(body.messages ?? []);
  const contextLength = target?.contextLength ?? 4096;

  let effect: FaultEffect = {};
  if (fault) {
    const altered = applyFault(fault, {
      req,
      res,
      model: requested || target?.id || 'unknown',
      promptTokens,
      contextLength,
    });
    if (!altered) return;
    effect = altered;
  }
  if (body.response_format?.type === 'json_object') {
    return sendJson(res, 400, { error: responseFormatMessage });
  }
  if (loaded.length === 0 && !(state.justInTime && named)) {
    return sendJson(res, 400, openAiErrorBody(noModelsLoadedMessage, 'model'));
  }
  if (!target || (requested && !named) || (!target.loaded && !state.justInTime)) {
    return sendJson(res, 400, openAiErrorBody(invalidModelMessage(requested), 'model', 'model_not_found'));
  }
  if (!target.loaded) state.markLoaded(target.id);
  if (promptTokens > target.contextLength && !effect.interruption) {
    effect = {
      ...effect,
      interruption: {
        afterChunks: 0,
        then: 'sseError',
        errorMessage: inputDoesNotFitMessage(promptTokens, target.contextLength),
      },
    };
  }

  if (effect.delayMs !== undefined) {
    await waitOrClientGone(res, Number.isFinite(effect.delayMs) ? effect.delayMs : undefined);
    if (res.destroyed || res.writableEnded) return;
  }
  const plan = planCompletion(body, state, target.id, promptTokens, effect);
  if (body.stream) return streamCompletion(res, plan);
  return sendWhole(res, plan);
}

function planCompletion(
  body: RecordedChatRequest,
  state: ChatRouteState,
  model: string,
  promptTokens: number,
  effect: FaultEffect,
): CompletionPlan {
  const raw = state.nextReply(body);
  const reply = typeof raw === 'string' ? { content: raw } : raw;
  const contentChunks = effect.emptyContent ? [] : (reply.chunks ?? sliceIntoChunks(reply.content ?? ''));
  const toolCalls = effect.emptyContent ? [] : plannedToolCalls(reply.toolCalls ?? []);
  return {
    model,
    reasoningChunks: effect.emptyContent ? [] : sliceIntoChunks(reply.reasoning ?? ''),
    reasoningField: reply.reasoningField ?? 'reasoning_content',
    contentChunks,
    toolCalls,
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    promptTokens,
    includeUsage: body.stream_options?.include_usage === true,
    chunkDelayMs: state.chunkDelayMs,
    interruption: effect.interruption,
  };
}

let toolCallCounter = 0;

function plannedToolCalls(calls: readonly StandInToolCall[]): PlannedToolCall[] {
  return calls.map((call) => ({
    id: call.id ?? `call_${++toolCallCounter}`,
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
}

/** A non-streamed request gets the same faults in their whole-response form. */
async function sendWhole(res: ServerResponse, plan: CompletionPlan): Promise<void> {
  const interruption = plan.interruption;
  if (interruption?.then === 'destroy') {
    res.socket?.destroy();
    return;
  }
  if (interruption?.then === 'sseError') {
    return sendJson(res, 400, openAiErrorBody(interruption.errorMessage ?? 'Unknown error'));
  }
  if (interruption?.then === 'pause') await waitOrClientGone(res, interruption.pauseMs);
  if (res.destroyed) return;
  sendJson(res, 200, completionBody(plan));
}
