import * as vscode from 'vscode';
import type { McpHub, McpServerSnapshot, McpToolInfo } from '../../core/mcp/client';
import { counted } from '../../core/counted';

export type McpTreeNode =
  | { readonly kind: 'server'; readonly server: McpServerSnapshot }
  | { readonly kind: 'tool'; readonly server: string; readonly tool: McpToolInfo };

const STATE_ICONS: Record<McpServerSnapshot['state'], string> = {
  starting: 'loading~spin',
  restarting: 'loading~spin',
  ready: 'pass',
  failed: 'error',
  invalid: 'warning',
  stopped: 'circle-slash',
};

/**
 * The "MCP Servers" view: each configured server with its state and tools; a tool's checkbox says whether the
 * model may call it during review and improve (the `openspecLoop.mcp.allowedTools` allowlist).
 */
export class McpServersTree implements vscode.TreeDataProvider<McpTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly hub: McpHub,
    private readonly isAllowed: (server: string, tool: string) => boolean,
  ) {}

  refresh(): void {
    this.emitter.fire();
  }

  getChildren(node?: McpTreeNode): McpTreeNode[] {
    if (!node) return this.hub.servers.map((server) => ({ kind: 'server', server }));
    if (node.kind === 'server')
      return node.server.tools.map((tool) => ({ kind: 'tool', server: node.server.name, tool }));
    return [];
  }

  getTreeItem(node: McpTreeNode): vscode.TreeItem {
    if (node.kind === 'tool') {
      const item = new vscode.TreeItem(node.tool.name, vscode.TreeItemCollapsibleState.None);
      item.id = `${node.server}/${node.tool.name}`;
      item.description = node.tool.description?.split('\n')[0];
      item.tooltip = `${node.tool.description ?? node.tool.name}\n\nChecked: the model may call it during AI review and improve.`;
      item.checkboxState = this.isAllowed(node.server, node.tool.name)
        ? vscode.TreeItemCheckboxState.Checked
        : vscode.TreeItemCheckboxState.Unchecked;
      item.contextValue = 'mcpTool';
      return item;
    }
    const { server } = node;
    const item = new vscode.TreeItem(
      server.name,
      server.tools.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `server:${server.name}`;
    item.description = server.state === 'ready' ? `${counted(server.tools.length, 'tool')}` : server.state;
    const tail = server.stderrTail.length > 0 ? `\n\nLast output:\n${server.stderrTail.slice(-15).join('\n')}` : '';
    item.tooltip = `${server.name} (${server.transport ?? 'not started'}): ${server.state}${server.error ? `\n${server.error}` : ''}${tail}`;
    item.iconPath = new vscode.ThemeIcon(STATE_ICONS[server.state]);
    item.contextValue = `mcpServer.${server.state}`;
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
