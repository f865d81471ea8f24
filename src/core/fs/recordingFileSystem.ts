import { sha256 } from '../hash';
import { rememberedByText } from '../validation/textMemo';
import type { DirectoryEntry, FileSignature, FileSystem } from './fileSystem';

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
  /** For a read, the file's signature, where the file system gives one. */
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

  constructor(private readonly inner: FileSystem) {}

  /** Every distinct question asked so far, with the answer it got. */
  observations(): FsObservation[] {
    return [...this.answers.values()].map(({ question, path, outcome, signature }) => ({
      question,
      path,
      answer: 'value' in outcome ? digestAnswer(question, outcome.value) : digestFailure(outcome.error),
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
    return this.recorded('list', path, this.inner.readDirectory(path));
  }

  stat(path: string): Promise<'file' | 'directory' | 'other' | undefined> {
    return this.recorded('stat', path, this.inner.stat(path));
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

function ask(fs: FileSystem, question: FsQuestion, path: string): Promise<unknown> {
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

/** 128 bits of SHA-256: collisions stay out of reach, and the saved verdicts stay small. */
const digestText = (text: string) => sha256(text).slice(0, 32);

/** Main specs and project files are read by many items: each text is digested once. */
const digestReadText = rememberedByText(digestText);

function digestAnswer(question: FsQuestion, value: unknown): string {
  switch (question) {
    case 'read':
      return digestReadText(value as string);
    case 'list':
      return digestText(
        (value as DirectoryEntry[])
          .map((entry) => `${entry.name}\0${entry.kind}`)
          .sort()
          .join('\n'),
      );
    default:
      return `=${String(value)}`;
  }
}

function digestFailure(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return `!${String(code)}\0${String(message)}`;
}
