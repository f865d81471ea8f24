// The SDK's Streamable HTTP server transport, in a module of its own so that mcpHttpServer.ts can load it (and
// the web stack under it) at the first request rather than when the server starts listening.
export { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
