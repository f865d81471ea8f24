import type { ArchivePlan } from '../../core/archive/archiveTypes';
import type { ArchiveRecorder } from '../archive/registerArchive';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { connectLmStudio } from '../../core/ai/transport/lmStudio';
import type { Logger } from '../../core/logger';
import type { RunningLoops } from '../../core/loop/runningLoops';
import { uniqueFolderNames } from '../../core/mcp/server/folderNames';
import type { McpFolder } from '../../core/mcp/server/serverOptions';
import type { McpHttpServer } from '../../node/mcpHttpServer';
import { NodeFolderWatcher } from '../../node/nodeFolderWatcher';
import { toNative } from '../../node/nodeFileSystem';
import type { LmStudioSettingsSource } from '../ai/aiSettings';
import type { FirstAiUse } from '../ai/firstAiUse';
import { EditorFileWriter } from '../model/editorFileWriter';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { trustedFor, whenTrusted } from '../workspaceTrust';
import { FolderModelSource } from './folderModelSource';
import { registerDefinitionProvider } from './mcpServerDefinitions';

/**
 * What other extensions and tests may read of the running server. Its bearer token is not part of it: it is
 * the key to this workspace's specs, handed only to agent mode and to the user through Copy MCP Configuration.
 */
export interface McpServerHandle {
  /** Undefined until the server listens (or when the setting turned it off, or in Restricted Mode). */
  readonly http: { readonly url: string } | undefined;
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
  readonly lmStudio: LmStudioSettingsSource;
  /** An agent's call of an AI tool is an AI use like a command's. */
  readonly firstUse: FirstAiUse;
  /** The window's running loops: an agent's run and the editor's never go on one change at once. */
  readonly loopRuns: RunningLoops;
  /** An agent's archive is recorded like the user's, so Undo Archive and Restore take it back. */
  readonly recordArchive: ArchiveRecorder;
}

const RESTRICTED_REASON = 'it lets agents read this workspace over MCP';

/** The names agents know the window's OpenSpec folders by: the workspace folders' names, made unique. */
function servedFolders(folders: readonly FolderModel[]): Array<{ folder: FolderModel; name: string }> {
  const names = uniqueFolderNames(folders.map((folder) => folder.folder.name));
  return folders.map((folder, index) => ({ folder, name: names[index] ?? folder.root }));
}

/**
 * Our MCP server inside the window: Streamable HTTP on 127.0.0.1 with a random token, serving every workspace
 * folder that holds openspec/ from the same live model as the UI (unsaved text included), brought up to date
 * before every call (FolderModelSource), and writing through undoable edits. Agent mode finds it through the
 * definition provider where VS Code has one; other clients get its configuration from "Copy MCP
 * Configuration". In Restricted Mode it does not listen; it starts when the user grants trust.
 */
export function registerMcpServer(deps: McpServerDeps): { handle: McpServerHandle; disposable: vscode.Disposable } {
  const { models, logger } = deps;
  let http: McpHttpServer | undefined;
  let stopped = false;
  const enabled = () => vscode.workspace.getConfiguration('openspecLoop.mcp').get<boolean>('server.enabled', true);

  // A server is made per request; every one answers from the folders' live models through one source per
  // folder (its watcher started by the folder's first call), dropped with the folder or the server.
  const watcher = new NodeFolderWatcher();
  const sources = new Map<string, FolderModelSource>();
  const sourceOf = (folder: FolderModel): FolderModelSource => {
    const known = sources.get(folder.root);
    if (known?.folder === folder) return known;
    known?.dispose();
    const source = new FolderModelSource(folder, models, watcher, logger);
    sources.set(folder.root, source);
    return source;
  };
  const dropSources = () => {
    for (const source of sources.values()) source.dispose();
    sources.clear();
  };
  const createServer = () => {
    const folders = servedFolders(models.folders).map(({ folder, name }): McpFolder => ({
      name,
      root: folder.root,
      fs: folder.fs,
      scans: sourceOf(folder),
    }));
    return serverModule().createOpenSpecMcpServer({
      folders,
      allowWrite: true,
      logger,
      // Undoable edits of the open documents, like the user's own, and only inside the folders' openspec/.
      onArchived: (root: string, plan: ArchivePlan) => deps.recordArchive(root, plan),
      writer: new EditorFileWriter({ within: folders.map((folder) => path.posix.join(folder.root, 'openspec')) }),
      connectModel: async (signal) => {
        deps.firstUse.start('an agent called an AI tool over MCP');
        return connectLmStudio(await deps.lmStudio(), { logger, ...(signal ? { signal } : {}) });
      },
      version: deps.version,
      loopRuns: deps.loopRuns,
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
      if (stopped || http || !enabled() || models.folders.length === 0 || !vscode.workspace.isTrusted) return;
      try {
        http = await httpServerModule().startMcpHttpServer({ createServer, logger });
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
      dropSources();
      logger.info('MCP server for agents stopped (openspecLoop.mcp.server.enabled is off).');
    });
  if (!vscode.workspace.isTrusted)
    logger.info('Restricted Mode: the MCP server for agents does not start until you trust this workspace.');
  const startWhenTrusted = whenTrusted(() => void start());

  const provider = registerDefinitionProvider(() => http, deps.version, logger, definitionsChanged.event);
  const handle: McpServerHandle = {
    get http() {
      return http ? { url: http.url } : undefined;
    },
    settled: () => transition,
    registeredWithAgentMode: provider !== undefined,
  };
  return {
    handle,
    disposable: vscode.Disposable.from(
      ...(provider ? [provider] : []),
      startWhenTrusted,
      models.onDidChange(() => void start()),
      models.onDidRemoveFolder((folder) => {
        sources.get(folder.root)?.dispose();
        sources.delete(folder.root);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('openspecLoop.mcp.server.enabled')) void (enabled() ? start() : stop());
      }),
      definitionsChanged,
      vscode.commands.registerCommand('openspecLoop.copyMcpConfig', (form?: unknown) =>
        trustedFor('Copy MCP Configuration', RESTRICTED_REASON, logger)
          ? copyConfiguration(deps, http, form)
          : undefined,
      ),
      new vscode.Disposable(() => {
        stopped = true;
        // After any start in flight, so a server that was still binding is closed too.
        void serially(async () => {
          await http?.close();
          http = undefined;
          dropSources();
        });
      }),
    ),
  };
}

/** `form` ('stdio' or 'http') skips the question, for keybindings and tests. */
async function copyConfiguration(
  deps: McpServerDeps,
  http: { readonly url: string; readonly token: string } | undefined,
  form: unknown,
): Promise<string | undefined> {
  const folders = servedFolders(deps.models.folders);
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Open a folder with an openspec/ directory first.');
    return undefined;
  }
  // One server for every folder: the CLI takes --workspace once per folder, as the window's server serves them all.
  const workspaces = folders.flatMap(({ folder }) => ['--workspace', toNative(folder.root)]);
  const stdio = {
    servers: {
      'openspec-loop': {
        type: 'stdio',
        command: 'node',
        args: [path.join(deps.extensionPath, 'dist', 'cli.js'), 'mcp', ...workspaces],
      },
    },
  };
  const reach =
    folders.length > 1
      ? `every OpenSpec folder of this window (${folders.map(({ name }) => name).join(', ')})`
      : (folders[0]?.name ?? '');
  const items = [
    {
      label: 'stdio',
      description: `${reach}, for any MCP client; add --allow-write to let agents change tasks`,
      config: stdio,
    },
    ...(http
      ? [
          {
            label: 'HTTP',
            description: `${reach}, from this window while it is open`,
            config: {
              servers: {
                'openspec-loop': {
                  type: 'http',
                  url: http.url,
                  headers: { Authorization: `Bearer ${http.token}` },
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
    `Copied the ${picked.label} MCP configuration for ${reach}: paste it into .vscode/mcp.json or your client's settings.`,
  );
  return text;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/*
 * Loaded when the server first starts, not with the extension: the HTTP transport's web stack, the MCP SDK's
 * server and the tools' schemas are the costliest part of running the bundle, which the extension host waits for
 * before activating anything.
 */
const httpServerModule = (): typeof import('../../node/mcpHttpServer') =>
  require('../../node/mcpHttpServer') as typeof import('../../node/mcpHttpServer');
const serverModule = (): typeof import('../../core/mcp/server/openSpecMcpServer') =>
  require('../../core/mcp/server/openSpecMcpServer') as typeof import('../../core/mcp/server/openSpecMcpServer');
/* eslint-enable @typescript-eslint/no-require-imports */
