import { posix } from 'node:path';
import { sha256 } from '../hash';
import { rememberedByText } from '../validation/textMemo';
import {
  isPlainAbsolute,
  type DirectoryEntry,
  type FileSignature,
  type FileSystem,
  type SyncFileSystem,
} from './fileSystem';
import { isPlainKind, listedKind, listingOf, missing, splitPlain, type Listing } from './listing';

/**
 * The five questions the FileSystem port answers, and a digest of each answer, failures included. A result
 * computed from nothing but a file system's answers (a validation verdict) still holds as long as the same
 * questions get the same digests: that is how a verdict saved by an earlier run is proven still true.
 */
export type FsQuestion = 'read' | 'list' | 'stat' | 'mtime' | 'real';

export interface FsObservation {
  readonly question: FsQuestion;
  readonly path: string;
  /** A digest of the answer: the text's SHA-256, the sorted listing's, the kind, the time, the real path, or the failure. */
  readonly answer: string;
  /** For a read, the file's signature; for a listing, the folder's; where the file system gives one. */
  readonly signature?: FileSignature;
}

/** Asks `fs` one question and digests the answer; a failure is an answer too (its code and message). */
export async function observe(fs: FileSystem, question: FsQuestion, path: string): Promise<string> {
  try {
    return digestAnswer(question, await ask(fs, question, path));
  } catch (error) {
    return digestFailure(error);
  }
}

/** `observe`, answered synchronously. */
export function observeNow(fs: SyncFileSystem, question: FsQuestion, path: string): string {
  try {
    return digestAnswer(question, ask(fs, question, path));
  } catch (error) {
    return digestFailure(error);
  }
}

interface Answer {
  readonly question: FsQuestion;
  readonly path: string;
  readonly outcome: { value: unknown } | { error: unknown };
  readonly signature?: FileSignature;
}

/**
 * A FileSystem that answers from `inner` and keeps what was asked and what came back. Meant over a file system
 * that answers the same question the same way for its lifetime (a run's MemoizedFileSystem), so the first
 * answer to each question stands for all of them, and digests are taken once, when asked for.
 */
export class RecordingFileSystem implements FileSystem {
  private readonly answers = new Map<string, Answer>();

  constructor(
    private readonly inner: FileSystem,
    /** Shared by the recorders of one run, which list the same folders. */
    private readonly listings: ListingDigests = new ListingDigests(),
  ) {}

  /**
   * Every distinct question asked so far, with the answer it got, less those the others answer: a kind or a
   * real path that a listing kept here shows (with its folder's real path), and a missing file's or folder's
   * failure. Checking a listing again costs one call, and a large project asks thousands of such questions.
   */
  observations(): FsObservation[] {
    const answers = [...this.answers.values()];
    const listings = new Map<string, Listing>();
    const realPaths = new Map<string, string>();
    const listed = new Map<string, string>();
    for (const { question, path, outcome } of answers) {
      if (!('value' in outcome)) continue;
      if (question === 'list') {
        const { listing, digest } = this.listings.of(path, outcome.value as DirectoryEntry[]);
        listings.set(path, listing);
        listed.set(path, digest);
      }
      if (question === 'real') realPaths.set(path, outcome.value as string);
    }
    return answers
      .filter((answer) => !impliedByListings(answer, listings, realPaths))
      .map(({ question, path, outcome, signature }) => ({
        question,
        path,
        answer:
          'value' in outcome
            ? question === 'list'
              ? listed.get(path)!
              : digestAnswer(question, outcome.value)
            : digestFailure(outcome.error),
        ...(signature ? { signature } : {}),
      }));
  }

  readFile(path: string): Promise<string> {
    const text = this.inner.readFile(path);
    const signature = this.inner.signature?.(path);
    if (!signature) return this.recorded('read', path, text);
    // Settled, not awaited: the read's own outcome (a failure too) is what the caller gets, unchanged.
    return this.recorded(
      'read',
      path,
      text,
      signature.catch(() => undefined),
    );
  }

  signature(path: string): Promise<FileSignature | undefined> {
    return this.inner.signature?.(path) ?? Promise.resolve(undefined);
  }

  readDirectory(path: string): Promise<DirectoryEntry[]> {
    const entries = this.inner.readDirectory(path);
    const signature = this.inner.folderSignature?.(path);
    return this.recorded(
      'list',
      path,
      entries,
      signature?.catch(() => undefined),
    );
  }

  stat(path: string): Promise<'file' | 'directory' | 'other' | undefined> {
    const kind = this.recorded('stat', path, this.inner.stat(path));
    if (!isPlainAbsolute(path) || path === '/') return kind;
    // The memoized file system below lists the folder to answer, so keeping that listing costs no call; it then
    // stands for the kind of this path and of every sibling asked about, which need not be checked one by one.
    return kind.then(async (value) => {
      if (isPlainKind(value)) await this.readDirectory(splitPlain(path).folder).catch(() => undefined);
      return value;
    });
  }

  mtime(path: string): Promise<number | undefined> {
    return this.recorded('mtime', path, this.inner.mtime(path));
  }

  realPath(path: string): Promise<string> {
    return this.recorded('real', path, this.inner.realPath(path));
  }

  private recorded<T>(
    question: FsQuestion,
    path: string,
    answer: Promise<T>,
    signature?: Promise<FileSignature | undefined>,
  ): Promise<T> {
    const key = `${question}\0${path}`;
    const keep = async (outcome: Answer['outcome']) => {
      const signed = 'value' in outcome ? await signature : undefined;
      if (!this.answers.has(key))
        this.answers.set(key, { question, path, outcome, ...(signed ? { signature: signed } : {}) });
    };
    return answer.then(
      async (value) => {
        await keep({ value });
        return value;
      },
      async (error: unknown) => {
        await keep({ error });
        throw error;
      },
    );
  }
}

/**
 * Each folder's listing and its digest, made once for all the recorders of a run: at 500 changes, every change
 * lists the 300 main specs, and building that listing's lookup and digest for each cost a first run about 60 ms.
 * A listing is taken from here only while it holds exactly the same names and kinds.
 */
export class ListingDigests {
  private readonly byFolder = new Map<string, { listing: Listing; digest: string }>();

  of(folder: string, entries: readonly DirectoryEntry[]): { listing: Listing; digest: string } {
    const known = this.byFolder.get(folder);
    if (
      known?.listing.kinds.size === entries.length &&
      entries.every((entry) => known.listing.kinds.get(entry.name) === entry.kind)
    )
      return known;
    const made = { listing: listingOf(entries), digest: digestAnswer('list', entries) };
    this.byFolder.set(folder, made);
    return made;
  }
}

/**
 * True when `answer` follows from the listings kept here, so it is the same whenever they are: a plain file or
 * folder has the kind its folder's listing shows, and that folder's real path plus its name as its real path; a
 * name surely absent (its folder's listing lacks it, or one further up lacks a folder on the way) has no kind,
 * and fails to read or list as missing.
 */
function impliedByListings(
  { question, path, outcome }: Answer,
  listings: ReadonlyMap<string, Listing>,
  realPaths: ReadonlyMap<string, string>,
): boolean {
  if (question === 'mtime') return false;
  const kind = listedKind(listings, path);
  if (kind === undefined) return false;
  const plain = isPlainKind(kind);
  switch (question) {
    case 'stat':
      return 'value' in outcome && (plain || kind === 'absent') && outcome.value === (plain ? kind : undefined);
    case 'real':
      return plain && 'value' in outcome && outcome.value === realPathByListings(path, listings, realPaths);
    case 'read':
    case 'list':
      return (
        kind === 'absent' &&
        'error' in outcome &&
        digestFailure(outcome.error) === digestFailure(missing(path, question === 'read' ? 'open' : 'scandir'))
      );
  }
}

/** The real path of a plain file or folder, from the nearest real path kept up the way and the listings below it. */
function realPathByListings(
  path: string,
  listings: ReadonlyMap<string, Listing>,
  realPaths: ReadonlyMap<string, string>,
): string | undefined {
  const { folder, name } = splitPlain(path);
  const folderReal =
    realPaths.get(folder) ??
    (folder !== '/' && isPlainKind(listedKind(listings, folder))
      ? realPathByListings(folder, listings, realPaths)
      : undefined);
  return folderReal === undefined ? undefined : posix.join(folderReal, name);
}

/** The answer, or (from a FileSystem) its promise. */
function ask(fs: FileSystem | SyncFileSystem, question: FsQuestion, path: string): unknown {
  switch (question) {
    case 'read':
      return fs.readFile(path);
    case 'list':
      return fs.readDirectory(path);
    case 'stat':
      return fs.stat(path);
    case 'mtime':
      return fs.mtime(path);
    case 'real':
      return fs.realPath(path);
  }
}

/** The longest listing kept as it is in an answer; a longer one is kept as its digest (never a slash in it). */
const LISTING_KEPT_AS_IS = 160;

/** 128 bits of SHA-256: collisions stay out of reach, and the saved verdicts stay small. */
const digestText = (text: string) => sha256(text).slice(0, 32);

/** Main specs and project files are read by many items: each text is digested once. */
const digestReadText = rememberedByText(digestText);

function digestAnswer(question: FsQuestion, value: unknown): string {
  switch (question) {
    case 'read':
      return digestReadText(value as string);
    case 'list': {
      // A name never holds a slash, so `name/kind` pairs joined by slashes read back one way only. Most folders
      // list a few names: kept as they are, they compare without a hash, which cost a re-run a tenth of its checking.
      const listing = (value as DirectoryEntry[])
        .map((entry) => `${entry.name}/${entry.kind}`)
        .sort()
        .join('/');
      return listing.length <= LISTING_KEPT_AS_IS ? listing : digestText(listing);
    }
    default:
      return `=${String(value)}`;
  }
}

function digestFailure(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return `!${String(code)}\0${String(message)}`;
}
