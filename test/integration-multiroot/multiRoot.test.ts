import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import type { ExplorerNode } from '../../src/extension/explorer/explorerNodes';
import { ExplorerTreeProvider } from '../../src/extension/explorer/explorerTreeProvider';
import { waitFor } from '../harness/poll';
import { LmStudioStandIn } from '../lmstudio/standIn';
import { copiedHttpServer } from '../integration/copiedMcpServer';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
/** Delta specs whose requirement has no scenario: `openspec validate` reports each in the Problems panel. */
const BETA_DELTA = 'openspec/changes/add-csv-export/specs/export/spec.md';
const GAMMA_DELTA = 'openspec/changes/add-archive-search/specs/search/spec.md';

const IMPROVED_PROPOSAL = `## Why
Sessions end abruptly; users asked for a closing message that mirrors the greeting.

## What Changes
- Add a farewell message shown for three seconds when a session ends.

## Capabilities
### New Capabilities
- None

### Modified Capabilities
- \`greeting\`: adds a farewell when the session ends.

## Impact
- Session lifecycle code.
`;

interface Listed {
  readonly folder?: string;
  readonly id: string;
}

function workspaceFolder(name: string): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.name === name);
  assert.ok(folder, `the workspace has a folder ${name}`);
  return folder;
}

/** The `openspec validate` findings the Problems panel shows for a file. */
function validationProblems(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'openspec');
}

async function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'multi-root-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  );
  return client;
}

async function callOk<T>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  assert.notEqual(result.isError, true, `${name} failed: ${text}`);
  return result.structuredContent as T;
}

async function treeLabels(provider: ExplorerTreeProvider, node?: ExplorerNode): Promise<string[]> {
  const children = await provider.getChildren(node);
  return children.map((child) => {
    const label = provider.getTreeItem(child).label;
    return typeof label === 'string' ? label : (label?.label ?? '');
  });
}

describe('multi-root workspace', function () {
  this.timeout(60_000);
  let api: OpenSpecLoopApi;
  let lmStudio: LmStudioStandIn;
  let client: Client;

  before(async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await waitFor(() => api.models.folders.length === 2, 'the models of alpha and beta', 20_000);
    await waitFor(() => api.mcpServer.http, 'the MCP server to listen', 10_000);
    const http = await copiedHttpServer();
    client = await connect(http.url, http.token);
    lmStudio = await LmStudioStandIn.start();
    lmStudio.setReplyHandler((request) =>
      request.response_format?.json_schema?.name === 'openspec_review'
        ? JSON.stringify({ findings: [] })
        : JSON.stringify({ summary: 'Says when the farewell shows.', document: IMPROVED_PROPOSAL }),
    );
    await vscode.workspace
      .getConfiguration('openspecLoop.lmStudio')
      .update('baseUrl', lmStudio.baseUrl, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await client.close();
    await vscode.workspace
      .getConfiguration('openspecLoop.lmStudio')
      .update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await lmStudio.close();
  });

  it('the MCP server answers for a change of the second folder and names the folder of every change', async () => {
    const { changes } = await callOk<{ changes: Listed[] }>(client, 'list_changes');
    assert.deepEqual(changes.map((change) => `${change.folder}:${change.id}`).sort(), [
      'alpha:add-farewell',
      'beta:add-csv-export',
    ]);
    const change = await callOk<{ folder: string; path: string; tasks: { total: number } }>(client, 'get_change', {
      change: 'add-csv-export',
    });
    assert.deepEqual([change.folder, change.path, change.tasks.total], ['beta', 'openspec/changes/add-csv-export', 2]);
  });

  it('Copy MCP Configuration gives one server that reaches every folder', async () => {
    const alpha = workspaceFolder('alpha').uri.fsPath;
    const beta = workspaceFolder('beta').uri.fsPath;
    const text = await vscode.commands.executeCommand<string>('openspecLoop.copyMcpConfig', 'stdio');
    const { servers } = JSON.parse(text) as { servers: Record<string, { command: string; args: string[] }> };
    const stdio = servers['openspec-loop'];
    assert.ok(stdio, text);
    assert.deepEqual(stdio.args.slice(1), ['mcp', '--workspace', alpha, '--workspace', beta]);
    // The configuration as a client would run it (with this host's node for `node`).
    const copied = new Client({ name: 'copied-config', version: '1.0.0' });
    await copied.connect(
      new StdioClientTransport({ command: process.execPath, args: stdio.args, env: getDefaultEnvironment() }),
    );
    try {
      const { changes } = await callOk<{ changes: Listed[] }>(copied, 'list_changes');
      assert.deepEqual(changes.map((change) => `${change.folder}:${change.id}`).sort(), [
        'alpha:add-farewell',
        'beta:add-csv-export',
      ]);
    } finally {
      await copied.close();
    }
    const http = JSON.parse(await vscode.commands.executeCommand<string>('openspecLoop.copyMcpConfig', 'http')) as {
      servers: Record<string, { url: string }>;
    };
    assert.equal(http.servers['openspec-loop']?.url, api.mcpServer.http?.url, 'the window server serves both');
  });

  it("puts a folder's lessons into the prompts of that folder's changes only", async () => {
    const alpha = api.models.folders.find((folder) => folder.folder.name === 'alpha');
    assert.ok(alpha);
    const lesson = 'Name the greeting in every farewell requirement.';
    await vscode.commands.executeCommand('openspecLoop.addLesson', lesson, alpha.root);
    const systemPromptOfReview = async (changeId: string) => {
      const before = lmStudio.requests.length;
      await vscode.commands.executeCommand('openspecLoop.reviewWithAi', { changeId });
      await waitFor(() => lmStudio.requests.length > before, `the review of ${changeId}`, 10_000);
      return String(lmStudio.requests.at(-1)?.messages.find((message) => message.role === 'system')?.content);
    };
    assert.ok((await systemPromptOfReview('add-farewell')).includes(lesson), "alpha's review carries alpha's lesson");
    assert.ok(!(await systemPromptOfReview('add-csv-export')).includes(lesson), "beta's review does not");
  });

  it("lists a proposal under its own folder's change only, when another folder has a change of the same id", async () => {
    const alpha = workspaceFolder('alpha').uri;
    const beta = workspaceFolder('beta').uri;
    for (const file of ['proposal.md', 'tasks.md']) {
      const text = await vscode.workspace.fs.readFile(
        vscode.Uri.joinPath(alpha, 'openspec/changes/add-farewell', file),
      );
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(beta, 'openspec/changes/add-farewell', file), text);
    }
    await waitFor(
      () =>
        api.models.folders
          .find((folder) => folder.folder.name === 'beta')
          ?.workspace.changes.some((c) => c.id === 'add-farewell'),
      "beta's add-farewell in the model",
      10_000,
    );
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; value?: { proposalId?: string } }>(
      'openspecLoop.improveWithAi',
      { uri: vscode.Uri.joinPath(alpha, 'openspec/changes/add-farewell/proposal.md') },
    );
    const proposalId = outcome.value?.proposalId;
    assert.ok(outcome.ok && proposalId, 'a proposal for alpha is pending');
    const provider = new ExplorerTreeProvider(api.models, 'changes', api.aiTree);
    try {
      const [alphaNode, betaNode] = await provider.getChildren();
      const underChange = async (folderNode: ExplorerNode | undefined) => {
        const changes = await provider.getChildren(folderNode);
        const change = changes.find((node) => node.kind === 'change' && node.changeId === 'add-farewell');
        assert.ok(change, 'the folder lists add-farewell');
        return treeLabels(provider, change);
      };
      assert.ok((await underChange(alphaNode)).includes('Proposals'), "alpha's add-farewell lists the proposal");
      assert.ok(!(await underChange(betaNode)).includes('Proposals'), "beta's add-farewell does not");
    } finally {
      provider.dispose();
      await vscode.commands.executeCommand('openspecLoop.rejectProposal', proposalId);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('drops the Problems entries, model and MCP answers of a folder that leaves the workspace', async () => {
    const betaDelta = vscode.Uri.joinPath(workspaceFolder('beta').uri, BETA_DELTA);
    await waitFor(() => validationProblems(betaDelta).length > 0, "beta's validation error in Problems", 20_000);
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 1), 'VS Code takes the removal');
    await waitFor(() => validationProblems(betaDelta).length === 0, "beta's Problems entries to go", 20_000);
    assert.deepEqual(
      api.models.folders.map((folder) => folder.folder.name),
      ['alpha'],
    );
    const { changes } = await callOk<{ changes: Listed[] }>(client, 'list_changes');
    assert.deepEqual(
      changes.map((change) => change.id),
      ['add-farewell'],
    );
    const provider = new ExplorerTreeProvider(api.models, 'changes');
    try {
      assert.deepEqual(await treeLabels(provider), ['add-farewell'], 'one folder left: its changes at the top');
    } finally {
      provider.dispose();
    }
  });

  it('serves a folder added to the workspace: its changes, its Problems entries and its MCP answers', async () => {
    const gamma = vscode.Uri.joinPath(workspaceFolder('alpha').uri, '..', 'gamma');
    const count = vscode.workspace.workspaceFolders?.length ?? 0;
    assert.ok(vscode.workspace.updateWorkspaceFolders(count, 0, { uri: gamma }), 'VS Code takes the addition');
    await waitFor(
      () => api.models.folders.some((folder) => folder.workspace.changes.some((c) => c.id === 'add-archive-search')),
      "gamma's model",
      20_000,
    );
    const gammaDelta = vscode.Uri.joinPath(gamma, GAMMA_DELTA);
    await waitFor(() => validationProblems(gammaDelta).length > 0, "gamma's validation error in Problems", 20_000);
    const provider = new ExplorerTreeProvider(api.models, 'changes');
    try {
      const folders = await provider.getChildren();
      assert.deepEqual(await treeLabels(provider), ['alpha', 'gamma']);
      assert.deepEqual(await treeLabels(provider, folders[1]), ['add-archive-search']);
    } finally {
      provider.dispose();
    }
    const change = await callOk<{ folder: string; path: string }>(client, 'get_change', {
      change: 'add-archive-search',
    });
    assert.deepEqual([change.folder, change.path], ['gamma', 'openspec/changes/add-archive-search']);
  });
});
