import * as assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { silentLogger } from '../../../../src/core/logger';
import { startMcpHttpServer, type McpHttpServer } from '../../../../src/node/mcpHttpServer';
import { connect } from 'node:net';

/** A one-tool server: what this suite tests is the HTTP front door, not the OpenSpec tools behind it. */
function echoServer(): McpServer {
  const server = new McpServer({ name: 'echo', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its text', inputSchema: { text: z.string() } }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
}

interface RawAnswer {
  status: number;
  body: string;
}

function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});

describe('MCP over Streamable HTTP on 127.0.0.1', () => {
  let server: McpHttpServer;
  const accept = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

  before(async () => {
    server = await startMcpHttpServer({ createServer: echoServer, logger: silentLogger });
  });

  after(async () => {
    await server.close();
  });

  it('serves an SDK client that sends the bearer token', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { Authorization: `Bearer ${server.token}` } },
      }),
    );
    const tools = await client.listTools();
    assert.deepEqual(
      tools.tools.map((tool) => tool.name),
      ['echo'],
    );
    const result = await client.callTool({ name: 'echo', arguments: { text: 'hello' } });
    assert.deepEqual(result.content, [{ type: 'text', text: 'hello' }]);
    await client.close();
  });

  it('answers 401 without the token or with a wrong one', async () => {
    assert.equal((await raw(server.url, { headers: accept, body: INITIALIZE })).status, 401);
    assert.equal(
      (await raw(server.url, { headers: { ...accept, Authorization: 'Bearer wrong' }, body: INITIALIZE })).status,
      401,
    );
    const client = new Client({ name: 'test', version: '1.0.0' });
    await assert.rejects(client.connect(new StreamableHTTPClientTransport(new URL(server.url))));
  });

  it('takes the scheme of the token in any case, as HTTP does (bearer, BEARER)', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const headers = { ...accept, Authorization: `${scheme} ${server.token}` };
      assert.equal((await raw(server.url, { headers, body: INITIALIZE })).status, 200, scheme);
    }
  });

  it('closes a connection whose request headers do not arrive in time', async () => {
    const slow = await startMcpHttpServer({ createServer: echoServer, logger: silentLogger, headersTimeoutMs: 300 });
    try {
      const socket = connect(Number(new URL(slow.url).port), '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      // The request line and one header, then nothing: a client holding the socket open.
      socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      await closed;
      assert.match(answer, /^HTTP\/1\.1 408/);
    } finally {
      await slow.close();
    }
  });

  it('answers 403 to a foreign Host or Origin, even with the token (DNS rebinding)', async () => {
    const auth = { ...accept, Authorization: `Bearer ${server.token}` };
    assert.equal(
      (await raw(server.url, { headers: { ...auth, Host: 'evil.example:80' }, body: INITIALIZE })).status,
      403,
    );
    assert.equal(
      (await raw(server.url, { headers: { ...auth, Origin: 'http://evil.example' }, body: INITIALIZE })).status,
      403,
    );
    const port = new URL(server.url).port;
    assert.equal(
      (await raw(server.url, { headers: { ...auth, Origin: `http://127.0.0.1:${port}` }, body: INITIALIZE })).status,
      200,
    );
  });

  it('refuses malformed and oversized requests with a JSON-RPC error, and keeps serving', async () => {
    const auth = { ...accept, Authorization: `Bearer ${server.token}` };
    const malformed = await raw(server.url, { headers: auth, body: '{"jsonrpc": "2.0", "method": ' });
    assert.equal(malformed.status, 400);
    assert.equal((JSON.parse(malformed.body) as { error: { code: number } }).error.code, -32700);
    assert.equal((await raw(server.url, { headers: auth, body: 'x'.repeat(5 * 1024 * 1024) })).status, 413);
    assert.equal((await raw(server.url, { method: 'GET', headers: auth })).status, 405);
    assert.equal((await raw(server.url.replace('/mcp', '/other'), { headers: auth, body: INITIALIZE })).status, 404);
    assert.equal((await raw(server.url, { headers: auth, body: INITIALIZE })).status, 200, 'still serving');
  });
});
