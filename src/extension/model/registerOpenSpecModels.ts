import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import type { ModelDelta } from '../../core/openspec/workspaceModel';
import { toPosix } from '../../node/nodeFileSystem';
import { LiveFolderModel } from './liveFolderModel';
import type { FolderModel, ModelChange, OpenSpecModels } from './openSpecModels';
import { Debouncer } from './debouncer';
import { counted } from '../../core/counted';
import { hostPause } from '../hostPause';

/** How long typing or file events settle before the model is updated, in ms. */
const TYPING_DELAY = 150;
const DISK_DELAY = 200;

/**
 * Builds and keeps live the model of every workspace folder with an `openspec/` folder: from the disk
 * through a debounced watcher, and from unsaved edits of open documents.
 */
export function registerOpenSpecModels(deps: {
  logger: Logger;
  /** The first scan of the workspace's folders starts once this settles (at once without it). */
  scanAfter?: Promise<void>;
}): {
  models: OpenSpecModels;
  disposable: vscode.Disposable;
} {
  const { logger } = deps;
  const emitter = new vscode.EventEmitter<ModelChange>();
  const removed = new vscode.EventEmitter<FolderModel>();
  let folders: LiveFolderModel[] = [];
  const watchers = new Map<string, vscode.Disposable>();
  // Updates land one after another, so `settled` can wait for the last one asked for; the chain never rejects.
  let applying: Promise<void> = Promise.resolve();
  const applyInTurn = (files: readonly string[], fromDisk: boolean) =>
    void (applying = applying.then(() => apply(files, fromDisk)));
  const typing = new Debouncer<string>(TYPING_DELAY, (files) => applyInTurn(files, false));
  const disk = new Debouncer<string>(DISK_DELAY, (files) => applyInTurn(files, true));

  const folderOf = (file: string) => folders.find((model) => model.contains(file));
  const documentPath = (document: vscode.TextDocument) =>
    document.uri.scheme === 'file' ? toPosix(document.uri.fsPath) : undefined;
  // Open documents by path: the folders' file systems read them live, so unsaved text counts at once.
  const open = new Map<string, vscode.TextDocument>();
  const track = (document: vscode.TextDocument) => {
    const file = documentPath(document);
    if (file) open.set(file, document);
  };
  vscode.workspace.textDocuments.forEach(track);
  // Only unsaved text overrides the disk. A clean document holds what the disk held when VS Code read it, and
  // VS Code reloads it only once its own watcher noticed a write: until then the disk is the newer of the two.
  const unsaved = (file: string) => {
    const document = open.get(file);
    return document?.isDirty ? document : undefined;
  };
  const documents = {
    textOf: (file: string) => unsaved(file)?.getText(),
    paths: () => [...open.keys()].filter((file) => unsaved(file) !== undefined),
  };

  async function apply(files: readonly string[], fromDisk: boolean): Promise<void> {
    for (const folder of folders) {
      const mine = files.filter((file) => folder.contains(file));
      if (mine.length === 0) continue;
      try {
        const deltas: ModelDelta[] = [];
        for (const file of mine) {
          // A burst of file events (a checkout, a generator) is applied a slice at a time.
          await hostPause();
          // Unsaved text is the truth for its file; the disk for every other file, open in an editor or not.
          const document = unsaved(file);
          deltas.push(document ? await folder.applyText(file, document.getText()) : await folder.applyDisk(file));
        }
        emitter.fire({ folder, delta: mergeDeltas(deltas), documents: mine, fromDisk });
      } catch (error) {
        logger.error(`Could not update the OpenSpec model of ${folder.root}`, error);
      }
    }
  }

  const opening = new Map<string, Promise<void>>();
  /** Opens a folder's model once at a time: `openspec init` creates a burst of files that each ask for it. */
  function addFolder(workspaceFolder: vscode.WorkspaceFolder): Promise<void> {
    const key = workspaceFolder.uri.toString();
    const pending = opening.get(key) ?? openFolder(workspaceFolder).finally(() => opening.delete(key));
    opening.set(key, pending);
    return pending;
  }

  const hasModel = (workspaceFolder: vscode.WorkspaceFolder) =>
    folders.some((model) => model.folder.uri.toString() === workspaceFolder.uri.toString());

  /** Watches `openspec/**` of every folder: updates its model, or opens one when `openspec/` first appears. */
  function watch(workspaceFolder: vscode.WorkspaceFolder): void {
    if (watchers.has(workspaceFolder.uri.toString())) return;
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(workspaceFolder, 'openspec/**'),
    );
    const onEvent = (uri: vscode.Uri) =>
      hasModel(workspaceFolder) ? disk.add(toPosix(uri.fsPath)) : void addFolder(workspaceFolder);
    watchers.set(
      workspaceFolder.uri.toString(),
      vscode.Disposable.from(
        watcher,
        watcher.onDidCreate(onEvent),
        watcher.onDidChange(onEvent),
        watcher.onDidDelete(onEvent),
      ),
    );
  }

  async function openFolder(workspaceFolder: vscode.WorkspaceFolder): Promise<void> {
    watch(workspaceFolder);
    if (hasModel(workspaceFolder)) return;
    try {
      const model = await LiveFolderModel.open(workspaceFolder, documents, logger);
      if (!model || !watchers.has(workspaceFolder.uri.toString())) return;
      // In the workspace's order, whichever folder finished reading first.
      folders = [...folders, model].sort((a, b) => a.folder.index - b.folder.index);
      for (const document of vscode.workspace.textDocuments) {
        const file = toPosix(document.uri.fsPath);
        if (document.uri.scheme === 'file' && document.isDirty && model.contains(file))
          await model.applyText(file, document.getText());
      }
      emitter.fire({
        folder: model,
        delta: {
          changes: model.workspace.changes.map((change) => change.id),
          specs: model.workspace.specs.map((spec) => spec.capability),
          archive: true,
          config: true,
        },
        documents: [],
        fromDisk: true,
      });
      logger.info(
        `OpenSpec model of ${model.root}: ${counted(model.workspace.changes.length, 'change')}, ${counted(model.workspace.specs.length, 'spec')}, ${model.workspace.archive.length} archived`,
      );
    } catch (error) {
      logger.error(`Could not read the OpenSpec folder of ${workspaceFolder.uri.fsPath}`, error);
    }
  }

  function removeFolder(workspaceFolder: vscode.WorkspaceFolder): void {
    const key = workspaceFolder.uri.toString();
    const gone = folders.filter((model) => model.folder.uri.toString() === key);
    folders = folders.filter((model) => model.folder.uri.toString() !== key);
    watchers.get(key)?.dispose();
    watchers.delete(key);
    for (const model of gone) {
      logger.info(`OpenSpec model of ${model.root} dropped: the folder left the workspace`);
      removed.fire(model);
    }
  }

  const ready = (deps.scanAfter ?? Promise.resolve())
    .then(() => Promise.all((vscode.workspace.workspaceFolders ?? []).map(addFolder)))
    .then(() => undefined);

  const subscriptions = vscode.Disposable.from(
    emitter,
    removed,
    typing,
    disk,
    vscode.workspace.onDidChangeTextDocument((event) => {
      const file = documentPath(event.document);
      if (file && event.contentChanges.length > 0 && folderOf(file)) typing.add(file);
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      const file = documentPath(document);
      if (file && folderOf(file)) disk.add(file);
    }),
    vscode.workspace.onDidOpenTextDocument(track),
    vscode.workspace.onDidCloseTextDocument((document) => {
      const file = documentPath(document);
      if (!file || open.get(file) !== document) return;
      open.delete(file);
      // Closed without saving: the disk is the truth again for that file.
      if (folderOf(file)) disk.add(file);
    }),
    vscode.workspace.onDidChangeWorkspaceFolders((event) => {
      event.removed.forEach(removeFolder);
      void Promise.all(event.added.map(addFolder));
    }),
    {
      dispose: () => {
        for (const watcher of watchers.values()) watcher.dispose();
      },
    },
  );

  const models: OpenSpecModels = {
    ready,
    get folders(): readonly FolderModel[] {
      return folders;
    },
    onDidChange: emitter.event,
    onDidRemoveFolder: removed.event,
    folderFor: (uri) =>
      (uri.scheme === 'file' ? folderOf(toPosix(uri.fsPath)) : undefined) ??
      folders.find((model) => model.folder.uri.toString() === uri.toString()),
    settled: async () => {
      typing.flush();
      disk.flush();
      await Promise.all([...opening.values(), applying]);
    },
    diskChanged: (file) => {
      if (folderOf(file)) disk.add(file);
    },
    refresh: async (only?: FolderModel) => {
      for (const folder of folders.filter((model) => only === undefined || model === only))
        emitter.fire({ folder, delta: await folder.refresh(), documents: [], fromDisk: true });
      if (only) return;
      // A folder whose openspec/ appeared behind the watcher's back (or before it existed) is picked up here.
      await Promise.all((vscode.workspace.workspaceFolders ?? []).filter((folder) => !hasModel(folder)).map(addFolder));
    },
  };
  return { models, disposable: subscriptions };
}

function mergeDeltas(deltas: readonly ModelDelta[]): ModelDelta {
  return {
    changes: [...new Set(deltas.flatMap((delta) => delta.changes))],
    specs: [...new Set(deltas.flatMap((delta) => delta.specs))],
    archive: deltas.some((delta) => delta.archive),
    config: deltas.some((delta) => delta.config),
  };
}
