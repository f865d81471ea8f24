import { promises as fsp, type Stats } from 'node:fs';
import * as nodePath from 'node:path';
import { applyBatch, batchPaths, guardedBatch, resolveChange, type BatchSteps } from '../core/fs/fileBatch';
import { realPathOfEntry, realPathOfNearest } from '../core/fs/fileSystem';
import {
  EXISTS,
  MISSING,
  confinedWrite,
  PathLocks,
  refused,
  STALE,
  WRITTEN,
  type BatchOutcome,
  type FileChange,
  type FileWriter,
  type TextEdit,
  type WriteOutcome,
} from '../core/fs/fileWriter';
import { randomHex } from '../core/hash';
import { NodeFileSystem, toNative } from './nodeFileSystem';

export interface NodeFileWriterOptions {
  /**
   * A folder (absolute POSIX path): a write whose real target, links resolved, is not inside it is refused.
   * The MCP server confines agents to `openspec/` this way. What is checked is the resolved path that is then
   * written (never the link again), so a link changed after the check cannot lead the write elsewhere.
   */
  readonly within?: string | readonly string[];
  /**
   * Runs once the new text sits, synced, in its temporary file beside the target, right before the target is
   * checked again and the temporary file takes its place: where a second writer's change is caught.
   */
  readonly beforeCommit?: (file: string) => void | Promise<void>;
}

// One queue per real path for the whole process: every writer instance, and a link and its target, share it.
const locks = new PathLocks();
const files = new NodeFileSystem();
// A file that keeps changing under an update is given up on as stale after this many fresh reads.
const ATTEMPTS = 5;

/**
 * The FileWriter over Node's `fs`. Every write goes to a temporary file in the target's folder, is synced, and
 * is renamed over the target only after the target was read again and found as it was (a change made meanwhile
 * by another process is read and edited again, never overwritten); the folder is synced after the rename
 * where the platform allows. A write through a link lands on the link's target, and the link stays a link.
 */
export class NodeFileWriter implements FileWriter {
  constructor(private readonly options: NodeFileWriterOptions = {}) {}

  async update(file: string, edit: TextEdit): Promise<WriteOutcome> {
    const target = await realPathOfNearest(files, file);
    return locks.run([target], () => this.guarded([target], () => this.updateLocked(file, target, edit)));
  }

  async create(file: string, text: string): Promise<WriteOutcome> {
    const target = await realPathOfEntry(files, file);
    return locks.run([target], () => this.guarded([target], () => this.createLocked(file, target, text)));
  }

  async move(from: string, to: string): Promise<WriteOutcome> {
    const [source, target] = await Promise.all([realPathOfEntry(files, from), realPathOfEntry(files, to)]);
    return locks.run([source, target], () =>
      this.guarded([source, target], () => this.moveLocked(from, source, target)),
    );
  }

  /**
   * Each step is written as the single operations are (synced temporary files, renames); links are resolved
   * first, so a spec reached through a link is written where it lives and the link stays.
   */
  async applyAll(changes: readonly FileChange[]): Promise<BatchOutcome> {
    const resolved = await Promise.all(changes.map((change) => resolveChange(files, change)));
    const reals = batchPaths(resolved);
    return locks.run(reals, () =>
      guardedBatch(
        (write) => this.guarded(reals, write),
        () => applyBatch(diskSteps, resolved),
      ),
    );
  }

  private async updateLocked(file: string, target: string, edit: TextEdit): Promise<WriteOutcome> {
    const native = toNative(target);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const stats = await statOf(native);
      if (!stats) return MISSING;
      if (!stats.isFile()) return refused('it is not a file');
      const before = await fsp.readFile(native);
      const next = edit(before.toString('utf8'));
      if (typeof next !== 'string') return next;
      const mode = stats.mode & 0o7777;
      const landed = await withTemporary(native, next, mode, async (temporary) => {
        await this.options.beforeCommit?.(file);
        const now = await fsp.readFile(native).catch(() => undefined);
        if (!now?.equals(before)) return false;
        await fsp.rename(temporary, native);
        return true;
      });
      if (landed) {
        await syncFolder(nodePath.dirname(native));
        return WRITTEN;
      }
    }
    return STALE;
  }

  private async createLocked(file: string, target: string, text: string): Promise<WriteOutcome> {
    const native = toNative(target);
    if (await lstatOf(native)) return EXISTS;
    const folder = nodePath.dirname(native);
    const firstCreated = await fsp.mkdir(folder, { recursive: true });
    const landed = await withTemporary(native, text, undefined, async (temporary) => {
      await this.options.beforeCommit?.(file);
      return linkExclusively(temporary, native);
    });
    if (!landed) return EXISTS;
    await syncFolder(folder);
    if (firstCreated !== undefined) await syncFolder(nodePath.dirname(firstCreated));
    return WRITTEN;
  }

  private async moveLocked(from: string, source: string, target: string): Promise<WriteOutcome> {
    const [nativeSource, nativeTarget] = [toNative(source), toNative(target)];
    if (!(await lstatOf(nativeSource))) return MISSING;
    if (await lstatOf(nativeTarget)) return EXISTS;
    await fsp.mkdir(nodePath.dirname(nativeTarget), { recursive: true });
    await this.options.beforeCommit?.(from);
    // Checked again right before the rename, which would replace a file (or an empty folder) that came meanwhile.
    if (await lstatOf(nativeTarget)) return EXISTS;
    await fsp.rename(nativeSource, nativeTarget);
    await syncFolder(nodePath.dirname(nativeTarget));
    await syncFolder(nodePath.dirname(nativeSource));
    return WRITTEN;
  }

  private guarded(realTargets: readonly string[], write: () => Promise<WriteOutcome>): Promise<WriteOutcome> {
    return confinedWrite(files, this.options.within, realTargets, write);
  }
}

/** The steps of a batch on disk, over resolved paths. */
const diskSteps: BatchSteps = {
  read: async (file) => {
    const stats = await lstatOf(toNative(file));
    return stats?.isFile() ? fsp.readFile(toNative(file), 'utf8') : undefined;
  },
  exists: async (target) => (await lstatOf(toNative(target))) !== undefined,
  replace: async (file, text) => {
    const native = toNative(file);
    const mode = (await fsp.stat(native)).mode & 0o7777;
    await withTemporary(native, text, mode, async (temporary) => {
      await fsp.rename(temporary, native);
      return true;
    });
    await syncFolder(nodePath.dirname(native));
  },
  create: async (file, text) => {
    const native = toNative(file);
    const folder = nodePath.dirname(native);
    const firstCreated = await fsp.mkdir(folder, { recursive: true });
    const landed = await withTemporary(native, text, undefined, (temporary) => linkExclusively(temporary, native));
    if (!landed) throw new Error(`${file} appeared while it was being created`);
    await syncFolder(folder);
    return async () => {
      await fsp.rm(native, { force: true });
      // Folders this step made go with it; they held nothing else when it made them.
      if (firstCreated !== undefined) await removeEmptyFolders(folder, firstCreated, true);
    };
  },
  remove: async (file, pruneUpTo) => {
    const native = toNative(file);
    await fsp.unlink(native);
    const folder = nodePath.dirname(native);
    await syncFolder(pruneUpTo === undefined ? folder : await removeEmptyFolders(folder, toNative(pruneUpTo), false));
  },
  move: async (from, to) => {
    const [source, target] = [toNative(from), toNative(to)];
    await fsp.mkdir(nodePath.dirname(target), { recursive: true });
    if (await lstatOf(target)) throw new Error(`${to} appeared before the move`);
    await fsp.rename(source, target);
    await syncFolder(nodePath.dirname(target));
    await syncFolder(nodePath.dirname(source));
  },
};

/**
 * Removes `folder` and its parents while they are empty, up to `top` (and `top` itself when `includeTop`).
 * Returns the deepest folder left standing: its list of entries is the one that changed.
 */
async function removeEmptyFolders(folder: string, top: string, includeTop: boolean): Promise<string> {
  let current = folder;
  while (current === top ? includeTop : current.startsWith(`${top}${nodePath.sep}`)) {
    try {
      await fsp.rmdir(current);
    } catch {
      // Not empty (or already gone): it and everything above it stay.
      return current;
    }
    if (current === top) return nodePath.dirname(current);
    current = nodePath.dirname(current);
  }
  return current;
}

/**
 * Writes `file` (absolute POSIX path; text as UTF-8, bytes as they are) whatever it holds, creating its folder:
 * through a synced temporary file renamed over it, so a crash leaves the old content or the new, never half of
 * one. For the extension's own state files, which nobody else edits; the user's files go through a NodeFileWriter.
 */
export async function writeFileAtomically(file: string, content: string | Uint8Array): Promise<void> {
  const native = toNative(file);
  await locks.run([file], async () => {
    await fsp.mkdir(nodePath.dirname(native), { recursive: true });
    await withTemporary(native, content, undefined, async (temporary) => {
      await fsp.rename(temporary, native);
      return true;
    });
    await syncFolder(nodePath.dirname(native));
  });
}

/**
 * Writes `content` to a new temporary file beside `native`, synced to disk, and runs `commit` with its path; the
 * temporary file is removed afterwards unless `commit` answered true (it took the target's place).
 */
async function withTemporary(
  native: string,
  content: string | Uint8Array,
  mode: number | undefined,
  commit: (temporary: string) => Promise<boolean>,
): Promise<boolean> {
  const temporary = nodePath.join(nodePath.dirname(native), `.${nodePath.basename(native)}.${randomHex(6)}.tmp`);
  let committed = false;
  try {
    const handle = await fsp.open(temporary, 'wx');
    try {
      await handle.writeFile(content, typeof content === 'string' ? 'utf8' : undefined);
      if (mode !== undefined) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    committed = await commit(temporary);
    return committed;
  } finally {
    if (!committed) await fsp.rm(temporary, { force: true });
  }
}

/**
 * Gives the temporary file the target's name only if nothing has that name: a hard link fails when the target
 * exists, as one step. Where the file system has no hard links, the check and a rename have to do.
 */
async function linkExclusively(temporary: string, native: string): Promise<boolean> {
  try {
    await fsp.link(temporary, native);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
    if (await lstatOf(native)) return false;
    await fsp.rename(temporary, native);
    return true;
  }
  await fsp.rm(temporary, { force: true });
  // The link is the file now; answering true keeps withTemporary from removing anything more.
  return true;
}

/** Makes a rename or a new file in `folder` survive a crash. Windows cannot open a folder for syncing. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(folder, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse to sync a folder; the rename itself has happened.
  } finally {
    await handle?.close();
  }
}

async function statOf(native: string): Promise<Stats | undefined> {
  return fsp.stat(native).catch(missingAsUndefined);
}

async function lstatOf(native: string): Promise<Stats | undefined> {
  return fsp.lstat(native).catch(missingAsUndefined);
}

function missingAsUndefined(error: unknown): undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
  throw error;
}
