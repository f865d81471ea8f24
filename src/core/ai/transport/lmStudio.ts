/**
 * What the rest of the product uses to talk to LM Studio: `connectLmStudio` finds the model and returns a
 * ChatModel whose requests stream through the openai client and retry transient failures that happen
 * before the first token; `probeServer` feeds the status bar.
 */
import type { ChatModel, ChatReply, ChatRequest } from '../chatModel';
import type { Logger } from '../../logger';
import { resolveModel, type ResolvedModel } from './modelCatalog';
import { OpenAiChatModel } from './openAiChatModel';
import type { FetchFunction } from './restClient';
import { withRetry, type RetryOptions } from './retryPolicy';
import type { LmStudioSettings } from './lmStudioSettings';

export { defaultLmStudioSettings, lmStudioSettingNames, normalizeLmStudioSettings } from './lmStudioSettings';
export type { LmStudioSettings } from './lmStudioSettings';
export { listModels, probeServer, resolveModel } from './modelCatalog';
export type { CatalogModel, ModelCatalog, ResolvedModel, ServerStatus } from './modelCatalog';
export { loadCommandFor } from './contextOverflow';

export interface LmStudioConnectOptions {
  readonly logger: Logger;
  readonly fetch?: FetchFunction;
  /** Cancels the model lookup. */
  readonly signal?: AbortSignal;
  /** Backoff tuning and a clock for tests; the number of retries comes from the settings. */
  readonly retry?: Omit<RetryOptions, 'retries' | 'signal' | 'onRetry'>;
  /** How often 'waiting' progress repeats while LM Studio reads the prompt; default 1000 ms. */
  readonly progressIntervalMs?: number;
}

/** Resolves the model (the configured one, else the loaded one) and returns a retrying ChatModel for it. */
export async function connectLmStudio(settings: LmStudioSettings, options: LmStudioConnectOptions): Promise<ChatModel> {
  const model = await resolveModel(settings, {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  options.logger.info(
    `LM Studio at ${settings.baseUrl}: using ${model.id}` +
      (model.contextLength !== undefined ? ` (context ${model.contextLength} tokens)` : '') +
      (settings.model ? '' : ' (the loaded model)'),
  );
  return createLmStudioChatModel(settings, model, options);
}

/** A retrying ChatModel for a model already resolved (say, picked from `probeServer`'s list). */
export function createLmStudioChatModel(
  settings: LmStudioSettings,
  model: ResolvedModel,
  options: LmStudioConnectOptions,
): ChatModel {
  const inner = new OpenAiChatModel({
    settings,
    model,
    logger: options.logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
  });
  return new RetryingChatModel(inner, settings.maxRetries, options);
}

class RetryingChatModel implements ChatModel {
  readonly id: string;
  readonly contextLength: number | undefined;

  constructor(
    private readonly inner: ChatModel,
    private readonly retries: number,
    private readonly options: LmStudioConnectOptions,
  ) {
    this.id = inner.id;
    this.contextLength = inner.contextLength;
  }

  chat(request: ChatRequest): Promise<ChatReply> {
    const { logger } = this.options;
    return withRetry(
      (attempt) =>
        this.inner.chat({
          ...request,
          onProgress: (progress) => {
            if (progress.phase === 'generating') attempt.markFirstToken();
            request.onProgress?.(progress);
          },
        }),
      {
        ...this.options.retry,
        retries: this.retries,
        ...(request.signal ? { signal: request.signal } : {}),
        onRetry: ({ attempt, error, delayMs }) =>
          logger.warn(
            `LM Studio attempt ${attempt} of ${this.retries + 1} failed (${error.reason}); retrying in ${delayMs} ms`,
          ),
      },
    );
  }
}
