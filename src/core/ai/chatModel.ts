/**
 * The seam between the AI features (review, improve, the loop) and the model server.
 * Everything above this interface is plain text and JSON; everything below it speaks
 * LM Studio's OpenAI-compatible protocol. Failures cross it only as `LlmError`.
 */

/** A plain turn: instructions, the user's text, or a model answer. */
export interface TextChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** A tool the model may call, in OpenAI's function format; `parameters` is a JSON Schema object. */
export interface ToolDefinition {
  /** Must match `^[a-zA-Z0-9_-]{1,64}$`. */
  readonly name: string;
  readonly description: string;
  readonly parameters: Record<string, unknown>;
}

/** A call the model asked for; `arguments` is the JSON text exactly as the model wrote it (it may not parse). */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** The model's turn that asked for tool calls, replayed so the next request shows what it asked. */
export interface AssistantToolCallMessage {
  readonly role: 'assistant';
  readonly content: string;
  readonly toolCalls?: readonly ToolCall[];
}

/** The result of one tool call, answering the call with the same id. */
export interface ToolResultMessage {
  readonly role: 'tool';
  readonly toolCallId: string;
  readonly content: string;
}

export type ChatMessage = TextChatMessage | AssistantToolCallMessage | ToolResultMessage;

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
  /** Tools offered to the model; an empty list is the same as none. */
  readonly tools?: readonly ToolDefinition[];
  /** Sent only with tools: 'none' forbids calls, 'required' demands one. */
  readonly toolChoice?: 'auto' | 'none' | 'required';
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
  /** Present (non-empty) only when the model asked for tool calls instead of, or besides, answering. */
  readonly toolCalls?: readonly ToolCall[];
}

export interface ChatModel {
  /** The model identifier requests are sent with. */
  readonly id: string;
  /** Context window in tokens when the server reports it. */
  readonly contextLength: number | undefined;
  chat(request: ChatRequest): Promise<ChatReply>;
}
