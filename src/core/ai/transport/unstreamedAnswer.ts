import type { ChatReply } from '../chatModel';
import { fromServerAnswer } from './errorClassification';
import { errorMessageIn } from './restClient';
import { splitThinking } from './thinkFilter';
import type { TransportContext } from './transportContext';
import { transportErrors } from './transportErrors';

interface CompletionBody {
  readonly model?: string;
  readonly choices?: ReadonlyArray<{
    readonly message?: {
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: ReadonlyArray<{ id?: string; function?: { name?: string; arguments?: string } }>;
    };
    readonly finish_reason?: string | null;
  }>;
  readonly usage?: { prompt_tokens: number; completion_tokens: number };
}

/**
 * A streamed request answered with plain JSON. LM Studio does this for a path it does not serve (HTTP 200
 * `{"error":"Unexpected endpoint or method..."}`, typically a base URL without `/v1`); a server that ignores
 * `stream` would send a whole completion, which is accepted.
 */
export async function readUnstreamedAnswer(response: Response, context: TransportContext): Promise<ChatReply> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw transportErrors.wrongEndpoint(context, { status: response.status, serverMessage: text.slice(0, 200) });
  }
  const error = errorMessageIn(body);
  if (error !== undefined) throw fromServerAnswer(error, response.status, context);
  const completion = body as CompletionBody;
  const choice = completion.choices?.[0];
  if (!choice?.message) {
    throw transportErrors.wrongEndpoint(context, { status: response.status, serverMessage: text.slice(0, 200) });
  }
  const split = splitThinking(choice.message.content ?? '');
  const separate = choice.message.reasoning_content ?? choice.message.reasoning ?? '';
  const toolCalls = (choice.message.tool_calls ?? [])
    .filter((call) => call.function?.name)
    .map((call, index) => ({
      id: call.id || `call_${index}`,
      name: call.function?.name ?? '',
      arguments: call.function?.arguments ?? '',
    }));
  return {
    content: split.content,
    reasoning: [separate.trim(), split.reasoning].filter(Boolean).join('\n'),
    model: completion.model ?? context.model ?? '',
    finishReason: choice.finish_reason ?? undefined,
    usage: completion.usage
      ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }
      : undefined,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}
