/**
 * The seam between the AI features (review, improve, the loop) and the model server.
 * Everything above this interface is plain text and JSON; everything below it speaks
 * LM Studio's OpenAI-compatible protocol. Failures cross it only as `LlmError`.
 */

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** A JSON Schema the server constrains the reply to (`response_format: json_schema`). */
export interface JsonSchemaFormat {
  readonly name: string;
  readonly schema: Record<string, unknown>;
}

export interface GenerationProgress {
  /** 'waiting' until the first token arrives: LM Studio sends nothing while it processes the prompt. */
  readonly phase: 'waiting' | 'generating';
  readonly tokens: number;
  readonly tokensPerSecond: number;
  readonly elapsedMs: number;
}

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  readonly jsonSchema?: JsonSchemaFormat;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: GenerationProgress) => void;
}

export interface ChatUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface ChatReply {
  /** The answer with any `<think>` block or reasoning removed. */
  readonly content: string;
  /** What the model reasoned before answering, kept for the log. */
  readonly reasoning: string;
  readonly model: string;
  readonly finishReason: string | undefined;
  readonly usage: ChatUsage | undefined;
}

export interface ChatModel {
  /** The model identifier requests are sent with. */
  readonly id: string;
  /** Context window in tokens when the server reports it. */
  readonly contextLength: number | undefined;
  chat(request: ChatRequest): Promise<ChatReply>;
}
