import type { ChatModel } from '../chatModel';
import { isLlmError } from '../llmError';
import { MESSAGE_OVERHEAD_TOKENS } from '../tokenEstimate';
import type { Logger } from '../../logger';
import { PromptTooLargeError } from './packPrompt';

/**
 * LM Studio's own default context length. When the server does not say what is loaded, packing assumes it:
 * a short prompt on a large context costs a few trimmed main specs; an optimistic guess costs a failed request.
 */
export const DEFAULT_CONTEXT_TOKENS = 4096;

/** What one attempt packs for: the context to fill and the share of it to use. */
export interface ContextFit {
  readonly contextLength: number;
  readonly trimFactor: number;
}

/** The budget share the one retry after a context overflow packs into. */
export const OVERFLOW_RETRY_FACTOR = 0.6;

/** Room left for the answer: a quarter of the context, between 1k and 4k tokens. */
export function answerReserve(contextLength: number): number {
  return Math.min(4096, Math.max(1024, Math.floor(contextLength / 4)));
}

/** Tokens the prompt's parts may use: the context minus the answer, the chat template and `fixed` extra text. */
export function promptBudget(fit: ContextFit, reserve: number, fixedTokens = 0): number {
  return Math.max(0, fit.contextLength - reserve - fixedTokens - 2 * MESSAGE_OVERHEAD_TOKENS);
}

/**
 * Runs `attempt` once for the model's context, and once more at 60% of the budget when the server says the
 * prompt overflowed (using the context length the server reported, when it did). A prompt that cannot be
 * packed at all is not retried: a smaller budget cannot help it.
 */
export async function withOverflowRetry<T>(
  model: ChatModel,
  attempt: (fit: ContextFit) => Promise<T>,
  logger?: Logger,
): Promise<T> {
  const contextLength = model.contextLength ?? DEFAULT_CONTEXT_TOKENS;
  try {
    return await attempt({ contextLength, trimFactor: 1 });
  } catch (error) {
    if (!isLlmError(error) || error.reason !== 'contextOverflow' || error instanceof PromptTooLargeError) throw error;
    const reported = error.details.contextLength;
    logger?.warn(
      `The prompt did not fit the model's context (${error.message}); retrying with a prompt packed to 60% of the budget.`,
    );
    return attempt({ contextLength: reported ?? contextLength, trimFactor: OVERFLOW_RETRY_FACTOR });
  }
}
