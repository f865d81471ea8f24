import { sha256 } from '../hash';
import type { FileSystem } from './fileSystem';
import { errorMessage } from '../errorMessage';

/**
 * The core's only way to change files: every write the product makes (Accept, `improve --write`, the loop, a
 * task toggle from the tree, a CodeLens or an agent) goes through one of these operations, so each is
 * base-checked, atomic and serialized per file in one place; `move` is what archiving a change needs. Paths are absolute POSIX-style strings, as for `FileSystem`.
 *
 * The Node implementation writes a temporary file and renames it over the old one; the editor's applies an
 * undoable WorkspaceEdit to the open document. Both answer with a `WriteOutcome`, never a success for a write
 * that did not land.
 */
export interface FileWriter {
  /**
   * Reads `file`, hands its text to `edit`, and writes what `edit` returns, as one step: calls on the same file
   * (or a link to it) run one after the other, and each reads the text the previous one wrote. A file that
   * changes on disk while the new text is being written is read and edited again.
   */
  update(file: string, edit: TextEdit): Promise<WriteOutcome>;
  /** Creates `file` (and its missing folders) with `text`; `exists` and nothing written when anything is there. */
  create(file: string, text: string): Promise<WriteOutcome>;
  /** Moves a file or a folder; `exists` when something is at `to`, `missing` when nothing is at `from`. */
  move(from: string, to: string): Promise<WriteOutcome>;
  /**
   * Applies every change or none, in order: what archiving or restoring a change writes (main specs rewritten or
   * created, the change's folder moved). Every base and target is checked before anything is written; a failure
   * halfway rolls back what was done. The editor's writer makes it one WorkspaceEdit, so one Undo reverts it.
   */
  applyAll(changes: readonly FileChange[]): Promise<BatchOutcome>;
}

/** One step of `applyAll`. `base` is `documentBase` of the text the caller read; the step is stale otherwise. */
export type FileChange =
  | { readonly kind: 'replace'; readonly file: string; readonly base: string; readonly text: string }
  | { readonly kind: 'create'; readonly file: string; readonly text: string }
  | {
      readonly kind: 'delete';
      readonly file: string;
      readonly base: string;
      /** Folders the deletion leaves empty go too, up to (not including) this one: a capability's spec folder. */
      readonly pruneUpTo?: string;
    }
  | { readonly kind: 'move'; readonly from: string; readonly to: string };

/** `written` when every change landed; otherwise nothing is written, and `failed` names the change that failed. */
export type BatchOutcome =
  | { readonly kind: 'written' }
  | {
      readonly kind: 'failed';
      /** Index into the changes given. */
      readonly index: number;
      readonly outcome: Exclude<WriteOutcome, { kind: 'written' | 'unchanged' }>;
    };

/**
 * What an update makes of the text it read: the whole new text; `UNCHANGED` when there is nothing to write;
 * `STALE` when the text is no longer the one the edit was made for. The update answers either without writing.
 */
export type TextEdit = (text: string) => string | EditVerdict;

export type EditVerdict = Extract<WriteOutcome, { kind: 'unchanged' | 'stale' }>;

export type WriteOutcome =
  | { readonly kind: 'written' }
  | { readonly kind: 'unchanged' }
  /** The file no longer holds what the caller read: nothing written. */
  | { readonly kind: 'stale' }
  /** `create` or `move` found something at the target: nothing written. */
  | { readonly kind: 'exists' }
  /** Nothing at the path to update or move. */
  | { readonly kind: 'missing' }
  /**
   * Not written, and why, as words that follow "<file> was not written: ": outside where the writer may write,
   * not a file, or what the system answered.
   */
  | { readonly kind: 'refused'; readonly reason: string };

export const WRITTEN: WriteOutcome = { kind: 'written' };
export const UNCHANGED: EditVerdict = { kind: 'unchanged' };
export const STALE: EditVerdict = { kind: 'stale' };
export const EXISTS: WriteOutcome = { kind: 'exists' };
export const MISSING: WriteOutcome = { kind: 'missing' };
export const refused = (reason: string): WriteOutcome => ({ kind: 'refused', reason });

/**
 * The base a replacement is checked against: a hash of the text as an editor holds it. An editor drops the BOM
 * (its encoding keeps it) and shows one line ending throughout, so the bytes on disk and the editor's text of
 * one file differ exactly there; hashing both the same way lets a proposal read from either be written to the
 * other, and a file with a BOM or mixed line endings still be accepted.
 */
export function documentBase(text: string): string {
  return sha256(editorText(text));
}

/** The text without a BOM and with LF line endings throughout. */
function editorText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n|\r|\n/g, '\n');
}

/**
 * Replaces the whole text of `file` only while it still holds the text the caller read (`base`, from
 * `documentBase`): an edit saved meanwhile is never overwritten. `stale` and nothing written otherwise.
 */
export function replaceIfUnchanged(
  writer: FileWriter,
  file: string,
  base: string,
  text: string,
): Promise<WriteOutcome> {
  return writer.update(file, (current) =>
    documentBase(current) !== base ? STALE : current === text ? UNCHANGED : text,
  );
}

/**
 * Runs `write`, the part of a writer's operation that touches files, unless the writer is confined to `within`
 * (an absolute POSIX folder) and any of `realTargets` (the paths written, links resolved) lies outside it; a
 * failure of the system becomes a refusal with its reason, so a writer never rejects.
 */
export async function confinedWrite(
  fs: FileSystem,
  within: string | readonly string[] | undefined,
  realTargets: readonly string[],
  write: () => Promise<WriteOutcome>,
): Promise<WriteOutcome> {
  if (within !== undefined) {
    const folders = typeof within === 'string' ? [within] : within;
    const reals = await Promise.all(folders.map((folder) => fs.realPath(folder)));
    const inside = (target: string) =>
      reals.some((folder) => target.startsWith(folder.endsWith('/') ? folder : `${folder}/`));
    if (!realTargets.every(inside)) return refused(`it leads outside ${folders.join(', ')}`);
  }
  try {
    return await write();
  } catch (error) {
    return refused(errorMessage(error));
  }
}

/**
 * One queue per key: a task runs once every task queued before it on any of its keys has settled. Writers key
 * by real path, so a link and its target share a queue. Keys are taken in sorted order, so two tasks that
 * share several keys (a move) cannot wait on each other.
 */
export class PathLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const releases: Array<() => void> = [];
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.acquire(key));
      return await task();
    } finally {
      for (const release of releases) release();
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
