import type { ChatRequest } from '../chatModel';
import type { LlmError } from '../llmError';
import { loadCommandFor } from './contextOverflow';
import type { TransportContext } from './transportContext';
import { transportErrors } from './transportErrors';

export interface FinishedStream {
  readonly content: string;
  readonly reasoning: string;
  readonly finishReason: string | undefined;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Share of the context a prompt must fill before an empty or cut-off reply is blamed on the context. */
const fullContextShare = 0.8;

/**
 * Reads the failures LM Studio reports only by what it leaves out:
 * - `finish_reason: 'length'` when the caller set no `maxTokens` (or the reply stopped short of it) means the
 *   context filled up, unless the known context is clearly not full (then a server-side reply limit cut
 *   it, and the reply is returned as is with its finish reason);
 * - an empty answer after a prompt filling at least 80% of the known context is a context overflow (some
 *   builds report it that way); an empty answer otherwise is bad output, worded by whether the model only
 *   reasoned, or whether the context is unknown (then the hint offers both explanations).
 */
export function checkFinishedStream(
  stream: FinishedStream,
  request: ChatRequest,
  context: TransportContext,
): LlmError | undefined {
  const { contextLength } = context;
  const used = stream.promptTokens + stream.completionTokens;
  const nearlyFull = (tokens: number) => contextLength !== undefined && tokens >= contextLength * fullContextShare;
  const overflow = () =>
    transportErrors.contextOverflow(
      context,
      { promptTokens: stream.promptTokens, contextLength },
      {
        serverMessage: `finish_reason ${stream.finishReason ?? 'none'} after ${stream.completionTokens} tokens`,
      },
    );

  if (stream.finishReason === 'length') {
    const cappedByCaller = request.maxTokens !== undefined && stream.completionTokens >= request.maxTokens;
    if (!cappedByCaller && (contextLength === undefined || nearlyFull(used))) return overflow();
  }
  if (stream.content.trim() !== '') return undefined;
  if (stream.reasoning.trim() !== '') {
    return transportErrors.badOutput(
      context,
      'reasoned but gave no answer',
      request.maxTokens !== undefined
        ? `Raise the reply limit (now ${request.maxTokens} tokens) or pick a model that thinks less.`
        : 'Run the request again, or pick a model that thinks less.',
      { serverMessage: `finish_reason ${stream.finishReason ?? 'none'}` },
    );
  }
  if (nearlyFull(stream.promptTokens)) return overflow();
  const model = context.model || '<model>';
  const hint =
    contextLength === undefined
      ? `Run the request again; if the prompt (about ${stream.promptTokens} tokens) may not fit, reload the model ` +
        `with more context: \`${loadCommandFor(model, stream.promptTokens + 2048)}\`.`
      : 'Run the request again; if it keeps happening, pick another model in LM Studio.';
  return transportErrors.badOutput(context, 'returned an empty reply', hint, {
    serverMessage: `finish_reason ${stream.finishReason ?? 'none'}, no content`,
  });
}
