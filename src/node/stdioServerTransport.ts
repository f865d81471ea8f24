import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../core/errorMessage';

/** The largest message a client may send on stdin; a longer line is answered with an error and skipped. */
export const MAX_STDIO_MESSAGE_BYTES = 16 * 1024 * 1024;

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

/**
 * MCP over stdio, one JSON-RPC message per line, for a client that may misbehave. The SDK's transport closes
 * (and the server exits 0, silently) on a line over 10 MB, and answers nothing to a line that is not JSON or not
 * JSON-RPC. Here every bad line gets the JSON-RPC error it calls for and the server keeps serving: an oversized
 * line is skipped as it streams in (its bytes are never held), unparsable JSON gets -32700, anything else that is
 * not a message -32600, and a request other than ping before `initialize` is refused.
 */
export class StdioServerTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onerror?: Transport['onerror'];
  onclose?: Transport['onclose'];

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  private initialized = false;
  private closed = false;

  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
    private readonly maxMessageBytes = MAX_STDIO_MESSAGE_BYTES,
  ) {}

  start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once('drain', resolve);
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    if (this.input.listenerCount('data') === 0) this.input.pause();
    this.pending = [];
    this.onclose?.();
    return Promise.resolve();
  }

  private readonly onInputError = (error: Error): void => {
    this.onerror?.(error);
  };

  private readonly onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    while (start <= bytes.length) {
      const newline = bytes.indexOf(0x0a, start);
      const piece = bytes.subarray(start, newline === -1 ? bytes.length : newline);
      this.take(piece);
      if (newline === -1) return;
      this.endLine();
      start = newline + 1;
    }
  };

  private take(piece: Buffer): void {
    if (this.skipping || piece.length === 0) return;
    if (this.pendingBytes + piece.length > this.maxMessageBytes) {
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
      this.replyError(
        null,
        INVALID_REQUEST,
        `Invalid Request: a message over ${this.maxMessageBytes} bytes; it was not read. Send smaller arguments.`,
      );
      return;
    }
    this.pending.push(piece);
    this.pendingBytes += piece.length;
  }

  private endLine(): void {
    const line = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '');
    this.pending = [];
    this.pendingBytes = 0;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (line.trim() !== '') this.receive(line);
  }

  private receive(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      this.replyError(null, PARSE_ERROR, `Parse error: ${errorMessage(error)}`);
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.replyError(
        idOf(value),
        INVALID_REQUEST,
        'Invalid Request: not a JSON-RPC 2.0 request, notification or response.',
      );
      return;
    }
    const message = parsed.data;
    if ('method' in message && 'id' in message) {
      if (message.method === 'initialize') this.initialized = true;
      else if (!this.initialized && message.method !== 'ping') {
        this.replyError(message.id, INVALID_REQUEST, `Invalid Request: send "initialize" before "${message.method}".`);
        return;
      }
    }
    this.onmessage?.(message);
  }

  private replyError(id: string | number | null, code: number, message: string): void {
    // JSON-RPC answers an unidentifiable request with id null, which the SDK's message types do not model.
    this.output.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`);
  }
}

function idOf(value: unknown): string | number | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
