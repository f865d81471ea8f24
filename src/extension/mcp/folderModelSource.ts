import { readdir } from 'node:fs/promises';
import { posix as path } from 'node:path';
import { SharedRuns } from '../../core/async/sharedRuns';
import type { Logger } from '../../core/logger';
import type { FolderWatch, FolderWatcher } from '../../core/openspec/folderWatcher';
import type { OpenSpecWorkspace } from '../../core/openspec/model';
import { WorkspaceScans, type WorkspaceSource } from '../../core/mcp/server/workspaceScans';
import { toNative } from '../../node/nodeFileSystem';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';

/** What the source needs of the window's models: bring them up to date, and hear of disk changes. */
export type ModelUpdates = Pick<OpenSpecModels, 'settled' | 'diskChanged' | 'refresh'>;

/**
 * The project as the window's MCP server answers from it: the folder's live model, the one the editor shows
 * (unsaved text included), brought up to date before each call. VS Code's file watcher reports late, so on the
 * folder's first call a watcher of our own starts on `openspec/` whose barrier (`settle`) tells when every
 * change finished on disk before the call has been reported; its reports join VS Code's, then the model's
 * pending updates are applied at once (`settled`). A window no agent talks to starts no watcher.
 *
 * Where that watcher cannot run (not Linux, inotify limit) or stops delivering, and while `openspec/` holds a
 * symbolic link (the editor follows links, agents must not read what one leads to outside `openspec/`), each
 * call scans the folder through the confined file system instead, as the server did before it had a model.
 */
export class FolderModelSource implements WorkspaceSource {
  private readonly openspecDir: string;
  private readonly fallback: WorkspaceScans;
  private readonly updates = new SharedRuns(() => this.update());
  private starting: Promise<FolderWatch | undefined> | undefined;
  private watch: FolderWatch | undefined;
  private closed = false;
  /** Symbolic links under `openspec/` as far as the watcher and our walks saw them. */
  private readonly links = new Set<string>();
  private linkWalks: Promise<void> = Promise.resolve();

  constructor(
    readonly folder: FolderModel,
    private readonly models: ModelUpdates,
    private readonly watcher: FolderWatcher,
    private readonly logger: Logger,
  ) {
    this.openspecDir = path.join(folder.root, 'openspec');
    this.fallback = new WorkspaceScans(folder.fs, folder.root);
  }

  /** Whether calls are answered from the live model (false: not started yet, or a scan per call). */
  get live(): boolean {
    return this.watch !== undefined && this.links.size === 0;
  }

  /** The project with every edit finished before this call: typed, saved, or written to disk by anyone. */
  scan(): Promise<OpenSpecWorkspace> {
    return this.updates.next();
  }

  dispose(): void {
    this.closed = true;
    this.stopWatching();
  }

  private async update(): Promise<OpenSpecWorkspace> {
    const watch = await (this.starting ??= this.startWatching());
    if (!watch || this.watch !== watch) return this.fallback.scan();
    try {
      await watch.settle();
    } catch (error) {
      this.warn('its barrier did not arrive', error);
      this.stopWatching();
      return this.fallback.scan();
    }
    await this.linkWalks;
    if (this.watch !== watch || this.links.size > 0) return this.fallback.scan();
    await this.models.settled();
    return this.folder.workspace;
  }

  private async startWatching(): Promise<FolderWatch | undefined> {
    if (this.closed) return undefined;
    try {
      this.watch = this.watcher.watch(this.openspecDir, {
        changed: (file, link) => this.changed(file, link),
        failed: (error) => {
          this.warn('it stopped', error);
          this.stopWatching();
        },
      });
    } catch (error) {
      this.warn('it could not start', error);
      return undefined;
    }
    const watch = this.watch;
    try {
      // Once every folder is watched, nothing that happens from then on goes unreported.
      await watch.settle();
    } catch (error) {
      this.warn('its barrier did not arrive', error);
      this.stopWatching();
      return undefined;
    }
    this.walkForLinks(this.openspecDir);
    // What changed before the watch began may still be on its way from VS Code's watcher: read it all once.
    await this.models.refresh(this.folder);
    return watch;
  }

  private changed(file: string, link: boolean): void {
    this.models.diskChanged(file);
    for (const known of this.links) if (known === file || known.startsWith(`${file}/`)) this.links.delete(known);
    if (link) this.links.add(file);
    // A folder moved in is reported as one path: what it brings along is only seen by listing it.
    else this.walkForLinks(file);
  }

  /** Adds the links found under `folder` (nothing when it is a file or gone); calls wait for the walk. */
  private walkForLinks(folder: string): void {
    this.linkWalks = this.linkWalks.then(async () => {
      for (const link of await linksUnder(folder)) this.links.add(link);
    });
  }

  private stopWatching(): void {
    this.watch?.close();
    this.watch = undefined;
  }

  private warn(what: string, error: unknown): void {
    if (this.closed) return; // A watch closed with its server is no news.
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `MCP server: the file watcher of ${this.openspecDir} is off (${what}: ${reason}); each call reads the folder instead`,
    );
  }
}

/** The symbolic links in `folder` and below (links are not followed); none when it is no folder. */
async function linksUnder(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(toNative(folder), { withFileTypes: true });
  } catch {
    return [];
  }
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const child = path.join(folder, entry.name);
      if (entry.isSymbolicLink()) return [child];
      return entry.isDirectory() ? linksUnder(child) : [];
    }),
  );
  return nested.flat();
}
