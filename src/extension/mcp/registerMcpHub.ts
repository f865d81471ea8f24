import * as vscode from 'vscode';
import type { ChatModel } from '../../core/ai/chatModel';
import type { Logger } from '../../core/logger';
import { McpHub, toolPolicy, withMcpTools, type McpServerSnapshot } from '../../core/mcp/client';
import type { FirstAiUse } from '../ai/firstAiUse';
import { trustedFor } from '../workspaceTrust';
import { allowedToolNames, maxToolSteps, readHubConfig, setToolAllowed } from './hubSettings';
import { McpServersTree, type McpTreeNode } from './mcpServersTree';

/**
 * What the AI features use of the hub: a model that may call the allowed tools, reporting each call. At the first
 * AI use it waits for the servers' first start (or `signal`), so the first request is offered their tools too.
 */
export type ToolDecorator = (
  model: ChatModel,
  report: (message: string) => void,
  signal: AbortSignal,
) => Promise<ChatModel>;

const RESTRICTED_REASON = 'it starts the MCP servers you configured';

export interface McpHubHandle {
  readonly servers: () => readonly McpServerSnapshot[];
  readonly decorate: ToolDecorator;
}

/**
 * The MCP servers the user configured (`openspecLoop.mcp.servers`, optionally `.vscode/mcp.json`), kept
 * running by the core's hub (restarts with backoff, failed servers listed with their output), shown in the
 * "MCP Servers" view, and offered to the model during AI review and improve, only the tools checked there.
 * They start at the first AI use or when the MCP Servers view opens, never at activation, and never in
 * Restricted Mode: a workspace's `.vscode/mcp.json` or settings would otherwise run programs the user has not
 * trusted.
 */
export function registerMcpHub(deps: { logger: Logger; version: string; firstUse: FirstAiUse }): {
  handle: McpHubHandle;
  disposable: vscode.Disposable;
} {
  const { logger, firstUse } = deps;
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

  let started = false;
  let firstStart: Promise<void> | undefined;
  const apply = async () => {
    if (!started) return;
    try {
      await hub.start(await readHubConfig());
    } catch (error) {
      logger.error('The MCP servers could not be started', error);
    }
  };
  const begin = () => {
    started = true;
    firstStart = apply();
  };
  if (!vscode.workspace.isTrusted) void logWithheld(logger);
  const opened = () => {
    if (view.visible) firstUse.start('the MCP Servers view opened');
  };
  opened();

  const decorate: ToolDecorator = async (model, report, signal) => {
    if (firstStart && allowedToolNames().length > 0) {
      report('starting the MCP servers…');
      await settledOrAborted(firstStart, signal);
    }
    return withMcpTools(model, {
      hub,
      policy: toolPolicy(allowedToolNames()),
      maxSteps: maxToolSteps(),
      logger,
      onToolCall: (event) =>
        report(
          `${event.server}/${event.tool} ${event.ok ? `answered in ${event.ms} ms` : `failed: ${event.error ?? ''}`}`,
        ),
    });
  };

  const subscription = hub.onDidChange(() => tree.refresh());
  return {
    handle: { servers: () => hub.servers, decorate },
    disposable: vscode.Disposable.from(
      tree,
      view,
      { dispose: () => subscription.dispose() },
      { dispose: () => void hub.stop() },
      firstUse.onStart(begin),
      view.onDidChangeVisibility(opened),
      // The view may be open when trust is granted: that is its opening for the servers.
      vscode.workspace.onDidGrantWorkspaceTrust(opened),
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
        if (!trustedFor('Restart MCP Server', RESTRICTED_REASON, logger)) return;
        firstUse.start('Restart MCP Server');
        await firstStart;
        const name = node?.kind === 'server' ? node.server.name : await pickServer(hub);
        if (name) await hub.restart(name);
      }),
    ),
  };
}

/** In Restricted Mode the log names what was held back, so nobody wonders why a configured server is not running. */
async function logWithheld(logger: Logger): Promise<void> {
  const names = Object.keys((await readHubConfig()).servers);
  if (names.length === 0) return;
  logger.info(
    `Restricted Mode: the MCP servers ${names.join(', ')} are not started; they start once you trust this workspace and use AI or open the MCP Servers view.`,
  );
}

function settledOrAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
    void work.then(resolve, resolve);
  });
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
