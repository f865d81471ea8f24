import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatUsage } from '../chatModel';
import { ThinkFilter } from './thinkFilter';

/** The reasoning fields LM Studio adds to deltas: `reasoning_content`, or `reasoning` for gpt-oss. */
type LmStudioDelta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string | null; reasoning?: string | null };

export interface CollectedStream {
  readonly content: string;
  readonly reasoning: string;
  readonly model: string | undefined;
  readonly finishReason: string | undefined;
  readonly usage: ChatUsage | undefined;
}

/**
 * Reads a chat completion stream to the end, calling `onToken` for every delta that carried text (answer or
 * reasoning), and separates the reasoning: the delta fields plus any `<think>` block inside the content.
 */
export async function collectStream(
  stream: AsyncIterable<ChatCompletionChunk>,
  onToken: () => void,
): Promise<CollectedStream> {
  const think = new ThinkFilter();
  let reasoning = '';
  let finishReason: string | undefined;
  let usage: ChatUsage | undefined;
  let model: string | undefined;
  for await (const chunk of stream) {
    model = chunk.model || model;
    if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta as LmStudioDelta;
    const thought = delta.reasoning_content ?? delta.reasoning ?? '';
    reasoning += thought;
    if (delta.content) think.push(delta.content);
    if (thought || delta.content) onToken();
    finishReason = choice.finish_reason ?? finishReason;
  }
  const split = think.end();
  return {
    content: split.content,
    reasoning: [reasoning.trim(), split.reasoning].filter(Boolean).join('\n'),
    model,
    finishReason,
    usage,
  };
}
