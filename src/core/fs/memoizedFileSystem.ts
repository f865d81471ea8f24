import type { DirectoryEntry, FileSystem } from './fileSystem';

/**
 * Remembers every answer of an underlying FileSystem, failures included, for the length of one operation.
 * Reproducing `openspec validate` means several passes over the same folders (delta discovery, unread
 * delta files, the archive dry run, task-file resolution, nested-change detection); with this wrapper each
 * folder and file is read once per run. Create one per run: it never notices later changes on disk.
 */
export class MemoizedFileSystem implements FileSystem {
  private readonly files = new Map<string, Promise<string>>();
  private readonly directories = new Map<string, Promise<DirectoryEntry[]>>();
  private readonly stats = new Map<string, Promise<'file' | 'directory' | 'other' | undefined>>();
  private readonly mtimes = new Map<string, Promise<number | undefined>>();
  private readonly realPaths = new Map<string, Promise<string>>();

  constructor(private readonly inner: FileSystem) {}

  readFile(path: string): Promise<string> {
    return remember(this.files, path, () => this.inner.readFile(path));
  }

  readDirectory(path: string): Promise<DirectoryEntry[]> {
    // Callers get their own array: some sort the entries they receive in place.
    return remember(this.directories, path, () => this.inner.readDirectory(path)).then((entries) => [...entries]);
  }

  stat(path: string): Promise<'file' | 'directory' | 'other' | undefined> {
    return remember(this.stats, path, () => this.inner.stat(path));
  }

  mtime(path: string): Promise<number | undefined> {
    return remember(this.mtimes, path, () => this.inner.mtime(path));
  }

  realPath(path: string): Promise<string> {
    return remember(this.realPaths, path, () => this.inner.realPath(path));
  }
}

function remember<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let pending = cache.get(key);
  if (!pending) {
    pending = load();
    cache.set(key, pending);
  }
  return pending;
}
