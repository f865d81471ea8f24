import * as vscode from 'vscode';
import { lmStudioSettingsWith } from './ai/aiSettings';
import { FirstAiUse } from './ai/firstAiUse';
import { registerLmStudioToken } from './ai/lmStudioToken';
import { registerAi } from './ai/registerAi';
import { registerCodeLens } from './codelens/specCodeLens';
import { registerInitProject } from './commands/initProject';
import { registerNewChange } from './commands/newChange';
import { registerToggleTask } from './commands/toggleTaskCommand';
import { registerValidateCommands } from './commands/validateCommands';
import { archiveRecorder, registerArchive } from './archive/registerArchive';
import { registerPreviewDocuments } from './compare/previewDocuments';
import { registerCompare } from './compare/registerCompare';
import { registerDiagnostics, type ValidationPasses } from './diagnostics/registerDiagnostics';
import { registerOverlapDiagnostics } from './diagnostics/overlapDiagnostics';
import { registerExplorer } from './explorer/registerExplorer';
import { firstRowsSignal } from './explorer/firstRows';
import { registerSpecReferences } from './language/registerSpecReferences';
import { registerSpecRename } from './language/registerSpecRename';
import { registerSpecSymbols } from './language/registerSpecSymbols';
import { registerLog } from './log';
import { FeedbackMemory } from './loop/feedbackMemory';
import { LoopHistory, withLoopHistory } from './loop/loopHistory';
import { registerLessons } from './loop/registerLessons';
import { registerLoop, type LoopHandle } from './loop/registerLoop';
import { registerMcpHub, type McpHubHandle } from './mcp/registerMcpHub';
import { registerMcpServer, type McpServerHandle } from './mcp/registerMcpServer';
import { EditorFileWriter } from './model/editorFileWriter';
import { registerOpenSpecModels } from './model/registerOpenSpecModels';
import { registerQuickFixes } from './quickfix/registerQuickFixes';
import { registerSpecLanguage } from './language/specLanguage';
import type { AiTreeSource } from './explorer/aiChildren';
import { ArchiveRecords } from '../node/archiveRecords';
import { toPosix } from '../node/nodeFileSystem';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { CodeCachedModule, CodeCacheUse } from '../node/codeCache';
import type { Logger } from '../core/logger';
import { errorMessage } from '../core/errorMessage';
import { counted } from '../core/counted';
import type { FolderModel, OpenSpecModels } from './model/openSpecModels';

/** What the extension hands to tests and to other extensions. */
export interface OpenSpecLoopApi {
  readonly models: OpenSpecModels;
  /** Review findings and pending AI proposals per change, as the Changes view shows them. */
  readonly aiTree: AiTreeSource;
  readonly mcpServer: McpServerHandle;
  /** The MCP servers the user configured, as the MCP Servers view shows them. */
  readonly mcpHub: McpHubHandle;
  /** The improvement loop's runs: their journals (in the extension's storage for this workspace) and resumes. */
  readonly loop: LoopHandle;
  /** The lessons review and improve prompts of a folder's changes include now. */
  readonly lessons: (folder: FolderModel) => readonly string[];
  /** The Problems panel's validation passes as they complete: what a test waits for before asserting no findings. */
  readonly validation: ValidationPasses;
  /** How long activation took, as the log reports it: what a benchmark reads from inside the host. */
  readonly activation: ActivationTimes;
}

export interface ActivationTimes {
  /**
   * When activate() started, in epoch ms (performance.timeOrigin-based), comparable across processes: the entry's
   * activate(), before the extension's bundle was compiled, when it was loaded through the entry.
   */
  readonly startedAt: number;
  /** From activate()'s start to its return: loading the bundle, a turn of the host, then composing the features. */
  readonly activatedMs: number;
  /** Composing the features, this module's activate(): one unbroken stretch of the host thread. */
  readonly composeMs: number;
  /** Settles with the ms from activate()'s start until every folder's model was read. */
  readonly modelsReadyMs: Promise<number>;
  /** Of activatedMs, the entry's compiling of the bundle, one stretch (0 when loaded without the code cache). */
  readonly bundleCompileMs: number;
  /** Of activatedMs, the entry's running of the bundle's top level, one stretch (0 likewise). */
  readonly bundleRunMs: number;
  /** How the bundle was compiled (see CodeCacheUse); `none` when it was loaded without the entry's code cache. */
  readonly codeCache: CodeCacheUse | 'none';
  /** Settles with the code cache file written for the next start, or undefined when none is written at this one. */
  readonly codeCacheSaved: Promise<string | undefined>;
}

/** What the entry (entry.ts) hands over when it loaded this bundle. */
export interface BundleLoading {
  /** performance.now() when the entry's activate() started. */
  readonly startedAt: number;
  readonly codeCache?: CodeCachedModule<unknown>;
  /** Why the code cache could not be used; the bundle was then loaded by `require`. */
  readonly codeCacheFailure?: unknown;
}

/** Lets the start's common paths run and the first validation settle before the code cache is taken. */
const CODE_CACHE_AFTER_MS = 5_000;

/** Composes the feature modules; each owns its registrations through the Disposable it returns. */
export function activate(context: vscode.ExtensionContext, loading?: BundleLoading): OpenSpecLoopApi {
  const composing = performance.now();
  const started = loading?.startedAt ?? composing;
  const log = registerLog();
  context.subscriptions.push(log.disposable);
  if (loading?.codeCacheFailure !== undefined)
    log.logger.warn(`The code cache could not be used: ${errorMessage(loading.codeCacheFailure)}`);
  const firstRows = firstRowsSignal();
  const { models, disposable } = registerOpenSpecModels({ logger: log.logger, scanAfter: firstRows.done });
  // Every file the extension changes for the user goes through this one writer: undoable, base-checked edits.
  const deps = { models, logger: log.logger, writer: new EditorFileWriter() };
  const version = String((context.extension.packageJSON as { version?: unknown }).version);
  const secrets = registerLmStudioToken({ secrets: context.secrets, logger: log.logger });
  const lmStudio = lmStudioSettingsWith(secrets.token);
  const firstUse = new FirstAiUse(log.logger);
  const hub = registerMcpHub({ logger: log.logger, version, firstUse });
  // The extension's storage for this workspace: the journal and the feedback memory never go into the repository.
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const feedback = new FeedbackMemory(
    { dir: storageDir, perWorkspace: vscode.workspace.workspaceFile !== undefined },
    models,
    log.logger,
  );
  const ai = registerAi({
    ...deps,
    workspaceState: context.workspaceState,
    lmStudio,
    tokenChanged: secrets.token.onDidChange,
    firstUse,
    decorateModel: hub.handle.decorate,
    lessons: (folder) => feedback.lessons(folder),
    noteFindings: (proposalId, findings) => feedback.noteFindings(proposalId, findings),
  });
  feedback.follow(ai.proposals);
  const history = new LoopHistory(context.workspaceState);
  const tree = withLoopHistory(ai.treeSource, history);
  const overlaps = registerOverlapDiagnostics({ models, logger: log.logger, state: context.workspaceState });
  // What each archive wrote, in the extension's storage: Undo Archive and Restore read it.
  const archiveRecords = new ArchiveRecords(toPosix(join(storageDir, 'archive-records')));
  const recordArchive = archiveRecorder(models, archiveRecords, overlaps);
  const mcp = registerMcpServer({
    recordArchive,
    ...deps,
    extensionPath: context.extensionPath,
    version,
    lmStudio,
    firstUse,
    loopRuns: history.runs,
  });
  const diagnostics = registerDiagnostics(deps);
  const previews = registerPreviewDocuments();
  const loop = registerLoop({
    ...deps,
    runner: ai.runner,
    proposals: ai.proposals,
    feedback,
    history,
    storageDir,
    workspaceState: context.workspaceState,
  });
  context.subscriptions.push(
    secrets.disposable,
    firstUse,
    hub.disposable,
    ai.disposable,
    feedback,
    history,
    loop.disposable,
    registerLessons({ models, feedback, runner: ai.runner, proposals: ai.proposals }),
    mcp.disposable,
    disposable,
    registerExplorer({ ...deps, ai: tree, firstRowsAnswered: firstRows.answered }),
    diagnostics.disposable,
    overlaps.disposable,
    registerCodeLens(deps),
    registerSpecLanguage(deps),
    registerSpecSymbols(deps),
    registerSpecReferences(deps),
    registerSpecRename(deps),
    registerNewChange(deps),
    registerInitProject(deps),
    registerToggleTask(deps),
    registerValidateCommands(deps),
    previews.disposable,
    registerCompare({ ...deps, previews: previews.previews }),
    registerArchive({
      ...deps,
      proposals: ai.proposals,
      previews: previews.previews,
      records: archiveRecords,
      recordArchive,
    }),
    registerQuickFixes(),
  );
  log.logger.info(
    vscode.workspace.isTrusted
      ? 'LM Studio and the MCP servers you configured start at the first AI use.'
      : 'Restricted Mode: the explorer, validation and Compare work; AI, MCP and the openspec CLI wait until you trust this workspace.',
  );
  const activatedAt = performance.now();
  const activatedMs = activatedAt - started;
  const cache = loading?.codeCache;
  const bundle = cache
    ? ` (bundle compiled in ${cache.compileMs.toFixed(0)} ms, code cache ${cache.use}; run in ${cache.runMs.toFixed(0)} ms)`
    : '';
  log.logger.info(`OpenSpec Loop ${version} activated in ${activatedMs.toFixed(0)} ms${bundle}`);
  // A slow start on a large project is then visible in the log, with the size that explains it.
  const modelsReadyMs = models.ready.then(() => {
    const readyMs = performance.now() - started;
    const changes = models.folders.reduce((sum, folder) => sum + folder.workspace.changes.length, 0);
    const specs = models.folders.reduce((sum, folder) => sum + folder.workspace.specs.length, 0);
    log.logger.info(
      `Models of ${counted(changes, 'change')} and ${counted(specs, 'spec')} ready ${readyMs.toFixed(0)} ms after activation started`,
    );
    return readyMs;
  });
  modelsReadyMs.catch(() => undefined);
  const codeCacheSaved = saveCodeCache(cache, models.ready, log.logger);
  return {
    models,
    aiTree: tree,
    mcpServer: mcp.handle,
    mcpHub: hub.handle,
    loop: loop.handle,
    lessons: (folder) => feedback.lessons(folder),
    validation: diagnostics.passes,
    activation: {
      startedAt: performance.timeOrigin + started,
      activatedMs,
      composeMs: activatedAt - composing,
      modelsReadyMs,
      bundleCompileMs: cache?.compileMs ?? 0,
      bundleRunMs: cache?.runMs ?? 0,
      codeCache: cache?.use ?? 'none',
      codeCacheSaved,
    },
  };
}

/**
 * Writes the code cache for the next start, a while after the models are ready, unless this start used one.
 * A cache that cannot be written costs the next start its shortcut, nothing more: it is logged, not shown.
 */
async function saveCodeCache(
  codeCache: CodeCachedModule<unknown> | undefined,
  modelsReady: Promise<unknown>,
  logger: Logger,
): Promise<string | undefined> {
  if (codeCache === undefined || codeCache.use === 'used') return undefined;
  await modelsReady.catch(() => undefined);
  await delay(CODE_CACHE_AFTER_MS);
  try {
    await codeCache.save();
    logger.info(`Code cache for the next start written (this start compiled from source: cache ${codeCache.use})`);
    return codeCache.cacheFile;
  } catch (error) {
    logger.warn(`The code cache for the next start could not be written: ${errorMessage(error)}`);
    return undefined;
  }
}

export function deactivate(): void {}
