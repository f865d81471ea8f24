import { posix as path } from 'node:path';
import {
  isPlainAbsolute,
  type DirectoryEntry,
  type EntryKind,
  type FileSignature,
  type FileSystem,
  type SyncFileSystem,
} from './fileSystem';
import { isPlainKind, listedKind, listingOf, missing, type Listing } from './listing';

const none = Promise.resolve(undefined);

/**
 * Remembers every answer of an underlying FileSystem, failures included, for the length of one operation.
 * Reproducing `openspec validate` means several passes over the same folders (delta discovery, unread
 * delta files, the archive dry run, task-file resolution, nested-change detection); with this wrapper each
 * folder and file is read once per run. Create one per run: it never notices later changes on disk, unless
 * a watcher tells it which paths changed (`forget`), as the MCP server's live model does.
 *
 * A folder already listed also answers `stat` and `realPath` for its entries: an entry that is a plain file
 * or folder (not a link) is what the listing says, and its real path is its folder's real path plus its
 * name. A name a listing lacks is missing, and so is everything below it: reading it fails as missing
 * without asking. `stat` lists the folder of a path it is asked about (one listing answers for every
 * sibling, and costs what one stat does). Only links, names that differ from a listed one by case alone (a
 * case-insensitive disk may still hold them) and unlisted folders cost a call to the underlying file
 * system; on a large project that saves most of the stats, real paths and failed reads validation makes.
 */
export class MemoizedFileSystem implements FileSystem {
  private readonly files = new Map<string, Promise<string>>();
  private readonly directories = new Map<string, Promise<DirectoryEntry[]>>();
  /** The listings that have arrived, by name, for stat and realPath. */
  private readonly listed = new Map<string, Listing>();
  private readonly stats = new Map<string, Promise<'file' | 'directory' | 'other' | undefined>>();
  private readonly mtimes = new Map<string, Promise<number | undefined>>();
  private readonly realPaths = new Map<string, Promise<string>>();
  private readonly signatures = new Map<string, Promise<FileSignature | undefined>>();
  private readonly folderSignatures = new Map<string, Promise<FileSignature | undefined>>();

  constructor(private readonly inner: FileSystem) {}

  /** The inner file system's synchronous answers, as they come: remembering answers changes none of them. */
  get sync(): SyncFileSystem | undefined {
    return this.inner.sync;
  }

  readFile(file: string): Promise<string> {
    return remember(this.files, file, () =>
      this.listedKind(file) === 'absent' ? Promise.reject(missing(file, 'open')) : this.inner.readFile(file),
    );
  }

  readDirectory(folder: string): Promise<DirectoryEntry[]> {
    // Callers get their own array: some sort the entries they receive in place.
    return this.listing(folder).then((entries) => [...entries]);
  }

  stat(file: string): Promise<'file' | 'directory' | 'other' | undefined> {
    return remember(this.stats, file, async () => {
      let listed = this.listedKind(file);
      if (listed === undefined && isPlainAbsolute(file) && path.dirname(file) !== file) {
        // A failed listing (a file, no access) says nothing: the stat below answers as the disk does.
        await this.listing(path.dirname(file)).catch(() => undefined);
        listed = this.listedKind(file);
      }
      if (listed === 'absent') return undefined;
      if (isPlainKind(listed)) return listed;
      return this.inner.stat(file);
    });
  }

  mtime(file: string): Promise<number | undefined> {
    return remember(this.mtimes, file, () => this.inner.mtime(file));
  }

  realPath(file: string): Promise<string> {
    return remember(this.realPaths, file, async () => {
      const listed = this.listedKind(file);
      if (isPlainKind(listed)) {
        return path.join(await this.realPath(path.dirname(file)), path.basename(file));
      }
      return this.inner.realPath(file);
    });
  }

  signature(file: string): Promise<FileSignature | undefined> {
    return remember(this.signatures, file, () =>
      this.listedKind(file) === 'absent' ? none : (this.inner.signature?.(file) ?? none),
    );
  }

  folderSignature(folder: string): Promise<FileSignature | undefined> {
    return remember(this.folderSignatures, folder, () =>
      this.listedKind(folder) === 'absent' ? none : (this.inner.folderSignature?.(folder) ?? none),
    );
  }

  /**
   * Drops what is remembered of `file`, of everything below it and of its folder's listing and time: after a
   * watcher reported `file` created, changed, deleted or renamed, the next read of any of them asks the disk.
   */
  forget(file: string): void {
    const below = `${file}/`;
    const gone = (key: string) => key === file || key.startsWith(below);
    const caches = [
      this.files,
      this.directories,
      this.listed,
      this.stats,
      this.mtimes,
      this.realPaths,
      this.signatures,
      this.folderSignatures,
    ];
    for (const cache of caches) for (const key of cache.keys()) if (gone(key)) cache.delete(key);
    const folder = path.dirname(file);
    this.directories.delete(folder);
    this.listed.delete(folder);
    this.mtimes.delete(folder);
    this.folderSignatures.delete(folder);
  }

  private listing(folder: string): Promise<readonly DirectoryEntry[]> {
    return remember(this.directories, folder, async () => {
      if (this.listedKind(folder) === 'absent') throw missing(folder, 'scandir');
      const entries = await this.inner.readDirectory(folder);
      this.listed.set(folder, listingOf(entries));
      return entries;
    });
  }

  private listedKind(file: string): EntryKind | 'absent' | undefined {
    return listedKind(this.listed, file);
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
