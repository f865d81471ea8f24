import type { ChatModel } from '../../ai/chatModel';
import type { ToolContext } from './toolContext';
import { ToolRefusal } from './toolResults';

/** The local model, or a refusal saying the AI tools are not set up on this server. */
export async function acquireModel(context: ToolContext, signal: AbortSignal): Promise<ChatModel> {
  const connect = context.options.connectModel;
  if (!connect) {
    throw new ToolRefusal('The AI tools are not configured: this server has no local model (LM Studio) to ask.');
  }
  return connect(signal);
}
