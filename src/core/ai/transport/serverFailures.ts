import { LlmError, type LlmErrorDetails } from '../llmError';
import { lmStudioSettingNames as names } from './lmStudioSettings';
import type { TransportContext } from './transportContext';

type Details = LlmErrorDetails;

/** The server answered but failed: a crash, a load failure, a broken stream, or a URL that is not the API. */
export const serverFailures = {
  wrongEndpoint(context: TransportContext, details: Details = {}): LlmError {
    return new LlmError(
      'serverError',
      `${context.baseUrl} does not serve the OpenAI-compatible API (the server answered "${details.serverMessage ?? 'unexpected endpoint'}").`,
      `Set ${names.baseUrl} to LM Studio's server address ending in /v1, for example http://127.0.0.1:1234/v1.`,
      details,
    );
  },

  serverError(context: TransportContext, details: Details = {}): LlmError {
    const what = details.serverMessage
      ? `: ${details.serverMessage}`
      : details.status
        ? ` (HTTP ${details.status})`
        : '';
    return new LlmError(
      'serverError',
      `LM Studio failed to answer${what}`,
      `Check LM Studio's Developer log, reload the model (\`lms load ${context.model || '<model>'}\`) and try again.`,
      details,
    );
  },

  modelCrashed(context: TransportContext, details: Details = {}): LlmError {
    return new LlmError(
      'serverError',
      `${context.model || 'The model'} crashed in LM Studio.`,
      `It may not fit in memory: reload it with a smaller context (\`lms load ${context.model || '<model>'} ` +
        "--context-length 8192`) or pick a smaller quantization; LM Studio's Developer log has the details.",
      details,
    );
  },

  loadFailed(context: TransportContext, details: Details = {}): LlmError {
    return new LlmError(
      'serverError',
      `LM Studio could not load ${context.model || 'the model'}.`,
      'Usually there is not enough memory: close other models (`lms unload --all`), pick a smaller model or ' +
        `quantization, or load it with a smaller context (\`lms load ${context.model || '<model>'} --context-length 8192\`).`,
      details,
    );
  },

  streamBroken(context: TransportContext, details: Details = {}, cause?: unknown): LlmError {
    return new LlmError(
      'serverError',
      `The connection to LM Studio at ${context.baseUrl} closed in the middle of the reply.`,
      "LM Studio or the model stopped while answering: check LM Studio's Developer log, then run the request again.",
      details,
      { cause },
    );
  },
};
