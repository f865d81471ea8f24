import type { ChatModel, ChatReply, ChatRequest } from '../../ai/chatModel';
import { chatWithTools, type ToolLoopOptions } from './toolLoop';
import { allowedTools } from './toolPolicy';

/**
 * A ChatModel that lets the model call the allowed MCP tools before it answers, so review and improve use
 * the user's MCP servers without knowing about them. While tools are on offer the answer is not constrained
 * by the JSON-schema grammar (it would leave the model no way to write a tool call); the schema still reaches
 * the model in the prompt, and the caller validates the answer (with its repair round) as always.
 */
export function withMcpTools(model: ChatModel, options: Omit<ToolLoopOptions, 'signal'>): ChatModel {
  return {
    id: model.id,
    contextLength: model.contextLength,
    async chat(request: ChatRequest): Promise<ChatReply> {
      if (request.tools || allowedTools(options.hub, options.policy).definitions.length === 0)
        return model.chat(request);
      const unconstrained: ChatRequest = { ...request, jsonSchema: undefined };
      const result = await chatWithTools(model, unconstrained, {
        ...options,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return result.reply;
    },
  };
}
