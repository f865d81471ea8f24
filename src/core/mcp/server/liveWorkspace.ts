import { posix as path } from 'node:path';
import { SharedRuns } from '../../async/sharedRuns';
import { ConfinedFileSystem } from '../../fs/confinedFileSystem';
import type { FileSystem } from '../../fs/fileSystem';
import { MemoizedFileSystem } from '../../fs/memoizedFileSystem';
import type { FolderWatch, FolderWatcher } from '../../openspec/folderWatcher';
import type { OpenSpecWorkspace } from '../../openspec/model';
import { WorkspaceModel } from '../../openspec/workspaceModel';
import { PerRunFileSystem } from './perRunFileSystem';
import { WorkspaceScans, type WorkspaceSource } from './workspaceScans';

/** Beyond this many changed paths in one call, one full rescan is cheaper than many small ones. */
const MANY_CHANGES = 200;

/**
 * The project as a long-lived MCP server sees it: one WorkspaceModel kept current by a watcher on `openspec/`,
 * re-reading only what changed. Every answer is fresh: before it answers, a call waits for the watcher's
 * barrier (every change finished on disk before the call has then been reported) and re-reads what was
 * reported. Calls made while one is bringing the model up to date share the next update, as WorkspaceScans'
 * calls share a scan. Where watching is impossible or stops working, every call scans instead (WorkspaceScans).
 *
 * Reads go through a file system confined to `<root>/openspec/`, renewed per update so a link swapped in since
 * is resolved again: a link leading outside is left out and named in `unreadable`, as a scan does. Below the
 * confinement, what was read is remembered between calls and forgotten path by path as the watcher reports
 * them, so a call that reads files besides the model (validation) reads only what changed (`files`).
 */
export class LiveWorkspace implements WorkspaceSource {
  private readonly openspecDir: string;
  private readonly reads: PerRunFileSystem;
  /** What was read from the disk, forgotten where the watcher reports a change; a new one for a full re-read. */
  private remembered: MemoizedFileSystem;
  private readonly fallback: WorkspaceScans;
  private watch: FolderWatch | undefined;
  private model: WorkspaceModel | undefined;
  private readonly changed = new Set<string>();
  /** A change that a targeted re-read cannot place (a link, a folder of specs): the next update reads all. */
  private rescanAll = false;
  private readonly updates = new SharedRuns(() => this.update());

  constructor(
    private readonly fs: FileSystem,
    private readonly root: string,
    watcher: FolderWatcher,
  ) {
    this.openspecDir = path.join(root, 'openspec');
    this.remembered = new MemoizedFileSystem(fs);
    this.reads = new PerRunFileSystem(() => ConfinedFileSystem.forRun(this.remembered, this.openspecDir));
    this.fallback = new WorkspaceScans(fs, root);
    try {
      this.watch = watcher.watch(this.openspecDir, {
        changed: (file, link) => {
          if (link) this.rescanAll = true;
          this.changed.add(file);
        },
        failed: () => this.stopWatching(),
      });
    } catch {
      this.watch = undefined;
    }
  }

  /** Whether answers come from the watched model (false: from a scan per call). */
  get watching(): boolean {
    return this.watch !== undefined;
  }

  /** The project as it is on disk now: reflects every change finished before this call. */
  scan(): Promise<OpenSpecWorkspace> {
    return this.updates.next();
  }

  /**
   * Files as they are now, as fresh as `scan`, read from what the model already read where nothing changed
   * since: for a call that checks files besides the model, as validation does.
   */
  async files(): Promise<FileSystem> {
    await this.scan();
    return this.watch ? this.reads : ConfinedFileSystem.forRun(this.fs, this.openspecDir);
  }

  close(): void {
    this.stopWatching();
  }

  private async update(): Promise<OpenSpecWorkspace> {
    const watch = this.watch;
    if (!watch) return this.fallback.scan();
    try {
      await watch.settle();
    } catch {
      this.stopWatching();
      return this.fallback.scan();
    }
    if (this.watch !== watch) return this.fallback.scan();
    const files = [...this.changed];
    const all = !this.model || this.rescanAll || files.length > MANY_CHANGES;
    // Whatever was reported so far happened before the reads below.
    this.changed.clear();
    this.rescanAll = false;
    if (all) this.remembered = new MemoizedFileSystem(this.fs);
    else for (const file of files) this.remembered.forget(file);
    // With nothing reported the resolved paths still hold: a link swapped in is reported too.
    if (all || files.length > 0) this.reads.renew();
    if (!this.model) {
      this.model = await WorkspaceModel.load(this.reads, this.root);
      return this.model?.workspace ?? this.fallback.scan();
    }
    if (all) await this.model.refresh();
    else await this.reread(this.model, files);
    return this.model.workspace;
  }

  /** Re-reads the change folders, specs and config the files belong to; everything when one cannot be placed. */
  private async reread(model: WorkspaceModel, files: readonly string[]): Promise<void> {
    const changeFolders = new Set<string>();
    const documents = new Set<string>();
    for (const file of files) {
      const target = this.placeOf(file);
      if (target === undefined) return void (await model.refresh());
      if (target.kind === 'change') changeFolders.add(target.folder);
      else documents.add(file);
    }
    for (const file of documents) {
      const text = await this.reads.readFile(file).catch(() => undefined);
      // Gone, refused (a link leading out) or not a document the model updates from text: read it all.
      if (text === undefined || model.updateDocument(file, text) === undefined) return void (await model.refresh());
    }
    for (const folder of changeFolders) {
      // refresh re-reads the one change folder when it is there, and rescans when it is gone.
      await model.refresh(path.join(folder, 'proposal.md'));
    }
  }

  /** The change folder a path lies in, or a single document (spec, config); undefined for anything else. */
  private placeOf(file: string): { kind: 'change'; folder: string } | { kind: 'document' } | undefined {
    const parts = path.relative(this.openspecDir, file).split('/');
    if (parts[0] === 'changes') {
      const archived = parts[1] === 'archive';
      const id = archived ? parts[2] : parts[1];
      if (!id) return undefined;
      const folder = archived
        ? path.join(this.openspecDir, 'changes', 'archive', id)
        : path.join(this.openspecDir, 'changes', id);
      return { kind: 'change', folder };
    }
    const isConfig = parts.length === 1 && (parts[0] === 'config.yaml' || parts[0] === 'config.yml');
    const isSpec = parts[0] === 'specs' && parts.length >= 3 && parts[parts.length - 1] === 'spec.md';
    return isConfig || isSpec ? { kind: 'document' } : undefined;
  }

  private stopWatching(): void {
    this.watch?.close();
    this.watch = undefined;
    this.model = undefined;
  }
}
