import { ErrorCode, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** Largest text a single field of a tool answer carries; agents pay for every byte in their context. */
export const MAX_TEXT_BYTES = 200 * 1024;

/** A refusal the agent can act on (a bad id, a path outside openspec/, writing not allowed). */
export class ToolRefusal extends Error {
  override readonly name = 'ToolRefusal';
  /** A prompt or resource that refuses answers with this JSON-RPC code (invalid params), not as an internal error. */
  readonly code = ErrorCode.InvalidParams;
}

/**
 * Cuts `text` to at most `limit` UTF-8 bytes on a character boundary and says so at the end, so an agent never
 * mistakes a shortened file for the whole one.
 */
export function boundText(text: string, limit = MAX_TEXT_BYTES): string {
  const size = Buffer.byteLength(text, 'utf8');
  if (size <= limit) return text;
  let cut = Buffer.from(text, 'utf8').subarray(0, limit).toString('utf8');
  // A multi-byte character split by the cut decodes to U+FFFD: drop it.
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return `${cut}\n\n[truncated: ${Buffer.byteLength(cut, 'utf8')} of ${size} bytes shown]`;
}

/** A successful answer: the structured value, and the same as JSON text for clients that read text only. */
export function structuredResult(value: Record<string, unknown>, text?: string): CallToolResult {
  return { content: [{ type: 'text', text: text ?? JSON.stringify(value, null, 2) }], structuredContent: value };
}

export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
