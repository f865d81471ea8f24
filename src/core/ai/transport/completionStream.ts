import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatUsage, ToolCall } from '../chatModel';
import { ThinkFilter } from './thinkFilter';

/** The reasoning fields LM Studio adds to deltas: `reasoning_content`, or `reasoning` for gpt-oss. */
type LmStudioDelta = ChatCompletionChunk.Choice.Delta & {
  reasoning_content?: string | null;
  reasoning?: string | null;
};

export interface CollectedStream {
  readonly content: string;
  readonly reasoning: string;
  readonly model: string | undefined;
  readonly finishReason: string | undefined;
  readonly usage: ChatUsage | undefined;
  readonly toolCalls: readonly ToolCall[];
}

/**
 * Reads a chat completion stream to the end, calling `onToken` for every delta that carried text (answer or
 * reasoning or a piece of a tool call), and separates the reasoning: the delta fields plus any `<think>` block
 * inside the content. Tool calls arrive in pieces keyed by `index`: the first carries the id and name, the rest
 * append to the arguments.
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
  const toolCalls = new ToolCallAccumulator();
  for await (const chunk of stream) {
    model = chunk.model || model;
    if (chunk.usage)
      usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta as LmStudioDelta;
    const thought = delta.reasoning_content ?? delta.reasoning ?? '';
    reasoning += thought;
    if (delta.content) think.push(delta.content);
    const toolDeltas = delta.tool_calls ?? [];
    toolCalls.add(toolDeltas);
    if (thought || delta.content || toolDeltas.length > 0) onToken();
    finishReason = choice.finish_reason ?? finishReason;
  }
  const split = think.end();
  return {
    content: split.content,
    reasoning: [reasoning.trim(), split.reasoning].filter(Boolean).join('\n'),
    model,
    finishReason,
    usage,
    toolCalls: toolCalls.calls(),
  };
}

class ToolCallAccumulator {
  private readonly byIndex = new Map<number, { id: string; name: string; arguments: string }>();

  add(deltas: readonly ChatCompletionChunk.Choice.Delta.ToolCall[]): void {
    for (const delta of deltas) {
      // Some servers leave out `index` when they send one call at a time.
      const index = typeof delta.index === 'number' ? delta.index : Math.max(0, this.byIndex.size - 1);
      let call = this.byIndex.get(index);
      if (!call) {
        call = { id: '', name: '', arguments: '' };
        this.byIndex.set(index, call);
      }
      if (delta.id) call.id = delta.id;
      const name = delta.function?.name;
      // Servers that repeat the whole name in every piece must not double it.
      if (name && name !== call.name) call.name += name;
      call.arguments += delta.function?.arguments ?? '';
    }
  }

  calls(): ToolCall[] {
    return [...this.byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, call]) => call.name !== '')
      .map(([index, call]) => ({ id: call.id || `call_${index}`, name: call.name, arguments: call.arguments }));
  }
}
