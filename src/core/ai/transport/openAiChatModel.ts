import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ChatModel, ChatReply, ChatRequest } from '../chatModel';
import type { LlmError } from '../llmError';
import { silentLogger, type Logger } from '../../logger';
import { estimateTokens } from '../tokenEstimate';
import { toLlmError } from './errorClassification';
import { placeholderApiKey, type LmStudioSettings } from './lmStudioSettings';
import type { ResolvedModel } from './modelCatalog';
import { ProgressReporter } from './progressReporter';
import { collectStream } from './completionStream';
import { toolFieldsFor, toWireMessage } from './chatWire';
import { checkFinishedStream } from './replyChecks';
import type { FetchFunction } from './restClient';
import { readUnstreamedAnswer } from './unstreamedAnswer';
import { StreamWatchdog } from './streamWatchdog';
import type { TransportContext } from './transportContext';
import { transportErrors } from './transportErrors';

export interface OpenAiChatModelOptions {
  readonly settings: LmStudioSettings;
  readonly model: ResolvedModel;
  readonly logger?: Logger;
  readonly fetch?: FetchFunction;
  readonly now?: () => number;
  /** How often 'waiting' progress repeats while the prompt is processed; default 1000 ms. */
  readonly progressIntervalMs?: number;
}

/** One streamed chat completion per `chat()` call through the openai client, with no retries of its own. */
export class OpenAiChatModel implements ChatModel {
  readonly id: string;
  readonly contextLength: number | undefined;
  private readonly client: OpenAI;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(private readonly options: OpenAiChatModelOptions) {
    const { settings, model } = options;
    this.id = model.id;
    this.contextLength = model.contextLength;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.client = new OpenAI({
      baseURL: settings.baseUrl,
      apiKey: settings.apiKey ?? placeholderApiKey,
      maxRetries: 0,
      // A backstop only: the watchdog ends waits for the first token, and this covers the headers alone.
      timeout: Math.ceil(settings.firstTokenTimeoutMs) + 1000,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async chat(request: ChatRequest): Promise<ChatReply> {
    const { settings } = this.options;
    const promptChars = request.messages.reduce((sum, message) => sum + message.content.length, 0);
    const context: TransportContext = {
      baseUrl: settings.baseUrl,
      model: this.id,
      contextLength: this.contextLength,
      promptTokens: estimateTokens(request.messages.map((message) => message.content).join('')),
      apiKeySet: settings.apiKey !== undefined,
      firstTokenTimeoutMs: settings.firstTokenTimeoutMs,
    };
    this.logger.info(
      `LM Studio request to ${this.id} at ${settings.baseUrl}: ${request.messages.length} messages, ${promptChars} chars ` +
        `(~${context.promptTokens} tokens)${request.jsonSchema ? `, json_schema "${request.jsonSchema.name}"` : ''}` +
        (request.tools?.length ? `, ${request.tools.length} tools (tool_choice ${request.toolChoice ?? 'auto'})` : ''),
    );
    if (request.signal?.aborted) throw transportErrors.cancelled(request.signal.reason);
    const watchdog = new StreamWatchdog(
      { firstTokenMs: settings.firstTokenTimeoutMs, idleMs: settings.idleTimeoutMs },
      request.signal,
    );
    const progress = new ProgressReporter(request.onProgress, this.now, this.options.progressIntervalMs ?? 1000);
    try {
      const reply = await this.stream(request, context, watchdog, progress);
      this.logger.info(
        `LM Studio reply from ${reply.model}: ${progress.tokenCount} tokens in ${(progress.elapsedMs / 1000).toFixed(1)} s ` +
          `(first token after ${((progress.timeToFirstTokenMs ?? 0) / 1000).toFixed(1)} s, ${progress.tokensPerSecond} tokens/s), ` +
          `finish ${reply.finishReason ?? 'none'}`,
      );
      return reply;
    } catch (error) {
      const failure = this.failureOf(error, watchdog, context);
      this.logger.warn(
        `LM Studio request failed (${failure.reason}) after ${progress.tokenCount} tokens: ` +
          `${failure.details.serverMessage ?? failure.message}`,
      );
      throw failure;
    } finally {
      watchdog.dispose();
      progress.dispose();
    }
  }

  private async stream(
    request: ChatRequest,
    context: TransportContext,
    watchdog: StreamWatchdog,
    progress: ProgressReporter,
  ): Promise<ChatReply> {
    const { data: stream, response } = await this.client.chat.completions
      .create(this.bodyFor(request), { signal: watchdog.signal })
      .withResponse();
    if (!/event-stream/i.test(response.headers.get('content-type') ?? '')) {
      return readUnstreamedAnswer(response, context);
    }
    const collected = await collectStream(stream, () => {
      watchdog.tokenArrived();
      progress.token();
    });
    // An abort makes the openai stream end quietly rather than throw.
    if (watchdog.verdict) throw watchdog.signal.reason;
    // A reply that only asks for tool calls has no content by design.
    const problem =
      collected.toolCalls.length > 0
        ? undefined
        : checkFinishedStream(
            {
              ...collected,
              promptTokens: collected.usage?.promptTokens ?? context.promptTokens ?? 0,
              completionTokens: collected.usage?.completionTokens ?? progress.tokenCount,
            },
            request,
            context,
          );
    if (problem) throw problem;
    const { content, reasoning, finishReason, usage, toolCalls } = collected;
    return {
      content,
      reasoning,
      model: collected.model ?? this.id,
      finishReason,
      usage,
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
    };
  }

  private bodyFor(request: ChatRequest): ChatCompletionCreateParamsStreaming {
    return {
      model: this.id,
      messages: request.messages.map(toWireMessage),
      stream: true,
      stream_options: { include_usage: true },
      ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.jsonSchema
        ? {
            response_format: {
              type: 'json_schema' as const,
              json_schema: { name: request.jsonSchema.name, strict: true, schema: request.jsonSchema.schema },
            },
          }
        : {}),
      ...toolFieldsFor(request),
    };
  }

  /** The watchdog's verdict wins: an abort it caused surfaces from openai as a user abort or a quiet end. */
  private failureOf(error: unknown, watchdog: StreamWatchdog, context: TransportContext): LlmError {
    const { settings } = this.options;
    switch (watchdog.verdict) {
      case 'firstTokenTimeout':
        return transportErrors.firstTokenTimeout(context, settings.firstTokenTimeoutMs);
      case 'idleTimeout':
        return transportErrors.idleTimeout(context, settings.idleTimeoutMs);
      case 'cancelled':
        return transportErrors.cancelled(error);
      default:
        return toLlmError(error, context);
    }
  }
}
