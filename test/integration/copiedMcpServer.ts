import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/**
 * The server's address and bearer token as a user gets them, from Copy MCP Configuration's HTTP entry: the token
 * is not part of the extension's API.
 */
export async function copiedHttpServer(): Promise<{ url: string; token: string }> {
  const text = await vscode.commands.executeCommand<string | undefined>('openspecLoop.copyMcpConfig', 'http');
  const parsed = JSON.parse(text ?? '{}') as {
    servers?: Record<string, { url?: string; headers?: Record<string, string> }>;
  };
  const entry = parsed.servers?.['openspec-loop'];
  const token = /^Bearer (.+)$/.exec(entry?.headers?.['Authorization'] ?? '')?.[1];
  assert.ok(entry?.url && token, `Copy MCP Configuration gave no HTTP entry: ${text}`);
  return { url: entry.url, token };
}
