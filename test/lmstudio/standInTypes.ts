/** A model the stand-in pretends to have downloaded. */
export interface StandInModel {
  readonly id: string;
  readonly loaded: boolean;
  readonly contextLength: number;
  /** 'llm' unless said otherwise; 'embeddings' models are listed but cannot chat. */
  readonly type?: 'llm' | 'vlm' | 'embeddings';
}

/** What the stand-in answers a chat request with. A plain string is the content. */
export type StandInReply =
  | string
  | {
      readonly content?: string;
      /** Streamed before the content as `reasoning_content` deltas (or `reasoning`, see below). */
      readonly reasoning?: string;
      readonly reasoningField?: 'reasoning_content' | 'reasoning';
      /** Exact content chunks, overriding the default slicing (to split `<think>` tags on purpose). */
      readonly chunks?: readonly string[];
      /**
       * Tool calls streamed after any content as `delta.tool_calls` pieces (id and name first, then the
       * arguments in slices); `arguments` that is not a string is sent as its JSON. The finish reason
       * becomes 'tool_calls' unless set.
       */
      readonly toolCalls?: readonly StandInToolCall[];
      readonly finishReason?: 'stop' | 'length' | 'tool_calls';
    };

export interface StandInToolCall {
  readonly id?: string;
  readonly name: string;
  readonly arguments: string | Record<string, unknown>;
}

/** A chat message as the stand-in received it (this project's client always sends string content). */
export interface RecordedChatMessage {
  readonly role: string;
  readonly content: string;
  readonly tool_call_id?: string;
  readonly tool_calls?: ReadonlyArray<{ id: string; type: string; function: { name: string; arguments: string } }>;
}

/** A tool definition as the client sent it. */
export interface RecordedTool {
  readonly type: string;
  readonly function: { name: string; description?: string; parameters?: unknown };
}

/** The parsed body of a chat completion request, as the stand-in received it. */
export interface RecordedChatRequest {
  readonly model?: string;
  readonly messages: readonly RecordedChatMessage[];
  readonly stream?: boolean;
  readonly stream_options?: { include_usage?: boolean };
  readonly response_format?: { type: string; json_schema?: { name?: string; strict?: boolean; schema?: unknown } };
  readonly max_tokens?: number;
  readonly temperature?: number;
  readonly tools?: readonly RecordedTool[];
  readonly tool_choice?: unknown;
  readonly [key: string]: unknown;
}

export type StandInFault =
  /** The socket is destroyed before any response: the client sees a connection error. */
  | { readonly kind: 'refused' }
  /** Any HTTP error status with an OpenAI error object (500, 503, 408, 409...). */
  | { readonly kind: 'httpError'; readonly status: number; readonly message?: string }
  /** 429 with a `retry-after` header in seconds. */
  | { readonly kind: 'rateLimited'; readonly retryAfterSeconds?: number }
  /** 'badRequest' (400, current), 'notFound' (404, older), 'plainString' (`{"error":"..."}`). */
  | { readonly kind: 'noModelLoaded'; readonly variant?: 'badRequest' | 'notFound' | 'plainString' }
  | { readonly kind: 'modelNotFound'; readonly model?: string }
  /**
   * 'sseError' (200 stream then `event: error`, current), 'plainString' (400, older), 'emptyStream'
   * (200 stream with no content deltas), 'midGeneration' (a few chunks then `Reached context length`).
   */
  | {
      readonly kind: 'contextOverflow';
      readonly variant?: 'sseError' | 'plainString' | 'emptyStream' | 'midGeneration';
      readonly promptTokens?: number;
      readonly contextLength?: number;
    }
  /** Streams `afterChunks` content chunks, then destroys the socket. */
  | { readonly kind: 'crashMidStream'; readonly afterChunks?: number }
  /** Sends nothing (not even headers) for `ms`, then answers normally; without `ms`, until the client gives up. */
  | { readonly kind: 'stall'; readonly ms?: number }
  /** Streams `afterChunks` chunks, then goes silent for `ms` (or until the client gives up). */
  | { readonly kind: 'pauseMidStream'; readonly afterChunks?: number; readonly ms?: number }
  | { readonly kind: 'authRequired' }
  /** The model process dies: 'sseError' (200 then `event: error`, default) or 'http500'. */
  | { readonly kind: 'modelCrash'; readonly variant?: 'sseError' | 'http500' }
  /** 400 `Failed to load model "x". Error: Error loading model.` */
  | { readonly kind: 'loadFailure' }
  /** Answers as LM Studio does for a path it does not serve: HTTP 200 `{"error":"Unexpected endpoint..."}`. */
  | { readonly kind: 'unknownRoute' };

export interface FaultOptions {
  /** How many requests the fault applies to; default 1, `Infinity` until `clearFaults()`. */
  readonly times?: number;
  /** Which requests it applies to: chat completions (default), the model lists, or any route. */
  readonly route?: 'chat' | 'models' | 'any';
}
