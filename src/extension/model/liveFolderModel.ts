import { posix as path } from 'node:path';
import * as vscode from 'vscode';
import { OverlayFileSystem, type OpenDocuments } from '../../core/fs/overlayFileSystem';
import type { Logger } from '../../core/logger';
import { classifyDocument } from '../../core/openspec/documentPaths';
import type { OpenSpecWorkspace } from '../../core/openspec/model';
import { WorkspaceModel, type ModelDelta } from '../../core/openspec/workspaceModel';
import { NodeFileSystem, toNative, toPosix } from '../../node/nodeFileSystem';
import { hostPause } from '../hostPause';
import type { FolderModel } from './openSpecModels';

const EMPTY: ModelDelta = { changes: [], specs: [], archive: false, config: false };

/** One workspace folder's model: applies editor text and disk changes, and says what each touched. */
export class LiveFolderModel implements FolderModel {
  readonly fs: OverlayFileSystem;

  private constructor(
    readonly folder: vscode.WorkspaceFolder,
    readonly root: string,
    overlay: OverlayFileSystem,
    private readonly model: WorkspaceModel,
  ) {
    this.fs = overlay;
  }

  /** Scans the folder; undefined when it has no `openspec/` folder. */
  static async open(
    folder: vscode.WorkspaceFolder,
    documents: OpenDocuments,
    logger: Logger,
  ): Promise<LiveFolderModel | undefined> {
    if (folder.uri.scheme !== 'file') {
      logger.info(`Skipping ${folder.uri.toString()}: only folders on disk are read for now`);
      return undefined;
    }
    const root = toPosix(folder.uri.fsPath);
    const overlay = new OverlayFileSystem(new NodeFileSystem(), documents);
    const model = await WorkspaceModel.load(overlay, root, hostPause);
    return model ? new LiveFolderModel(folder, root, overlay, model) : undefined;
  }

  get workspace(): OpenSpecWorkspace {
    return this.model.workspace;
  }

  get openspecDir(): string {
    return this.model.workspace.openspecDir;
  }

  toUri(file: string): vscode.Uri {
    return vscode.Uri.file(toNative(file));
  }

  contains(file: string): boolean {
    return file === this.openspecDir || file.startsWith(this.openspecDir + '/');
  }

  /** An editor's text: re-parses that document alone, or re-reads its folder when the model cannot place it. */
  async applyText(file: string, text: string): Promise<ModelDelta> {
    return this.model.updateDocument(file, text) ?? (await this.model.refresh(file));
  }

  /**
   * A file changed, appeared or disappeared on disk. Open editors keep precedence over the disk. A file of a
   * change re-reads that change's folder: its time of last change comes from the disk, not from the text.
   */
  async applyDisk(file: string): Promise<ModelDelta> {
    if (this.fs.hasOverlay(file)) return EMPTY;
    if (
      path.basename(file) === path.basename(this.openspecDir) ||
      'changeId' in classifyDocument(this.openspecDir, file) ||
      (await this.fs.stat(file)) !== 'file'
    )
      return this.model.refresh(file);
    try {
      const text = await this.fs.readFile(file);
      return this.model.updateDocument(file, text) ?? (await this.model.refresh(file));
    } catch {
      return this.model.refresh(file);
    }
  }

  async refresh(): Promise<ModelDelta> {
    return this.model.refresh();
  }
}
