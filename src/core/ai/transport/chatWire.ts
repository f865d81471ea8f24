import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { ChatMessage, ChatRequest } from '../chatModel';

/** A chat message in the OpenAI wire format: tool calls and tool results keep their ids so they pair up. */
export function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant':
      if ('toolCalls' in message && message.toolCalls && message.toolCalls.length > 0) {
        return {
          role: 'assistant',
          content: message.content,
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        };
      }
      return { role: 'assistant', content: message.content };
    default:
      return { role: message.role, content: message.content };
  }
}

type ToolFields = Pick<ChatCompletionCreateParamsStreaming, 'tools' | 'tool_choice'>;

/** `tools` and `tool_choice`, or nothing: servers reject a `tool_choice` that comes without tools. */
export function toolFieldsFor(request: ChatRequest): ToolFields {
  if (!request.tools || request.tools.length === 0) return {};
  return {
    tools: request.tools.map((tool) => ({
      type: 'function' as const,
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    })),
    ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
  };
}
