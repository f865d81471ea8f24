import { posix as path } from 'node:path';
import { FsError, type DirectoryEntry, type FileSystem } from './fileSystem';

/**
 * An in-memory FileSystem: the core's tests run on it, and it holds unsaved editor text when layered
 * over a real file system. Directories exist implicitly as the parents of files, or explicitly via mkdir.
 */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, { text: string; mtime: number }>();
  private readonly directories = new Set<string>(['/']);
  private clock = 1;

  constructor(files: Record<string, string> = {}) {
    for (const [file, text] of Object.entries(files)) this.writeFile(file, text);
  }

  writeFile(file: string, text: string): void {
    const normalized = path.normalize(file);
    if (this.directories.has(normalized)) throw new FsError('EISDIR', normalized);
    this.mkdir(path.dirname(normalized));
    this.files.set(normalized, { text, mtime: this.clock++ });
  }

  mkdir(directory: string): void {
    let current = path.normalize(directory);
    while (!this.directories.has(current)) {
      if (this.files.has(current)) throw new FsError('ENOTDIR', current);
      this.directories.add(current);
      current = path.dirname(current);
    }
  }

  delete(target: string): void {
    const normalized = path.normalize(target);
    this.files.delete(normalized);
    for (const file of [...this.files.keys()]) if (file.startsWith(normalized + '/')) this.files.delete(file);
    for (const dir of [...this.directories])
      if (dir === normalized || dir.startsWith(normalized + '/')) this.directories.delete(dir);
  }

  /** Moves a file or a folder with everything in it; whatever is at `to` is replaced. */
  rename(from: string, to: string): void {
    const [source, target] = [path.normalize(from), path.normalize(to)];
    const moved = (entry: string) => (entry === source ? target : target + entry.slice(source.length));
    const inside = (entry: string) => entry === source || entry.startsWith(source + '/');
    const files = [...this.files].filter(([file]) => inside(file));
    const directories = [...this.directories].filter(inside);
    if (files.length === 0 && directories.length === 0) throw new FsError('ENOENT', source);
    this.delete(target);
    this.delete(source);
    this.mkdir(path.dirname(target));
    for (const directory of directories) this.directories.add(moved(directory));
    for (const [file, entry] of files) this.files.set(moved(file), { text: entry.text, mtime: this.clock++ });
  }

  readFile(file: string): Promise<string> {
    return answer(() => {
      const normalized = path.normalize(file);
      const entry = this.files.get(normalized);
      if (entry) return entry.text;
      if (this.directories.has(normalized)) throw new FsError('EISDIR', normalized);
      throw new FsError(this.files.has(path.dirname(normalized)) ? 'ENOTDIR' : 'ENOENT', normalized);
    });
  }

  readDirectory(directory: string): Promise<DirectoryEntry[]> {
    return answer(() => {
      const normalized = path.normalize(directory);
      if (this.files.has(normalized)) throw new FsError('ENOTDIR', normalized);
      if (!this.directories.has(normalized)) throw new FsError('ENOENT', normalized);
      const entries: DirectoryEntry[] = [];
      for (const dir of this.directories) {
        if (dir !== normalized && path.dirname(dir) === normalized)
          entries.push({ name: path.basename(dir), kind: 'directory' });
      }
      for (const file of this.files.keys()) {
        if (path.dirname(file) === normalized) entries.push({ name: path.basename(file), kind: 'file' });
      }
      return entries;
    });
  }

  stat(target: string): Promise<'file' | 'directory' | undefined> {
    const normalized = path.normalize(target);
    if (this.files.has(normalized)) return Promise.resolve('file');
    return Promise.resolve(this.directories.has(normalized) ? 'directory' : undefined);
  }

  mtime(target: string): Promise<number | undefined> {
    const normalized = path.normalize(target);
    return Promise.resolve(this.files.get(normalized)?.mtime ?? (this.directories.has(normalized) ? 0 : undefined));
  }

  realPath(target: string): Promise<string> {
    return Promise.resolve(path.normalize(target));
  }
}

/** The value of `read` as a promise, or its error as a rejection, as an asynchronous file system answers. */
function answer<T>(read: () => T): Promise<T> {
  return new Promise((resolve) => resolve(read()));
}
