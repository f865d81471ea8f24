import { lstatSync, mkdtempSync, readdirSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { posix as path } from 'node:path';
import type { FolderChangeListener, FolderWatch, FolderWatcher } from '../core/openspec/folderWatcher';
import { toNative } from './nodeFileSystem';

/** A barrier not seen by then means the watcher is not delivering: the caller falls back to reading the disk. */
const BARRIER_TIMEOUT_MS = 2000;

/**
 * Watches a folder tree on Linux with one inotify watch per folder (Node's `fs.watch`, not recursive). All of
 * a process's watches share libuv's one inotify queue, which the kernel fills in the order changes happen, so
 * a barrier works: `settle` creates a file in a private folder watched on the same queue and waits for its
 * event; every change finished before it has been reported by then. Other platforms' watchers promise no such
 * order, so there `watch` throws and the caller reads the disk per call.
 *
 * The folders below the root are watched in the background, listed asynchronously: a project of 500 changes
 * has some 2,000 folders, and listing them at once held the editor's thread for most of a second. `settle`
 * waits until every one is watched, so whoever reads the disk after the first `settle` misses nothing.
 */
export class NodeFolderWatcher implements FolderWatcher {
  watch(folder: string, listener: FolderChangeListener): FolderWatch {
    if (process.platform !== 'linux') throw new Error('an ordered watcher needs Linux inotify');
    return new TreeWatch(folder, listener);
  }
}

class TreeWatch implements FolderWatch {
  /** POSIX folder path → its watcher. */
  private readonly folders = new Map<string, FSWatcher>();
  private readonly barrierDir: string;
  private readonly barrierWatcher: FSWatcher;
  private readonly pending = new Map<string, () => void>();
  private nextBarrier = 0;
  private closed = false;
  /** Settles once every folder that was there at the start is watched (or the watch failed). */
  private readonly watchedBelow: Promise<void>;

  constructor(
    root: string,
    private readonly listener: FolderChangeListener,
  ) {
    this.barrierDir = mkdtempSync(nodePath.join(tmpdir(), 'openspec-loop-watch-'));
    try {
      this.barrierWatcher = watch(this.barrierDir, (_event, name) => {
        const arrived = name === null ? undefined : this.pending.get(name.toString());
        arrived?.();
      });
      this.barrierWatcher.on('error', (error) => this.fail(error));
      // The root at once, so a folder that cannot be watched at all is refused here, not later.
      this.watchFolder(root);
    } catch (error) {
      this.close();
      throw error;
    }
    this.watchedBelow = this.watchBelow(root).catch((error: unknown) => this.fail(error));
  }

  async settle(): Promise<void> {
    await this.watchedBelow;
    if (this.closed) throw new Error('the watch is closed');
    const name = `barrier-${this.nextBarrier++}`;
    const file = nodePath.join(this.barrierDir, name);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(name);
        reject(new Error('the file watcher did not report its barrier'));
      }, BARRIER_TIMEOUT_MS);
      this.pending.set(name, () => {
        this.pending.delete(name);
        clearTimeout(timer);
        rmSync(file, { force: true });
        resolve();
      });
      try {
        writeFileSync(file, '');
      } catch (error) {
        this.pending.delete(name);
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const watcher of this.folders.values()) watcher.close();
    this.folders.clear();
    this.barrierWatcher?.close();
    rmSync(this.barrierDir, { recursive: true, force: true });
  }

  /**
   * The first watches below the root, a folder listing at a time. A folder already watched was reported
   * meanwhile and watched with all it holds; one gone before its watch began was reported by its parent.
   */
  private async watchBelow(folder: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(toNative(folder), { withFileTypes: true });
    } catch {
      return; // Gone again, or unreadable: its parent's event says it changed.
    }
    const below: string[] = [];
    for (const entry of entries) {
      const child = path.join(folder, entry.name);
      if (this.closed) return;
      if (!entry.isDirectory() || this.folders.has(child)) continue;
      try {
        this.watchFolder(child);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      below.push(child);
    }
    await Promise.all(below.map((child) => this.watchBelow(child)));
  }

  /** Watches `folder` alone, replacing a watch it had. */
  private watchFolder(folder: string): void {
    this.folders.get(folder)?.close();
    const watcher = watch(toNative(folder), (_event, name) => {
      if (name !== null) this.onChange(path.join(folder, name.toString().split(nodePath.sep).join('/')));
    });
    watcher.on('error', (error) => this.fail(error));
    this.folders.set(folder, watcher);
  }

  /** Watches `folder` and every folder below it (links not followed), replacing watches of a folder replaced. */
  private watchTree(folder: string): void {
    this.unwatchTree(folder);
    this.addWatches(folder);
  }

  /** Watches `folder` and every folder below it, none of which is watched now. */
  private addWatches(folder: string): void {
    this.watchFolder(folder);
    let entries;
    try {
      entries = readdirSync(toNative(folder), { withFileTypes: true });
    } catch {
      return; // Gone again, or unreadable: its parent's event already says it changed.
    }
    for (const entry of entries) if (entry.isDirectory()) this.addWatches(path.join(folder, entry.name));
  }

  private unwatchTree(folder: string): void {
    for (const [watched, watcher] of this.folders) {
      if (watched === folder || watched.startsWith(`${folder}/`)) {
        watcher.close();
        this.folders.delete(watched);
      }
    }
  }

  private onChange(file: string): void {
    if (this.closed) return;
    const kind = kindOf(file);
    try {
      // A folder created, renamed in or replaced: its contents are watched from now on; the model re-reads it.
      if (kind === 'directory') this.watchTree(file);
      else if (kind === undefined) this.unwatchTree(file);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.listener.changed(file, kind === 'link');
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.close();
    for (const settle of this.pending.values()) settle();
    this.listener.failed(error instanceof Error ? error : new Error(String(error)));
  }
}

function kindOf(file: string): 'file' | 'directory' | 'link' | undefined {
  try {
    const stat = lstatSync(toNative(file));
    if (stat.isSymbolicLink()) return 'link';
    return stat.isDirectory() ? 'directory' : 'file';
  } catch {
    return undefined;
  }
}
