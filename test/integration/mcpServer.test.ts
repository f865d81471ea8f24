import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import { waitFor } from '../harness/poll';

const EXTENSION_ID = 'openspec-loop.openspec-loop';

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as Array<{ type: string; text?: string }>).map((part) => part.text ?? '').join('\n');
}

/** True on VS Code 1.101 and later, where extensions can hand their MCP servers to agent mode. */
function hostHasMcpProviders(): boolean {
  const [major = 0, minor = 0] = vscode.version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 101);
}

describe('MCP server in the window', function () {
  this.timeout(30_000);
  let api: OpenSpecLoopApi;
  let client: Client | undefined;

  before(async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    const http = await waitFor(() => api.mcpServer.http, 'the MCP server to listen', 10_000);
    const connected = new Client({ name: 'integration-test', version: '1.0.0' });
    await connected.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${http.token}` } } }));
    client = connected;
  });

  const call = (name: string, args: Record<string, unknown>) => {
    assert.ok(client, 'not connected');
    return client.callTool({ name, arguments: args });
  };

  after(async () => {
    await client?.close();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('answers list_changes to a client holding the advertised token', async () => {
    const result = await call('list_changes', {});
    assert.notEqual(result.isError, true, textOf(result));
    assert.match(textOf(result), /add-farewell/);
  });

  it('tells agent mode about itself exactly where VS Code has the API', () => {
    assert.equal(api.mcpServer.registeredWithAgentMode, hostHasMcpProviders(), `VS Code ${vscode.version}`);
  });

  it('writes an agent\'s task change as an undoable edit of the open tasks.md', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const tasks = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'openspec/changes/add-farewell/tasks.md'));
    await vscode.window.showTextDocument(tasks);
    const before = tasks.getText();
    const line = before.split('\n').findIndex((text) => text.startsWith('- [ ]'));
    assert.ok(line >= 0);
    const result = await call('set_task_status', { change: 'add-farewell', line: line + 1, done: true });
    assert.notEqual(result.isError, true, textOf(result));
    assert.match(tasks.lineAt(line).text, /^- \[x\]/);
    await vscode.commands.executeCommand('undo');
    assert.equal(tasks.getText(), before, 'one Undo takes the agent\'s edit back');
    await tasks.save();
  });

  it('copies a configuration other MCP clients can use', async () => {
    const http = JSON.parse((await vscode.commands.executeCommand<string>('openspecLoop.copyMcpConfig', 'http')) ?? '{}') as { servers: Record<string, { url: string; headers: Record<string, string> }> };
    assert.equal(http.servers['openspec-loop']?.url, api.mcpServer.http?.url);
    assert.equal(http.servers['openspec-loop']?.headers['Authorization'], `Bearer ${api.mcpServer.http?.token}`);
    const stdio = JSON.parse((await vscode.commands.executeCommand<string>('openspecLoop.copyMcpConfig', 'stdio')) ?? '{}') as { servers: Record<string, { args: string[] }> };
    assert.deepEqual(stdio.servers['openspec-loop']?.args.slice(1, 3), ['mcp', '--workspace']);
  });
});
