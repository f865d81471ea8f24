import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { errorMessage } from '../../core/errorMessage';

/**
 * The MCP definition-provider API of VS Code 1.101+, declared here because `engines.vscode` stays at our
 * minimum (1.100): it is looked up at run time and skipped where the host lacks it.
 */
interface McpDefinitionApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: { provideMcpServerDefinitions(): unknown[]; onDidChangeMcpServerDefinitions?: vscode.Event<void> },
  ): vscode.Disposable;
}
type McpHttpServerDefinitionClass = new (
  label: string,
  uri: vscode.Uri,
  headers?: Record<string, string>,
  version?: string,
) => unknown;

export const MCP_PROVIDER_ID = 'openspecLoop.mcpServer';

/**
 * Makes our HTTP server visible to agent mode; undefined when this VS Code has no such API, or an earlier,
 * incompatible draft of it (1.100 has one that wants another contribution point and throws).
 */
export function registerDefinitionProvider(
  definition: () => { url: string; token: string } | undefined,
  version: string,
  logger: Logger,
  changed: vscode.Event<void>,
): vscode.Disposable | undefined {
  const lm = vscode.lm as unknown as Partial<McpDefinitionApi>;
  const HttpDefinition = (vscode as unknown as { McpHttpServerDefinition?: McpHttpServerDefinitionClass })
    .McpHttpServerDefinition;
  if (typeof lm.registerMcpServerDefinitionProvider !== 'function' || !HttpDefinition) return undefined;
  try {
    return lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed,
      provideMcpServerDefinitions: () => {
        const server = definition();
        return server
          ? [
              new HttpDefinition(
                'OpenSpec Loop',
                vscode.Uri.parse(server.url),
                { Authorization: `Bearer ${server.token}` },
                version,
              ),
            ]
          : [];
      },
    });
  } catch (error) {
    logger.info(
      `VS Code ${vscode.version} did not take the MCP server definition (${errorMessage(error)}); use Copy MCP Configuration instead.`,
    );
    return undefined;
  }
}
