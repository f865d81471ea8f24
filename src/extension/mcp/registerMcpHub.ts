import * as vscode from 'vscode';
import type { ChatModel } from '../../core/ai/chatModel';
import type { Logger } from '../../core/logger';
import { McpHub, toolPolicy, withMcpTools, type McpServerSnapshot } from '../../core/mcp/client';
import { allowedToolNames, maxToolSteps, readHubConfig, setToolAllowed } from './hubSettings';
import { McpServersTree, type McpTreeNode } from './mcpServersTree';

/** What the AI features use of the hub: a model that may call the allowed tools, reporting each call. */
export type ToolDecorator = (model: ChatModel, report: (message: string) => void) => ChatModel;

export interface McpHubHandle {
  readonly servers: () => readonly McpServerSnapshot[];
  readonly decorate: ToolDecorator;
}

/**
 * The MCP servers the user configured (`openspecLoop.mcp.servers`, optionally `.vscode/mcp.json`), kept
 * running by the core's hub (restarts with backoff, failed servers listed with their output), shown in the
 * "MCP Servers" view, and offered to the model during AI review and improve, only the tools checked there.
 */
export function registerMcpHub(deps: { logger: Logger; version: string }): {
  handle: McpHubHandle;
  disposable: vscode.Disposable;
} {
  const { logger } = deps;
  const hub = new McpHub({ logger, clientInfo: { name: 'openspec-loop', version: deps.version } });
  const isAllowed = (server: string, tool: string) => {
    const allowed = allowedToolNames();
    return allowed.includes(`${server}/${tool}`) || allowed.includes(`${server}/*`);
  };
  const tree = new McpServersTree(hub, isAllowed);
  const view = vscode.window.createTreeView<McpTreeNode>('openspecLoop.mcpServers', {
    treeDataProvider: tree,
    manageCheckboxStateManually: true,
  });

  const apply = async () => {
    try {
      await hub.start(await readHubConfig());
    } catch (error) {
      logger.error('The MCP servers could not be started', error);
    }
  };
  void apply();

  const decorate: ToolDecorator = (model, report) =>
    withMcpTools(model, {
      hub,
      policy: toolPolicy(allowedToolNames()),
      maxSteps: maxToolSteps(),
      logger,
      onToolCall: (event) =>
        report(
          `${event.server}/${event.tool} ${event.ok ? `answered in ${event.ms} ms` : `failed: ${event.error ?? ''}`}`,
        ),
    });

  const subscription = hub.onDidChange(() => tree.refresh());
  return {
    handle: { servers: () => hub.servers, decorate },
    disposable: vscode.Disposable.from(
      tree,
      view,
      { dispose: () => subscription.dispose() },
      { dispose: () => void hub.stop() },
      view.onDidChangeCheckboxState(async (event) => {
        for (const [node, state] of event.items) {
          if (node.kind === 'tool')
            await setToolAllowed(node.server, node.tool.name, state === vscode.TreeItemCheckboxState.Checked);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (
          event.affectsConfiguration('openspecLoop.mcp.servers') ||
          event.affectsConfiguration('openspecLoop.mcp.includeWorkspaceMcpJson')
        )
          void apply();
        if (event.affectsConfiguration('openspecLoop.mcp.allowedTools')) tree.refresh();
      }),
      vscode.commands.registerCommand('openspecLoop.restartMcpServer', async (node?: McpTreeNode) => {
        const name = node?.kind === 'server' ? node.server.name : await pickServer(hub);
        if (name) await hub.restart(name);
      }),
    ),
  };
}

async function pickServer(hub: McpHub): Promise<string | undefined> {
  const servers = hub.servers;
  if (servers.length === 0) {
    void vscode.window.showInformationMessage('No MCP servers are configured (openspecLoop.mcp.servers).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    servers.map((server) => ({ label: server.name, description: server.state })),
    { title: 'Restart which MCP server?' },
  );
  return picked?.label;
}
