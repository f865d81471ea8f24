import { FsError, isPlainAbsolute, type DirectoryEntry, type EntryKind } from './fileSystem';

/**
 * What one folder's listing says of the names in it. A plain file or folder (not a link) is what the listing
 * says; a name the listing lacks is missing, unless the disk could still hold it under another spelling.
 */
export interface Listing {
  readonly kinds: ReadonlyMap<string, EntryKind>;
  /** The names in lower case: a name that differs by case alone may be there on a case-insensitive disk. */
  readonly folded: ReadonlySet<string>;
}

/** The listing of `entries`, which must not change afterwards. */
export function listingOf(entries: readonly DirectoryEntry[]): Listing {
  return new EntriesListing(entries);
}

/**
 * Builds its lookups when first asked: a run lists hundreds of folders (every capability of the main specs, to
 * find them) and looks names up in a few, and the maps of the others were most of what one change's validation
 * allocated.
 */
class EntriesListing implements Listing {
  private byName: Map<string, EntryKind> | undefined;
  private lowerCase: Set<string> | undefined;

  constructor(private readonly entries: readonly DirectoryEntry[]) {}

  get kinds(): ReadonlyMap<string, EntryKind> {
    return (this.byName ??= new Map(this.entries.map((entry) => [entry.name, entry.kind])));
  }

  get folded(): ReadonlySet<string> {
    return (this.lowerCase ??= new Set(this.entries.map((entry) => entry.name.toLowerCase())));
  }
}

/** A plain file or folder, not a link: what a listing shows of it is what a stat through it says. */
export function isPlainKind(kind: EntryKind | 'absent' | undefined): kind is 'file' | 'directory' {
  return kind === 'file' || kind === 'directory';
}

/**
 * The kind `listing` shows for `name`, 'absent' when it surely lacks it, or undefined when it cannot tell: a
 * name that differs from a listed one by case alone, or one outside printable ASCII (a disk that normalizes
 * Unicode may hold it under another form).
 */
export function kindInListing(listing: Listing, name: string): EntryKind | 'absent' | undefined {
  const kind = listing.kinds.get(name);
  if (kind !== undefined) return kind;
  return listing.folded.has(name.toLowerCase()) || !/^[\x20-\x7e]*$/.test(name) ? undefined : 'absent';
}

/**
 * What the listings (by folder) say of a path: its kind as its folder's listing shows it, 'absent' when that
 * listing lacks it or a listing further up lacks a folder on the way, or undefined when no listing can tell
 * (or the path is not in a plain absolute form).
 */
export function listedKind(listings: ReadonlyMap<string, Listing>, file: string): EntryKind | 'absent' | undefined {
  return isPlainAbsolute(file) ? listedKindOfPlain(listings, file) : undefined;
}

/** The folder and the name of a plain absolute path other than the root. */
export function splitPlain(file: string): { folder: string; name: string } {
  const slash = file.lastIndexOf('/');
  return { folder: slash === 0 ? '/' : file.slice(0, slash), name: file.slice(slash + 1) };
}

/** `listedKind` of a path known to be plain: each folder up the way is plain too, so none is checked again. */
function listedKindOfPlain(listings: ReadonlyMap<string, Listing>, file: string): EntryKind | 'absent' | undefined {
  if (file === '/') return undefined;
  const { folder, name } = splitPlain(file);
  const listing = listings.get(folder);
  if (listing) return kindInListing(listing, name);
  return listedKindOfPlain(listings, folder) === 'absent' ? 'absent' : undefined;
}

/**
 * What Node's fs says of a missing path, as the underlying file system would have said it. Without a stack: a
 * run asks for hundreds of expected absences (a new capability's main spec, optional files), every caller
 * catches them, and capturing a stack for each cost more than the rest of answering (tens of ms per pass).
 */
export function missing(file: string, syscall: 'open' | 'scandir'): FsError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new FsError('ENOENT', file, `ENOENT: no such file or directory, ${syscall} '${file}'`);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
