import * as vscode from 'vscode';
import { registerAi } from './ai/registerAi';
import { registerCodeLens } from './codelens/specCodeLens';
import { registerInitProject } from './commands/initProject';
import { registerNewChange } from './commands/newChange';
import { registerToggleTask } from './commands/toggleTaskCommand';
import { registerValidateCommands } from './commands/validateCommands';
import { registerCompare } from './compare/registerCompare';
import { registerDiagnostics } from './diagnostics/registerDiagnostics';
import { registerExplorer } from './explorer/registerExplorer';
import { registerLog } from './log';
import { registerMcpHub, type McpHubHandle } from './mcp/registerMcpHub';
import { registerMcpServer, type McpServerHandle } from './mcp/registerMcpServer';
import { registerOpenSpecModels } from './model/registerOpenSpecModels';
import { registerQuickFixes } from './quickfix/registerQuickFixes';
import type { AiTreeSource } from './explorer/aiChildren';
import type { OpenSpecModels } from './model/openSpecModels';

/** What the extension hands to tests and to other extensions. */
export interface OpenSpecLoopApi {
  readonly models: OpenSpecModels;
  /** Review findings and pending AI proposals per change, as the Changes view shows them. */
  readonly aiTree: AiTreeSource;
  readonly mcpServer: McpServerHandle;
  /** The MCP servers the user configured, as the MCP Servers view shows them. */
  readonly mcpHub: McpHubHandle;
}

/** Composes the feature modules; each owns its registrations through the Disposable it returns. */
export function activate(context: vscode.ExtensionContext): OpenSpecLoopApi {
  const log = registerLog();
  context.subscriptions.push(log.disposable);
  const { models, disposable } = registerOpenSpecModels({ logger: log.logger });
  const deps = { models, logger: log.logger };
  const version = String(context.extension.packageJSON.version);
  const hub = registerMcpHub({ logger: log.logger, version });
  const ai = registerAi({ ...deps, workspaceState: context.workspaceState, decorateModel: hub.handle.decorate });
  const mcp = registerMcpServer({ ...deps, extensionPath: context.extensionPath, version });
  context.subscriptions.push(
    hub.disposable,
    ai.disposable,
    mcp.disposable,
    disposable,
    registerExplorer({ ...deps, ai: ai.treeSource }),
    registerDiagnostics(deps),
    registerCodeLens(deps),
    registerNewChange(deps),
    registerInitProject(deps),
    registerToggleTask(deps),
    registerValidateCommands(deps),
    registerCompare(deps),
    registerQuickFixes(),
  );
  log.logger.info(`OpenSpec Loop ${version} activated`);
  return { models, aiTree: ai.treeSource, mcpServer: mcp.handle, mcpHub: hub.handle };
}

export function deactivate(): void {}
