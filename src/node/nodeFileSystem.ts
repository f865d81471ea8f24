import { readFileSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import * as nodePath from 'node:path';
import {
  FsError,
  type DirectoryEntry,
  type EntryKind,
  type FileSignature,
  type FileSystem,
  type SyncFileSystem,
} from '../core/fs/fileSystem';

/** The core's questions answered by Node's synchronous `fs` calls. On Windows, core POSIX paths are converted here. */
export class NodeSyncFileSystem implements SyncFileSystem {
  readFile(path: string): string {
    return wrap(path, () => readFileSync(toNative(path), 'utf8'));
  }

  readDirectory(path: string): DirectoryEntry[] {
    const entries = wrap(path, () => readdirSync(toNative(path), { withFileTypes: true }));
    return entries.map((entry) => ({ name: entry.name, kind: kindOf(entry) }));
  }

  stat(path: string): 'file' | 'directory' | 'other' | undefined {
    const stats = wrap(path, () => statSync(toNative(path), { throwIfNoEntry: false }));
    if (!stats) return undefined;
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  }

  mtime(path: string): number | undefined {
    // A folder that cannot be entered (EACCES) or a loop of links rejects like a read, as an FsError.
    return wrap(path, () => statSync(toNative(path), { throwIfNoEntry: false }))?.mtimeMs;
  }

  signature(path: string): FileSignature | undefined {
    const stats = statSync(toNative(path), { throwIfNoEntry: false });
    if (!stats?.isFile()) return undefined;
    // The change time moves on every write, even one that puts an old modification time back.
    return {
      key: `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}:${stats.dev}`,
      changedAt: Math.max(stats.mtimeMs, stats.ctimeMs),
    };
  }

  realPath(path: string): string {
    try {
      return toPosix(realpathSync.native(toNative(path)));
    } catch {
      return path;
    }
  }
}

/**
 * The core's FileSystem over Node's `fs`.
 *
 * The calls are synchronous behind the async interface on purpose: OpenSpec folders are thousands of small
 * files, and Node's promise API costs about ten times more per file (a 3,000-file project reads in ~35 ms
 * synchronously against ~360 ms through fs.promises). Each call blocks for microseconds only.
 */
export class NodeFileSystem implements FileSystem {
  readonly sync = new NodeSyncFileSystem();

  async readFile(path: string): Promise<string> {
    return this.sync.readFile(path);
  }

  async readDirectory(path: string): Promise<DirectoryEntry[]> {
    return this.sync.readDirectory(path);
  }

  async stat(path: string): Promise<'file' | 'directory' | 'other' | undefined> {
    return this.sync.stat(path);
  }

  async mtime(path: string): Promise<number | undefined> {
    return this.sync.mtime(path);
  }

  async signature(path: string): Promise<FileSignature | undefined> {
    return this.sync.signature(path);
  }

  async realPath(path: string): Promise<string> {
    return this.sync.realPath(path);
  }
}

function kindOf(entry: Dirent): EntryKind {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (entry.isSymbolicLink()) return 'symlink';
  return 'other';
}

function wrap<T>(path: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new FsError(code, path, (error as Error).message);
  }
}

/** Converts a native path (as from process.cwd()) to the core's POSIX form. */
export function toPosix(nativePath: string): string {
  if (nodePath.sep === '/') return nativePath;
  return nativePath.split(nodePath.sep).join('/');
}

export function toNative(posixPath: string): string {
  if (nodePath.sep === '/') return posixPath;
  return posixPath.split('/').join(nodePath.sep);
}
