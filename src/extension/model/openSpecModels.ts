import type * as vscode from 'vscode';
import type { FileSystem } from '../../core/fs/fileSystem';
import type { OpenSpecWorkspace } from '../../core/openspec/model';
import type { ModelDelta } from '../../core/openspec/workspaceModel';

/** The live model of one workspace folder that holds an `openspec/` folder. */
export interface FolderModel {
  readonly folder: vscode.WorkspaceFolder;
  /** Absolute POSIX path of the project folder (the one containing `openspec/`). */
  readonly root: string;
  /** The current snapshot, replaced (never mutated) on every change; unsaved editor text included. */
  readonly workspace: OpenSpecWorkspace;
  /** Files as the user sees them: unsaved editor text over the disk. Pass it to the core's validator. */
  readonly fs: FileSystem;
  /** The editor URI of a core (POSIX) path in this folder. */
  toUri(path: string): vscode.Uri;
}

export interface ModelChange {
  readonly folder: FolderModel;
  /** Which changes, specs, archive or config were touched. */
  readonly delta: ModelDelta;
  /** Core paths of documents whose text changed (typed or saved). */
  readonly documents: readonly string[];
  /** True when the change came from disk (a save, a file created or deleted, a refresh), false for typing. */
  readonly fromDisk: boolean;
}

/**
 * Every OpenSpec folder of the window, kept live from the disk (debounced file watcher) and from unsaved
 * edits of open documents. The tree, diagnostics and CodeLens all read from here.
 */
export interface OpenSpecModels {
  /** Settles when every workspace folder has been scanned once. */
  readonly ready: Promise<void>;
  readonly folders: readonly FolderModel[];
  readonly onDidChange: vscode.Event<ModelChange>;
  /**
   * A workspace folder left the window (or lost its watcher's model): its model is no longer in `folders`, and
   * whatever was kept for it (diagnostics, tree nodes, caches) is to be dropped. A folder that arrives is
   * announced by its first `onDidChange`.
   */
  readonly onDidRemoveFolder: vscode.Event<FolderModel>;
  /** The folder model a document or file belongs to, if any. */
  folderFor(uri: vscode.Uri): FolderModel | undefined;
  /**
   * Settles once the model holds every edit the window has seen so far: the text typed and the file events
   * reported are applied now instead of after their debounce, and every update under way has landed. For
   * readers that must not answer from before an edit (the MCP server's calls).
   */
  settled(): Promise<void>;
  /**
   * A file under a folder's `openspec/` changed on disk, as a watcher other than VS Code's saw it; applied
   * like VS Code's file events (debounced, open documents keep precedence). Paths outside every folder are ignored.
   */
  diskChanged(file: string): void;
  /** Re-reads every folder from disk, or only `folder`. */
  refresh(folder?: FolderModel): Promise<void>;
}
