import * as path from 'node:path';
import * as vscode from 'vscode';
import { connectLmStudio } from '../../core/ai/transport/lmStudio';
import type { Logger } from '../../core/logger';
import { createOpenSpecMcpServer } from '../../core/mcp/server/openSpecMcpServer';
import { ParseCache } from '../../core/openspec/parseCache';
import { startMcpHttpServer, type McpHttpServer } from '../../node/mcpHttpServer';
import { toNative } from '../../node/nodeFileSystem';
import { readLmStudioSettings } from '../ai/aiSettings';
import { EditorFileWriter } from '../model/editorFileWriter';
import type { OpenSpecModels } from '../model/openSpecModels';
import { registerDefinitionProvider } from './mcpServerDefinitions';

/** What tests and the Copy MCP Configuration command read of the running server. */
export interface McpServerHandle {
  /** Undefined until the server listens (or when the setting turned it off). */
  readonly http: { readonly url: string; readonly token: string } | undefined;
  /** Settles once every start and stop asked for so far has happened. */
  settled(): Promise<void>;
  /** True when VS Code's agent mode was told about the server (VS Code 1.101 and later). */
  readonly registeredWithAgentMode: boolean;
}

export interface McpServerDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
  readonly extensionPath: string;
  readonly version: string;
}

/**
 * Our MCP server inside the window: Streamable HTTP on 127.0.0.1 with a random token, reading the same live
 * model as the UI (unsaved text included) and writing through undoable edits. Agent mode finds it through the
 * definition provider where VS Code has one; other clients get its configuration from "Copy MCP Configuration".
 */
export function registerMcpServer(deps: McpServerDeps): { handle: McpServerHandle; disposable: vscode.Disposable } {
  const { models, logger } = deps;
  let http: McpHttpServer | undefined;
  let stopped = false;
  const enabled = () => vscode.workspace.getConfiguration('openspecLoop.mcp').get<boolean>('server.enabled', true);

  const parseCache = new ParseCache();
  const createServer = () => {
    const folder = models.folders[0];
    if (!folder) throw new Error('No workspace folder has an openspec/ directory');
    return createOpenSpecMcpServer({
      fs: folder.fs,
      root: folder.root,
      allowWrite: true,
      logger,
      // Undoable edits of the open documents, like the user's own, and only inside openspec/.
      writer: new EditorFileWriter({ within: path.posix.join(folder.root, 'openspec') }),
      connectModel: (signal) => connectLmStudio(readLmStudioSettings(), { logger, ...(signal ? { signal } : {}) }),
      version: deps.version,
      parseCache,
    });
  };

  // Agent mode asks for the definitions again when this fires: after a start, a stop or a restart.
  const definitionsChanged = new vscode.EventEmitter<void>();
  // One start or stop at a time: every model change asks for a start, and two that both passed the check
  // before the first listen resolved used to start two servers, one of them never closed.
  let transition: Promise<void> = Promise.resolve();
  const serially = (step: () => Promise<void>): Promise<void> => (transition = transition.then(step, step));
  const start = () =>
    serially(async () => {
      await models.ready;
      if (stopped || http || !enabled() || models.folders.length === 0) return;
      try {
        http = await startMcpHttpServer({ createServer, logger });
        logger.info(`MCP server for agents at ${http.url} (bearer token required; OpenSpec: Copy MCP Configuration)`);
        definitionsChanged.fire();
      } catch (error) {
        logger.error('The MCP server could not start', error);
      }
    });
  const stop = () =>
    serially(async () => {
      const running = http;
      if (!running) return;
      http = undefined;
      definitionsChanged.fire();
      await running.close();
      logger.info('MCP server for agents stopped (openspecLoop.mcp.server.enabled is off).');
    });
  void start();

  const provider = registerDefinitionProvider(() => http, deps.version, logger, definitionsChanged.event);
  const handle: McpServerHandle = {
    get http() {
      return http ? { url: http.url, token: http.token } : undefined;
    },
    settled: () => transition,
    registeredWithAgentMode: provider !== undefined,
  };
  return {
    handle,
    disposable: vscode.Disposable.from(
      ...(provider ? [provider] : []),
      models.onDidChange(() => void start()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('openspecLoop.mcp.server.enabled')) void (enabled() ? start() : stop());
      }),
      definitionsChanged,
      vscode.commands.registerCommand('openspecLoop.copyMcpConfig', (form?: unknown) =>
        copyConfiguration(deps, handle, form),
      ),
      new vscode.Disposable(() => {
        stopped = true;
        // After any start in flight, so a server that was still binding is closed too.
        void serially(async () => {
          await http?.close();
          http = undefined;
        });
      }),
    ),
  };
}

/** `form` ('stdio' or 'http') skips the question, for keybindings and tests. */
async function copyConfiguration(
  deps: McpServerDeps,
  handle: McpServerHandle,
  form: unknown,
): Promise<string | undefined> {
  const folder = deps.models.folders[0];
  if (!folder) {
    void vscode.window.showInformationMessage('Open a folder with an openspec/ directory first.');
    return undefined;
  }
  const stdio = {
    servers: {
      'openspec-loop': {
        type: 'stdio',
        command: 'node',
        args: [path.join(deps.extensionPath, 'dist', 'cli.js'), 'mcp', '--workspace', toNative(folder.root)],
      },
    },
  };
  const items = [
    { label: 'stdio', description: 'any MCP client; add --allow-write to let agents change tasks', config: stdio },
    ...(handle.http
      ? [
          {
            label: 'HTTP',
            description: 'this window, while it is open',
            config: {
              servers: {
                'openspec-loop': {
                  type: 'http',
                  url: handle.http.url,
                  headers: { Authorization: `Bearer ${handle.http.token}` },
                },
              },
            },
          },
        ]
      : []),
  ];
  const named = items.find((item) => item.label.toLowerCase() === form);
  const picked =
    named ??
    (items.length === 1
      ? items[0]
      : await vscode.window.showQuickPick(items, { title: 'Copy the MCP configuration for …' }));
  if (!picked) return undefined;
  const text = JSON.stringify(picked.config, null, 2);
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage(
    `Copied the ${picked.label} MCP configuration: paste it into .vscode/mcp.json or your client's settings.`,
  );
  return text;
}
