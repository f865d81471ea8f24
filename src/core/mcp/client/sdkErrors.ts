/**
 * The SDK's error classes, for toolCallOutcome to load at the first failed call. They are imported here, not
 * required there by package name: a bundler resolves a `require` of the package to its CommonJS build, whose classes
 * are not the ones the client (imported as ES modules) throws, and `instanceof` would never match.
 */
export { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
export { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
