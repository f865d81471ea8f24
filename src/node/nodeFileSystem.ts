import { promises as fsp, type Dirent } from 'node:fs';
import * as nodePath from 'node:path';
import { FsError, type DirectoryEntry, type EntryKind, type FileSystem } from '../core/fs/fileSystem';

/** The core's FileSystem over Node's `fs`. On Windows, core POSIX paths are converted at this boundary. */
export class NodeFileSystem implements FileSystem {
  async readFile(path: string): Promise<string> {
    return wrap(path, () => fsp.readFile(toNative(path), 'utf8'));
  }

  async readDirectory(path: string): Promise<DirectoryEntry[]> {
    const entries = await wrap(path, () => fsp.readdir(toNative(path), { withFileTypes: true }));
    return entries.map((entry) => ({ name: entry.name, kind: kindOf(entry) }));
  }

  async stat(path: string): Promise<'file' | 'directory' | 'other' | undefined> {
    try {
      const stats = await fsp.stat(toNative(path));
      return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
    } catch {
      return undefined;
    }
  }

  async mtime(path: string): Promise<number | undefined> {
    try {
      return (await fsp.stat(toNative(path))).mtimeMs;
    } catch {
      return undefined;
    }
  }

  async realPath(path: string): Promise<string> {
    try {
      return toPosix(await fsp.realpath(toNative(path)));
    } catch {
      return path;
    }
  }
}

function kindOf(entry: Dirent): EntryKind {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (entry.isSymbolicLink()) return 'symlink';
  return 'other';
}

async function wrap<T>(path: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
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
