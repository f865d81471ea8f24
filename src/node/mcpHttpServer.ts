import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '../core/logger';
import { sendPlainErrorMessages } from '../core/mcp/server/plainErrorMessages';

/** Requests larger than this are refused before parsing: MCP messages from agents are small. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MCP_PATH = '/mcp';

export interface McpHttpOptions {
  /** A fresh server per request: the stateless Streamable HTTP mode needs one server and transport each. */
  readonly createServer: () => McpServer;
  readonly logger: Logger;
  /** Defaults to 0: an ephemeral port. */
  readonly port?: number;
  /** Defaults to 32 random bytes. */
  readonly token?: string;
  /** How long a client may take to send its request headers; defaults to 10 s. */
  readonly headersTimeoutMs?: number;
}

export interface McpHttpServer {
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Our MCP server over Streamable HTTP on 127.0.0.1 only, for agents on this machine (VS Code's agent mode and
 * any client given the token). Every request must carry `Authorization: Bearer <token>`; the Host header must
 * name the loopback address and an Origin, when a browser sends one, must be loopback too, so a web page the
 * user visits cannot reach the server through DNS rebinding.
 */
/** How long a client may take to send its request headers, and its whole request. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

export async function startMcpHttpServer(options: McpHttpOptions): Promise<McpHttpServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const server = createServer(
    // Node checks these deadlines only this often (30 s by default), so the check runs as often as they need.
    { connectionsCheckingInterval: Math.min(headersTimeout, 1000) },
    (request, response) => void handle(request, response),
  );
  // A client that opens a socket and dribbles its request must not hold it for Node's defaults (60 s for the
  // headers, 300 s for the body): local agents send both at once. Responses (event streams) are not bounded.
  server.headersTimeout = headersTimeout;
  server.requestTimeout = Math.max(REQUEST_TIMEOUT_MS, headersTimeout);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refusal = refuse(request, port, token);
    if (refusal) {
      options.logger.warn(
        `MCP HTTP: ${refusal.status} for ${request.method ?? ''} ${request.url ?? ''}: ${refusal.message}`,
      );
      sendJson(
        response,
        refusal.status,
        { jsonrpc: '2.0', error: { code: -32000, message: refusal.message }, id: null },
        refusal.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
      );
      return;
    }
    if (request.method !== 'POST') {
      // Stateless: no session to stream to or end, so only POST means anything.
      sendJson(
        response,
        405,
        {
          jsonrpc: '2.0',
          error: { code: -32000, message: 'Method not allowed: this server is stateless, use POST.' },
          id: null,
        },
        { Allow: 'POST' },
      );
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      const tooLarge = error instanceof BodyTooLarge;
      sendJson(response, tooLarge ? 413 : 400, {
        jsonrpc: '2.0',
        error: { code: -32700, message: tooLarge ? 'Request too large.' : 'Parse error: the body is not JSON.' },
        id: null,
      });
      return;
    }
    const mcp = options.createServer();
    const transport = new (streamableHttp().StreamableHTTPServerTransport)({ sessionIdGenerator: undefined });
    response.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    try {
      await mcp.connect(sendPlainErrorMessages(transport));
      await transport.handleRequest(request, response, body);
    } catch (error) {
      options.logger.error('MCP HTTP request failed', error);
      if (!response.headersSent)
        sendJson(response, 500, {
          jsonrpc: '2.0',
          error: { code: -32603, message: 'Internal server error' },
          id: null,
        });
    }
  }

  return {
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    token,
    close: () => closeServer(server),
  };
}

/*
 * The SDK's transport and the web stack under it are loaded at the first request that gets this far, not when the
 * server starts listening at activation: setting them up held the extension host's thread for some 30 ms.
 */
const streamableHttp = (): typeof import('./streamableHttpTransport') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at listen
  require('./streamableHttpTransport') as typeof import('./streamableHttpTransport');

function refuse(
  request: IncomingMessage,
  port: number,
  token: string,
): { status: number; message: string } | undefined {
  const path = (request.url ?? '').split('?')[0];
  if (path !== MCP_PATH) return { status: 404, message: `Not found: the MCP endpoint is ${MCP_PATH}.` };
  const host = request.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
    return { status: 403, message: 'Forbidden: unexpected Host header.' };
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
    return { status: 403, message: 'Forbidden: requests from other origins are refused.' };
  }
  const presented = /^Bearer +(.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  if (!sameSecret(presented, token))
    return {
      status: 401,
      message: 'Unauthorized: send Authorization: Bearer <token> (OpenSpec: Copy MCP Configuration gives it).',
    };
  return undefined;
}

function sameSecret(presented: string, token: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is drained unread, so the 413 can still be sent on the same connection.
      if (size > MAX_BODY_BYTES) reject(new BodyTooLarge());
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
