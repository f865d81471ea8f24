/** The texts LM Studio answers with, as users have reported them. */

export const noModelsLoadedMessage =
  "No models loaded. Please load a model in the developer page or use the 'lms load' command.";

export function invalidModelMessage(model: string): string {
  return `Invalid model identifier "${model}". Please specify a valid downloaded model (i.e. qwen2.5-7b-instruct).`;
}

export function inputDoesNotFitMessage(promptTokens: number, contextLength: number): string {
  return (
    `Input does not fit in context length. The input has ${promptTokens} tokens, ` +
    `but the context length only supports ${contextLength} tokens.`
  );
}

export function olderOverflowMessage(contextLength: number): string {
  return (
    'Trying to keep the first 5120 tokens when context the overflows. However, the model is loaded with ' +
    `context length of only ${contextLength} tokens, which is not enough. Try to load the model with a larger ` +
    'context length, or provide a shorter input'
  );
}

export function reachedContextMessage(contextLength: number): string {
  return (
    `Reached context length of ${contextLength} tokens with model (arch: qwen2) that does not currently ` +
    'support mid-generation context overflow. Try reloading with a larger context length or shortening the ' +
    'prompt/chat.'
  );
}

export const modelCrashedMessage =
  'The model has crashed without additional information. (Exit code: 18446744072635812000)';

export function loadFailureMessage(model: string): string {
  return `Failed to load model "${model}". Error: Error loading model.`;
}

export const apiTokenRequiredMessage =
  'An LM Studio API token is required to make requests to this server. Provide one in the Authorization ' +
  'header as a Bearer token, or turn off "Require Authentication" in the server settings.';

export const responseFormatMessage = "'response_format.type' must be 'json_schema' or 'text'";

export function unexpectedEndpointMessage(method: string, path: string): string {
  return `Unexpected endpoint or method. (${method} ${path})`;
}

/** The OpenAI-style error body LM Studio uses for most request errors. */
export function openAiErrorBody(message: string, param: string | null = null, code: string | null = null) {
  return { error: { message, type: 'invalid_request_error', param, code } };
}
