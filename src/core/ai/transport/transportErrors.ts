import { LlmError, type LlmErrorDetails } from '../llmError';
import { loadCommandFor, neededTokensFor, type OverflowFigures } from './contextOverflow';
import { lmStudioSettingNames as names } from './lmStudioSettings';
import { serverFailures } from './serverFailures';
import type { TransportContext } from './transportContext';

type Details = LlmErrorDetails;
const startServer = "Start LM Studio's local server (Developer tab → Start server, or `lms server start`)";

/** Each failure with a one-line message and a hint naming the exact thing to do. */
export const transportErrors = {
  ...serverFailures,
  unreachable(context: TransportContext, details: Details = {}, cause?: unknown): LlmError {
    return new LlmError(
      'unreachable',
      `Cannot reach LM Studio at ${context.baseUrl}.`,
      `${startServer} and check the ${names.baseUrl} setting (now ${context.baseUrl}).`,
      details,
      { cause },
    );
  },

  noModelLoaded(context: TransportContext, details: Details = {}): LlmError {
    const model = context.model || '<model>';
    return new LlmError(
      'noModelLoaded',
      'LM Studio has no model loaded.',
      `Load a model in LM Studio (Developer tab → Select a model to load) or run \`lms load ${model}\`; ` +
        "turning on just-in-time model loading in LM Studio's server settings also works.",
      details,
    );
  },

  modelNotFound(context: TransportContext, details: Details = {}): LlmError {
    const available = context.availableModels ?? [];
    const choices = available.length > 0 ? `one of: ${available.join(', ')}` : 'a model listed by `lms ls`';
    return new LlmError(
      'modelNotFound',
      `LM Studio has no model "${context.model ?? ''}" at ${context.baseUrl}.`,
      `Set ${names.model} to ${choices} (or leave it empty to use the loaded model), ` +
        `or download and load it: \`lms get ${context.model ?? '<model>'}\`, then \`lms load ${context.model ?? '<model>'}\`.`,
      details,
    );
  },

  contextOverflow(context: TransportContext, figures: OverflowFigures, details: Details = {}): LlmError {
    const model = context.model || '<model>';
    const promptTokens = figures.promptTokens ?? context.promptTokens;
    const contextLength = figures.contextLength ?? context.contextLength;
    const sizes =
      promptTokens !== undefined && contextLength !== undefined
        ? ` (about ${promptTokens} tokens; the model is loaded with ${contextLength})`
        : contextLength !== undefined
          ? ` (the model is loaded with ${contextLength} tokens)`
          : '';
    // Our own estimate is rough: when the server named only the context, ask for at least twice that.
    const needed =
      figures.promptTokens !== undefined
        ? (neededTokensFor({ promptTokens: figures.promptTokens }) ?? 16_384)
        : Math.max(
            neededTokensFor({ promptTokens: context.promptTokens ?? 0 }) ?? 0,
            neededTokensFor({ contextLength }) ?? 16_384,
          );
    return new LlmError(
      'contextOverflow',
      `The request does not fit in ${model}'s context window${sizes}.`,
      `Reload the model with a larger context: \`${loadCommandFor(model, needed)}\` (or raise Context Length in ` +
        "LM Studio's load settings), or shorten the input.",
      { ...details, promptTokens, contextLength },
    );
  },

  firstTokenTimeout(context: TransportContext, timeoutMs: number, details: Details = {}): LlmError {
    return new LlmError(
      'timeout',
      `${context.model || 'The model'} sent no token within ${seconds(timeoutMs)}.`,
      'LM Studio may still be loading the model or reading the prompt (CPU-only models can take minutes): ' +
        `raise ${names.firstTokenTimeoutMs} (now ${timeoutMs}), use a smaller model, or enable GPU offload.`,
      details,
    );
  },

  idleTimeout(context: TransportContext, timeoutMs: number, details: Details = {}): LlmError {
    return new LlmError(
      'timeout',
      `${context.model || 'The model'} stopped sending tokens for ${seconds(timeoutMs)}.`,
      `Check LM Studio's Developer log; if the model is just slow, raise ${names.idleTimeoutMs} (now ${timeoutMs}).`,
      details,
    );
  },

  rateLimited(context: TransportContext, details: Details = {}): LlmError {
    const wait = details.retryAfterSeconds !== undefined ? `${details.retryAfterSeconds} s` : 'a moment';
    return new LlmError(
      'rateLimited',
      `The server at ${context.baseUrl} is turning requests away (HTTP 429).`,
      `Wait ${wait} and run the request again; if a proxy sits in front of LM Studio, raise its rate limit.`,
      details,
    );
  },

  authRequired(context: TransportContext, details: Details = {}): LlmError {
    const fix = context.apiKeySet
      ? `The token set with ${names.apiToken} was refused: set a current one from LM Studio (Developer → Server Settings → Manage Tokens)`
      : `Create an API token in LM Studio (Developer → Server Settings → Manage Tokens) and set it with ${names.apiToken}`;
    return new LlmError(
      'authRequired',
      `LM Studio at ${context.baseUrl} requires an API token.`,
      `${fix}, or turn off "Require Authentication" in LM Studio's server settings.`,
      details,
    );
  },

  badOutput(context: TransportContext, problem: string, hint: string, details: Details = {}): LlmError {
    return new LlmError('badOutput', `${context.model || 'The model'} ${problem}.`, hint, details);
  },

  cancelled(cause?: unknown): LlmError {
    return new LlmError(
      'cancelled',
      'The request was cancelled.',
      'Nothing to do: run it again when you want the answer.',
      {},
      { cause },
    );
  },
};

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
