import { posix as path } from 'node:path';

/**
 * The core's only view of files. Paths are absolute POSIX-style strings (`/a/b/c.md`); adapters translate
 * them for the platform. Errors are `FsError`s carrying the same codes Node uses, because several
 * OpenSpec rules depend on them (a missing file is silent, an unreadable one is reported).
 */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface DirectoryEntry {
  readonly name: string;
  /** The kind of the entry itself, as `readdir(..., { withFileTypes: true })` reports it (links not followed). */
  readonly kind: EntryKind;
}

export interface FileSystem {
  /** Reads a whole file as UTF-8. Rejects with FsError: ENOENT when missing, EISDIR for a directory. */
  readFile(path: string): Promise<string>;
  /** Lists a directory in no particular order. Rejects with FsError: ENOENT when missing, ENOTDIR for a file. */
  readDirectory(path: string): Promise<DirectoryEntry[]>;
  /**
   * The kind of what is at `path` with links followed, or undefined when nothing is there. Rejects with
   * FsError when it cannot be told (EACCES on a folder on the way, ELOOP).
   */
  stat(path: string): Promise<'file' | 'directory' | 'other' | undefined>;
  /** Modification time in ms since the epoch, or undefined when nothing is there; rejects like `stat`. */
  mtime(path: string): Promise<number | undefined>;
  /** The canonical form of an existing path (links resolved); the path itself when it cannot be resolved. */
  realPath(path: string): Promise<string>;
  /**
   * What tells a file's content apart without reading it, where the file system can say (a disk can, from
   * size, times and inode): undefined when nothing readable is there. Optional: callers that lack it read.
   */
  signature?(path: string): Promise<FileSignature | undefined>;
  /**
   * The same for a folder's listing, where the file system vouches that a folder's times move whenever a name in
   * it comes, goes or changes kind: undefined when it does not, or nothing listable is there. Optional.
   */
  folderSignature?(path: string): Promise<FileSignature | undefined>;
  /**
   * The same answers without a promise each, where the adapter has them at hand (a local disk): checking the
   * thousands of answers saved verdicts rest on then costs the system calls alone. Not memoized, not confined:
   * a wrapper that changes answers must not pass its inner file system's on.
   */
  readonly sync?: SyncFileSystem;
}

/** FileSystem's questions answered synchronously: the same results, and the same FsErrors thrown. */
export interface SyncFileSystem {
  readFile(path: string): string;
  readDirectory(path: string): DirectoryEntry[];
  stat(path: string): 'file' | 'directory' | 'other' | undefined;
  mtime(path: string): number | undefined;
  realPath(path: string): string;
  signature(path: string): FileSignature | undefined;
  folderSignature(path: string): FileSignature | undefined;
}

export interface FileSignature {
  /** Equal keys mean the same content, unless the file changed within a clock tick of `changedAt`. */
  readonly key: string;
  /** When the file last changed, in ms since the epoch: its latest modification or status-change time. */
  readonly changedAt: number;
}

/** Node's error codes; the ones named are those the core tells apart, any other passes through as it came. */
export type FsErrorCode =
  | 'ENOENT'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'EACCES'
  | 'EPERM'
  | 'ELOOP'
  | 'ENAMETOOLONG'
  | 'EIO'
  | (string & Record<never, never>);

export class FsError extends Error {
  constructor(
    readonly code: FsErrorCode,
    readonly path: string,
    message?: string,
  ) {
    super(message ?? `${code}: ${path}`);
    this.name = 'FsError';
  }

  /**
   * An FsError from any copy of this class. By name as well as `instanceof`: each CLI command is bundled apart
   * from the dispatcher that makes the file system (dist/cli-*.js), so its errors come from another copy.
   */
  static isInstance(error: unknown): error is FsError {
    return error instanceof FsError || (error instanceof Error && error.name === 'FsError');
  }

  static is(error: unknown, ...codes: FsErrorCode[]): error is FsError {
    if (typeof error !== 'object' || error === null) return false;
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && (codes.length === 0 || codes.includes(code));
  }
}

/** Reads a file, or undefined when it does not exist (any other failure still rejects). */
export async function readFileIfExists(fs: FileSystem, path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if (FsError.is(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
}

/** True when `target` is `directory` itself or below it, by the text of the paths (links are not resolved). */
export function isWithin(directory: string, target: string): boolean {
  // Plain absolute paths compare as strings: path.relative resolves both, which validation pays thousands of times.
  if (isPlainAbsolute(directory) && isPlainAbsolute(target)) {
    return target === directory || target.startsWith(directory === '/' ? '/' : `${directory}/`);
  }
  const relative = path.relative(directory, target);
  return relative === '' || (relative !== '..' && !relative.startsWith('../') && !path.isAbsolute(relative));
}

/** An absolute path with no `.`, `..`, empty segment or trailing slash (the root aside): already normalized. */
export function isPlainAbsolute(file: string): boolean {
  return file === '/' || (file.startsWith('/') && !file.endsWith('/') && !/\/\/|\/\.\.?(?:\/|$)/.test(file));
}

/** The real path of `file`, or of its nearest existing folder with the rest appended when it does not exist. */
export async function realPathOfNearest(fs: FileSystem, file: string): Promise<string> {
  let existing = file;
  const missing: string[] = [];
  for (;;) {
    // The real path first: a file system that hides a path (a link leading out of a confined folder) still
    // tells where it leads, and that must not pass for a file yet to be created.
    const real = await fs.realPath(existing);
    if (real !== existing || (await fs.stat(existing)) !== undefined) return path.join(real, ...missing);
    const parent = path.dirname(existing);
    if (parent === existing) return file;
    missing.unshift(path.basename(existing));
    existing = parent;
  }
}

/** The path of the entry itself (a link stays the link) with the links of the folders above it resolved. */
export async function realPathOfEntry(fs: FileSystem, file: string): Promise<string> {
  return path.join(await realPathOfNearest(fs, path.dirname(file)), path.basename(file));
}

/** True when `file`'s real location, links resolved, is strictly inside the real `folder`. */
export async function liesInside(fs: FileSystem, folder: string, file: string): Promise<boolean> {
  const [realFolder, realFile] = await Promise.all([fs.realPath(folder), realPathOfNearest(fs, file)]);
  return realFile.startsWith(realFolder.endsWith('/') ? realFolder : `${realFolder}/`);
}
