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

  async readFile(file: string): Promise<string> {
    const normalized = path.normalize(file);
    const entry = this.files.get(normalized);
    if (entry) return entry.text;
    if (this.directories.has(normalized)) throw new FsError('EISDIR', normalized);
    throw new FsError(this.files.has(path.dirname(normalized)) ? 'ENOTDIR' : 'ENOENT', normalized);
  }

  async readDirectory(directory: string): Promise<DirectoryEntry[]> {
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
  }

  async stat(target: string): Promise<'file' | 'directory' | undefined> {
    const normalized = path.normalize(target);
    if (this.files.has(normalized)) return 'file';
    if (this.directories.has(normalized)) return 'directory';
    return undefined;
  }

  async mtime(target: string): Promise<number | undefined> {
    const normalized = path.normalize(target);
    return this.files.get(normalized)?.mtime ?? (this.directories.has(normalized) ? 0 : undefined);
  }

  async realPath(target: string): Promise<string> {
    return path.normalize(target);
  }
}
