import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** What the SDK's McpError puts before its message; every client puts it there again when it reads the error. */
const CODE_PREFIX = /^(?:MCP error -?\d+: )+/;

/**
 * Sends error answers without the "MCP error <code>: " the SDK writes into their messages: the code travels in
 * its own field, and the client adds that prefix itself, so agents read "MCP error -32602: Invalid arguments…"
 * once instead of twice.
 */
export function sendPlainErrorMessages<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(withPlainError(message), options);
  return transport;
}

function withPlainError(message: JSONRPCMessage): JSONRPCMessage {
  if (!('error' in message) || !CODE_PREFIX.test(message.error.message)) return message;
  return { ...message, error: { ...message.error, message: message.error.message.replace(CODE_PREFIX, '') } };
}
