import * as vscode from 'vscode';
import { parseMcpServersConfig, type McpServersConfig } from '../../core/mcp/client/mcpServersConfig';

/** The servers to run: `openspecLoop.mcp.servers`, plus `.vscode/mcp.json` of each folder when the user asked for it. */
export async function readHubConfig(): Promise<McpServersConfig> {
  const config = vscode.workspace.getConfiguration('openspecLoop.mcp');
  const servers: Record<string, unknown> = { ...(config.get<Record<string, unknown>>('servers') ?? {}) };
  if (config.get<boolean>('includeWorkspaceMcpJson', false)) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const fromFile = await readMcpJson(vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json'));
      // The setting wins over the file for a name both define: it is the more deliberate choice.
      for (const [name, entry] of Object.entries(fromFile)) if (!(name in servers)) servers[name] = entry;
    }
  }
  return parseMcpServersConfig({ servers });
}

async function readMcpJson(uri: vscode.Uri): Promise<Record<string, unknown>> {
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    // mcp.json is JSON with comments, as VS Code writes it.
    const parsed = JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as { servers?: Record<string, unknown> };
    return parsed.servers ?? {};
  } catch {
    return {};
  }
}

export function allowedToolNames(): string[] {
  return vscode.workspace.getConfiguration('openspecLoop.mcp').get<string[]>('allowedTools', []);
}

export function maxToolSteps(): number {
  return vscode.workspace.getConfiguration('openspecLoop.mcp').get<number>('maxToolSteps', 4);
}

/** Adds or removes one `server/tool` from the allowlist, where the user keeps it (workspace or user settings). */
export async function setToolAllowed(server: string, tool: string, allowed: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration('openspecLoop.mcp');
  const name = `${server}/${tool}`;
  const current = allowedToolNames().filter((entry) => entry !== name);
  const next = allowed ? [...current, name] : current;
  const inspected = config.inspect<string[]>('allowedTools');
  const target =
    inspected?.workspaceValue !== undefined || vscode.workspace.workspaceFolders
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await config.update('allowedTools', next, target);
}
