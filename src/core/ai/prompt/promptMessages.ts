import type { ChatMessage } from '../chatModel';
import type { PackedPrompt } from './packPrompt';

/**
 * The packed parts as a chat: instructions as the system message, the documents as the user message, and
 * the task last, where small models attend to it best.
 */
export function promptMessages(packed: PackedPrompt, task: string): ChatMessage[] {
  const system = packed.parts.filter((part) => part.kind === 'instructions').map((part) => part.text);
  const documents = packed.parts.filter((part) => part.kind !== 'instructions').map((part) => part.text);
  return [
    { role: 'system', content: system.join('\n\n') },
    { role: 'user', content: [...documents, task].join('\n\n') },
  ];
}
