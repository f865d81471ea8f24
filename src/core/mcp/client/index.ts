/**
 * The MCP client side: the servers the user configured (`.vscode/mcp.json` shape) as a hub, the allowlist
 * of tools the model may call, and the loop that runs the model's tool calls through the hub.
 */
export { parseMcpServersConfig } from './mcpServersConfig';
export type {
  McpConfigProblem,
  McpHttpServerConfig,
  McpServerConfig,
  McpServersConfig,
  McpStdioServerConfig,
} from './mcpServersConfig';
export { McpHub } from './mcpHub';
export type { Disposable, McpHubOptions } from './mcpHub';
export type { McpServerSnapshot, McpServerState, ToolCallOptions } from './managedServer';
export type { McpToolInfo } from './serverConnection';
export type { ToolCallOutcome, ToolFailureKind } from './toolCallOutcome';
export type { RestartOptions } from './restartPolicy';
export { allowedTools, isToolAllowed, modelToolName, toolPolicy } from './toolPolicy';
export type { AllowedTools, ToolPolicy, ToolTarget } from './toolPolicy';
export { chatWithTools } from './toolLoop';
export { withMcpTools } from './toolUsingModel';
export type { ToolCallEvent, ToolLoopOptions, ToolLoopResult } from './toolLoop';
