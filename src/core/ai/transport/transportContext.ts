/** What the transport knows when a request fails, so messages can name the URL, the model and the sizes. */
export interface TransportContext {
  readonly baseUrl: string;
  readonly model?: string;
  readonly contextLength?: number;
  /** Estimated prompt size, for when the server does not say it. */
  readonly promptTokens?: number;
  readonly apiKeySet?: boolean;
  readonly firstTokenTimeoutMs?: number;
  readonly availableModels?: readonly string[];
}
