import { posix as path } from 'node:path';
import { FsError, isWithin, type DirectoryEntry, type EntryKind, type FileSystem } from './fileSystem';

/** A read refused because the path, links resolved, lies outside the folder a ConfinedFileSystem serves. */
export class ConfinementError extends FsError {
  /** In a few words, for a listing of what could not be read. */
  readonly reason: string;

  constructor(file: string, folder: string) {
    super('EACCES', file, `${file} leads outside ${folder} through a symbolic link; refused`);
    this.name = 'ConfinementError';
    this.reason = `a symbolic link leading outside ${path.basename(folder)}/`;
  }
}

/**
 * A FileSystem that answers only for what really lies inside `folder`: each path is resolved (links followed)
 * before it is read, and anything that resolves outside is refused. Listings and `stat` treat such a path as
 * not there (a linked file is skipped, never followed); reading it or listing it rejects with a
 * ConfinementError. A link that stays inside `folder` works as any file does.
 *
 * Made with `new`, it asks the inner file system for each path's real path on every call, so it can live as
 * long as the server. `forRun` makes one for a single run (a scan): it lists each folder once (its callers
 * get that listing too) and resolves each path once, from those listings, asking for a real path only where a
 * listing shows a link. Realpath for every file costs a scan as much again; a link swapped in later is seen
 * by the next run.
 */
export class ConfinedFileSystem implements FileSystem {
  private readonly folder: string;
  /** `folder` with a trailing slash: what every path below it starts with. */
  private readonly prefix: string;
  /** Per run only: each path's real location and verdict so far, and the folders listed to find them. */
  private readonly run:
    | {
        readonly realPaths: Map<string, Promise<string>>;
        readonly verdicts: Map<string, Promise<boolean>>;
        readonly listings: Map<string, Promise<Listing>>;
      }
    | undefined;

  constructor(
    private readonly inner: FileSystem,
    folder: string,
    options: { readonly run?: boolean } = {},
  ) {
    this.folder = path.normalize(folder);
    this.prefix = this.folder.endsWith('/') ? this.folder : `${this.folder}/`;
    this.run = options.run === true ? { realPaths: new Map(), verdicts: new Map(), listings: new Map() } : undefined;
  }

  /** For one run: listings, and every path's real location, are remembered until the run ends. */
  static forRun(inner: FileSystem, folder: string): ConfinedFileSystem {
    return new ConfinedFileSystem(inner, folder, { run: true });
  }

  async readFile(file: string): Promise<string> {
    await this.refuseOutside(file);
    return this.inner.readFile(file);
  }

  async readDirectory(directory: string): Promise<DirectoryEntry[]> {
    await this.refuseOutside(directory);
    if (!this.run) return this.inner.readDirectory(directory);
    // The listing the confinement made of it, failures included; each caller gets its own array to sort.
    const listing = await this.listingOf(path.normalize(directory));
    return [...listing.entries];
  }

  async stat(target: string): Promise<'file' | 'directory' | 'other' | undefined> {
    return (await this.isInside(target)) ? this.inner.stat(target) : undefined;
  }

  async mtime(target: string): Promise<number | undefined> {
    return (await this.isInside(target)) ? this.inner.mtime(target) : undefined;
  }

  /** Also for paths outside: a path is no content. For a run, the answer the confinement worked out. */
  realPath(target: string): Promise<string> {
    const normalized = path.normalize(target);
    return this.holds(normalized) ? this.realOf(normalized) : this.inner.realPath(target);
  }

  /** True when `target` is inside the folder by its text and, links resolved, on the disk. */
  isInside(target: string): Promise<boolean> {
    const normalized = path.normalize(target);
    if (!this.holds(normalized)) return Promise.resolve(false);
    if (!this.run) return this.resolvesInside(normalized);
    let verdict = this.run.verdicts.get(normalized);
    if (!verdict) {
      verdict = this.resolvesInside(normalized);
      this.run.verdicts.set(normalized, verdict);
    }
    return verdict;
  }

  private async resolvesInside(normalized: string): Promise<boolean> {
    const real = await this.realOf(normalized);
    // A path that resolves to itself passes no link (or does not exist): its text, checked before, decides.
    return real === normalized || isWithin(await this.realOf(this.folder), real);
  }

  /** By the text of a normalized path: the folder itself or below it. */
  private holds(normalized: string): boolean {
    return normalized === this.folder || normalized.startsWith(this.prefix);
  }

  private realOf(target: string): Promise<string> {
    if (!this.run) return this.inner.realPath(target);
    let real = this.run.realPaths.get(target);
    if (!real) {
      real = this.resolveFromListing(target);
      this.run.realPaths.set(target, real);
    }
    return real;
  }

  /**
   * Its parent's real path and its own name, unless the parent's listing shows a link by that name (then the
   * real path is asked for). A name the listing lacks does not exist: reading it fails as missing. Names are
   * also matched ignoring case, for file systems that do, and a name beyond ASCII is always asked about.
   */
  private async resolveFromListing(target: string): Promise<string> {
    // Below the folder, so `target` has a parent inside it; normalized, so plain string cuts suffice.
    if (target === this.folder) return this.inner.realPath(target);
    const slash = target.lastIndexOf('/');
    const parent = target.slice(0, slash);
    const name = target.slice(slash + 1);
    const listing = await this.listingOf(parent).catch(() => undefined);
    const kind = listing?.exact.get(name) ?? listing?.folded.get(name.toLowerCase());
    if (!listing || kind === 'symlink' || !/^[\x20-\x7e]*$/.test(name)) return this.inner.realPath(target);
    const realParent = await this.realOf(parent);
    return realParent.endsWith('/') ? `${realParent}${name}` : `${realParent}/${name}`;
  }

  /** The inner listing of `directory`; rejects as that does. For a run, asked once. */
  private listingOf(directory: string): Promise<Listing> {
    const listings = this.run?.listings;
    let listing = listings?.get(directory);
    if (!listing) {
      listing = this.inner.readDirectory(directory).then(listingFrom);
      // A failure is remembered too, but nobody need handle it until someone asks for that listing.
      void listing.catch(() => undefined);
      listings?.set(directory, listing);
    }
    return listing;
  }

  private async refuseOutside(target: string): Promise<void> {
    if (!(await this.isInside(target))) throw new ConfinementError(target, this.folder);
  }
}

/** A folder's entries, by name, and by name in lower case ('symlink' when any of those is a link). */
interface Listing {
  readonly entries: readonly DirectoryEntry[];
  readonly exact: ReadonlyMap<string, EntryKind>;
  readonly folded: ReadonlyMap<string, EntryKind>;
}

function listingFrom(entries: readonly DirectoryEntry[]): Listing {
  const exact = new Map<string, EntryKind>();
  const folded = new Map<string, EntryKind>();
  for (const entry of entries) {
    exact.set(entry.name, entry.kind);
    const lower = entry.name.toLowerCase();
    if (folded.get(lower) !== 'symlink') folded.set(lower, entry.kind);
  }
  return { entries, exact, folded };
}
