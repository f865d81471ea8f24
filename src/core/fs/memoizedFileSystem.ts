import { posix as path } from 'node:path';
import { isPlainAbsolute, type DirectoryEntry, type EntryKind, type FileSystem } from './fileSystem';

/**
 * Remembers every answer of an underlying FileSystem, failures included, for the length of one operation.
 * Reproducing `openspec validate` means several passes over the same folders (delta discovery, unread
 * delta files, the archive dry run, task-file resolution, nested-change detection); with this wrapper each
 * folder and file is read once per run. Create one per run: it never notices later changes on disk, unless
 * a watcher tells it which paths changed (`forget`), as the MCP server's live model does.
 *
 * A folder already listed also answers `stat` and `realPath` for its entries: an entry that is a plain file
 * or folder (not a link) is what the listing says, and its real path is its folder's real path plus its
 * name. Only links, and paths in folders not listed, cost a call to the underlying file system; on a large
 * project that saves a stat or realpath for most of the files validation reads.
 */
export class MemoizedFileSystem implements FileSystem {
  private readonly files = new Map<string, Promise<string>>();
  private readonly directories = new Map<string, Promise<DirectoryEntry[]>>();
  /** The listings that have arrived, by name, for stat and realPath. */
  private readonly listed = new Map<string, ReadonlyMap<string, EntryKind>>();
  private readonly stats = new Map<string, Promise<'file' | 'directory' | 'other' | undefined>>();
  private readonly mtimes = new Map<string, Promise<number | undefined>>();
  private readonly realPaths = new Map<string, Promise<string>>();

  constructor(private readonly inner: FileSystem) {}

  readFile(file: string): Promise<string> {
    return remember(this.files, file, () => this.inner.readFile(file));
  }

  readDirectory(folder: string): Promise<DirectoryEntry[]> {
    // Callers get their own array: some sort the entries they receive in place.
    return remember(this.directories, folder, async () => {
      const entries = await this.inner.readDirectory(folder);
      this.listed.set(folder, new Map(entries.map((entry) => [entry.name, entry.kind])));
      return entries;
    }).then((entries) => [...entries]);
  }

  stat(file: string): Promise<'file' | 'directory' | 'other' | undefined> {
    return remember(this.stats, file, async () => {
      const listed = this.listedKind(file);
      if (listed === 'absent') return undefined;
      if (listed === 'file' || listed === 'directory') return listed;
      return this.inner.stat(file);
    });
  }

  mtime(file: string): Promise<number | undefined> {
    return remember(this.mtimes, file, () => this.inner.mtime(file));
  }

  realPath(file: string): Promise<string> {
    return remember(this.realPaths, file, async () => {
      const listed = this.listedKind(file);
      if (listed === 'file' || listed === 'directory') {
        return path.join(await this.realPath(path.dirname(file)), path.basename(file));
      }
      return this.inner.realPath(file);
    });
  }

  /**
   * Drops what is remembered of `file`, of everything below it and of its folder's listing and time: after a
   * watcher reported `file` created, changed, deleted or renamed, the next read of any of them asks the disk.
   */
  forget(file: string): void {
    const below = `${file}/`;
    const gone = (key: string) => key === file || key.startsWith(below);
    for (const cache of [this.files, this.directories, this.listed, this.stats, this.mtimes, this.realPaths])
      for (const key of cache.keys()) if (gone(key)) cache.delete(key);
    const folder = path.dirname(file);
    this.directories.delete(folder);
    this.listed.delete(folder);
    this.mtimes.delete(folder);
  }

  /**
   * What the listing of the path's folder says of it: its kind, 'absent' when the listing lacks it, or
   * undefined when that folder has not been listed (or the path is not in a plain absolute form).
   */
  private listedKind(file: string): EntryKind | 'absent' | undefined {
    const folder = path.dirname(file);
    if (folder === file || !isPlainAbsolute(file)) return undefined;
    const entries = this.listed.get(folder);
    if (!entries) return undefined;
    return entries.get(path.basename(file)) ?? 'absent';
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
