import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { createOpenSpecMcpServer, type OpenSpecMcpOptions } from '../../../../src/core/mcp/server/openSpecMcpServer';
import { REPO_ROOT } from '../../../harness/repoPaths';

export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface StdioSession {
  readonly client: Client;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/**
 * `openspec-loop mcp` from the bundle, in a child process, with a real SDK client on its stdio. `launcher`
 * runs it through another command first (`setpriv ...`), as `launcher[0] ...launcher node dist/cli.js mcp`.
 */
export async function startStdioServer(
  workspace: string,
  extraArgs: readonly string[] = [],
  launcher: readonly string[] = [],
): Promise<StdioSession> {
  const [command, ...prefix] = [...launcher, process.execPath];
  const transport = new StdioClientTransport({
    command,
    args: [...prefix, CLI, 'mcp', '--workspace', workspace, ...extraArgs],
    env: { ...getDefaultEnvironment(), NO_COLOR: '1' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'openspec-loop-test', version: '0.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** The same server in this process over a linked in-memory transport pair. */
export async function connectInProcess(
  options: OpenSpecMcpOptions,
): Promise<{ client: Client; close(): Promise<void> }> {
  const server = createOpenSpecMcpServer(options);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'openspec-loop-test', version: '0.0.0' });
  await client.connect(clientSide);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured answer of a call that must succeed. */
export async function callOk<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<T> {
  const result = await callTool(client, name, args);
  assert.notEqual(result.isError, true, `${name} failed: ${textOf(result)}`);
  assert.ok(textOf(result).length > 0, `${name} returned no text content`);
  return result.structuredContent as T;
}

/** A call that must come back as a tool error; returns its message. */
export async function callRefused(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await callTool(client, name, args);
  assert.equal(result.isError, true, `${name} should have been refused: ${textOf(result)}`);
  return textOf(result);
}

export function textOf(result: CallToolResult): string {
  return result.content
    .filter((part) => part.type === 'text')
    .map((part) => (part as { text: string }).text)
    .join('\n');
}
