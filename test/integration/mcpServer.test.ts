import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RestoreCommandResult } from '../../src/extension/archive/registerArchive';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import { waitFor } from '../harness/poll';
import { copiedHttpServer } from './copiedMcpServer';

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
    await waitFor(() => api.mcpServer.http, 'the MCP server to listen', 10_000);
    const http = await copiedHttpServer();
    const connected = new Client({ name: 'integration-test', version: '1.0.0' });
    await connected.connect(
      new StreamableHTTPClientTransport(new URL(http.url), {
        requestInit: { headers: { Authorization: `Bearer ${http.token}` } },
      }),
    );
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

  it("writes an agent's task change as an undoable edit of the open tasks.md", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const tasks = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(folder.uri, 'openspec/changes/add-farewell/tasks.md'),
    );
    await vscode.window.showTextDocument(tasks);
    const before = tasks.getText();
    const line = before.split('\n').findIndex((text) => text.startsWith('- [ ]'));
    assert.ok(line >= 0);
    const result = await call('set_task_status', { change: 'add-farewell', line: line + 1, done: true });
    assert.notEqual(result.isError, true, textOf(result));
    assert.match(tasks.lineAt(line).text, /^- \[x\]/);
    await vscode.commands.executeCommand('undo');
    assert.equal(tasks.getText(), before, "one Undo takes the agent's edit back");
    await tasks.save();
  });

  it("records an agent's archive_change, so Restore Archived Change takes it back byte for byte", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const spec = vscode.Uri.joinPath(folder.uri, 'openspec/specs/greeting/spec.md');
    const before = new TextDecoder().decode(await vscode.workspace.fs.readFile(spec));
    const result = await call('archive_change', { change: 'add-farewell' });
    assert.notEqual(result.isError, true, textOf(result));
    const archivedAs = (result.structuredContent as { archive: { archivedAs: string } }).archive.archivedAs;
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(spec)), /Requirement: Say farewell/);

    const restored = await vscode.commands.executeCommand<RestoreCommandResult | undefined>(
      'openspecLoop.restoreArchivedChange',
      { changeId: archivedAs, folder: api.models.folders[0]?.root },
    );
    assert.deepEqual(restored, { change: 'add-farewell', reverted: ['greeting'], needsLook: [] });
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(spec)), before);
    await waitFor(
      () => api.models.folders[0]?.workspace.changes.some((change) => change.id === 'add-farewell'),
      'the model to list add-farewell again',
      15_000,
    );
  });

  it('copies a configuration other MCP clients can use, and keeps its token out of the API', async () => {
    const http = await copiedHttpServer();
    assert.equal(http.url, api.mcpServer.http?.url);
    assert.deepEqual(Object.keys(api.mcpServer.http ?? {}), ['url'], 'other extensions see the address only');
    const clipboard = JSON.parse(await vscode.env.clipboard.readText()) as {
      servers: Record<string, { headers: Record<string, string> }>;
    };
    assert.equal(clipboard.servers['openspec-loop']?.headers['Authorization'], `Bearer ${http.token}`);
    const stdio = JSON.parse(
      (await vscode.commands.executeCommand<string>('openspecLoop.copyMcpConfig', 'stdio')) ?? '{}',
    ) as { servers: Record<string, { args: string[] }> };
    assert.deepEqual(stdio.servers['openspec-loop']?.args.slice(1, 3), ['mcp', '--workspace']);
  });
  it('serves agents nothing a symbolic link leads to outside openspec/, while the editor follows it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const marker = 'WOMBAT-OUTSIDE-91C2';
    const outside = mkdtempSync(join(tmpdir(), 'openspec-loop-outside-'));
    const link = join(folder.uri.fsPath, 'openspec', 'changes', 'add-farewell', 'design.md');
    writeFileSync(join(outside, 'design.md'), `# Design ${marker}\n\n## Context\nSecret ${marker}.\n`);
    symlinkSync(join(outside, 'design.md'), link);
    try {
      const farewell = () => api.models.folders[0]?.workspace.changes.find((change) => change.id === 'add-farewell');
      await waitFor(() => farewell()?.design?.text.includes(marker), 'the editor to read the linked design', 10_000);
      assert.ok(client, 'not connected');
      const prompt = await client.getPrompt({ name: 'review-change', arguments: { change: 'add-farewell' } });
      assert.ok(!JSON.stringify(prompt).includes(marker), JSON.stringify(prompt));
      assert.ok(JSON.stringify(prompt).includes('openspec/changes/add-farewell/proposal.md'));
      const change = await call('get_change', { change: 'add-farewell' });
      assert.notEqual(change.isError, true, textOf(change));
      assert.ok(!JSON.stringify(change).includes(marker), textOf(change));
      assert.deepEqual((change.structuredContent as { unreadable?: unknown }).unreadable, [
        {
          path: 'openspec/changes/add-farewell/design.md',
          reason: 'a symbolic link leading outside openspec/',
        },
      ]);
    } finally {
      rmSync(link, { force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  // Last in this file: it replaces the server the other tests talk to.
  it('stops when turned off and starts one new server when turned on, however many model changes arrive meanwhile', async () => {
    const settings = () => vscode.workspace.getConfiguration('openspecLoop.mcp');
    const listening = () =>
      (process as unknown as { _getActiveHandles(): unknown[] })
        ._getActiveHandles()
        .filter((handle) => handle instanceof Server && handle.listening).length;
    const old = await copiedHttpServer();
    const serversBefore = listening();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const scratch = vscode.Uri.joinPath(folder.uri, 'openspec/changes/mcp-restart/proposal.md');
    try {
      await settings().update('server.enabled', false, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.mcpServer.http === undefined, 'the MCP server to stop', 10_000);
      await api.mcpServer.settled();
      assert.equal(listening(), serversBefore - 1, 'the server was closed');
      await assert.rejects(
        fetch(old.url, { method: 'POST', headers: { Authorization: `Bearer ${old.token}` } }),
        'the old address refuses connections',
      );

      await settings().update('server.enabled', true, vscode.ConfigurationTarget.Global);
      // Model changes while the new server binds: each asks for a start.
      for (let round = 0; round < 5; round++) {
        await vscode.workspace.fs.writeFile(scratch, new TextEncoder().encode(`## Why\nRound ${round}.\n`));
      }
      await waitFor(() => api.mcpServer.http, 'the MCP server to start again', 10_000);
      await waitFor(
        () => api.models.folders[0]?.workspace.changes.some((change) => change.id === 'mcp-restart'),
        'the model to see the new change',
        10_000,
      );
      await api.mcpServer.settled();
      assert.equal(listening(), serversBefore, 'exactly one server listens again');
      const fresh = await copiedHttpServer();
      assert.notEqual(fresh.token, old.token);
      const restarted = new Client({ name: 'integration-test-restart', version: '1.0.0' });
      await restarted.connect(
        new StreamableHTTPClientTransport(new URL(fresh.url), {
          requestInit: { headers: { Authorization: `Bearer ${fresh.token}` } },
        }),
      );
      try {
        assert.match(textOf(await restarted.callTool({ name: 'list_changes', arguments: {} })), /mcp-restart/);
      } finally {
        await restarted.close();
      }
    } finally {
      await settings().update('server.enabled', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, 'openspec/changes/mcp-restart'), {
        recursive: true,
      });
      await waitFor(
        () => !api.models.folders[0]?.workspace.changes.some((change) => change.id === 'mcp-restart'),
        'the model to drop the change',
        10_000,
      );
    }
  });
});
