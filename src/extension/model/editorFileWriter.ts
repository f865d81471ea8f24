import * as vscode from 'vscode';
import { batchPaths, checkBatch, guardedBatch, resolveChange } from '../../core/fs/fileBatch';
import { posix as path } from 'node:path';
import { isWithin, realPathOfEntry, realPathOfNearest } from '../../core/fs/fileSystem';
import {
  EXISTS,
  MISSING,
  confinedWrite,
  PathLocks,
  refused,
  UNCHANGED,
  WRITTEN,
  type BatchOutcome,
  type FileChange,
  type FileWriter,
  type TextEdit,
  type WriteOutcome,
} from '../../core/fs/fileWriter';
import { NodeFileSystem, toNative } from '../../node/nodeFileSystem';

export interface EditorFileWriterOptions {
  /** A folder (absolute POSIX path) the writes must land in, links resolved; the in-window MCP server's openspec/. */
  readonly within?: string | readonly string[];
}

// One queue per real path in the extension host: every writer instance, and a link and its target, share it.
const locks = new PathLocks();
const disk = new NodeFileSystem();

/**
 * The FileWriter of the editor: every write is a WorkspaceEdit, so it is one undo step and it lands in the open
 * document, computed from the text the user sees (unsaved edits included) rather than from the disk. Only the
 * span that changes is replaced, so cursors and folds elsewhere stay. A document that was saved before the edit
 * is saved after it, keeping the disk (and `openspec` on the command line) in step; a dirty one stays dirty, as
 * the user's other edits are not ours to save.
 */
export class EditorFileWriter implements FileWriter {
  constructor(private readonly options: EditorFileWriterOptions = {}) {}

  async update(file: string, edit: TextEdit): Promise<WriteOutcome> {
    const target = await realPathOfNearest(disk, file);
    return locks.run([target], () => this.guarded([target], () => updateDocument(file, edit)));
  }

  async create(file: string, text: string): Promise<WriteOutcome> {
    const target = await realPathOfEntry(disk, file);
    return locks.run([target], () =>
      this.guarded([target], async () => {
        if ((await disk.stat(file)) !== undefined) return EXISTS;
        const edit = new vscode.WorkspaceEdit();
        const contents = new TextEncoder().encode(text);
        edit.createFile(uriOf(file), { contents, overwrite: false, ignoreIfExists: false });
        if (await vscode.workspace.applyEdit(edit)) return WRITTEN;
        return (await disk.stat(file)) !== undefined ? EXISTS : refused('the editor did not create it');
      }),
    );
  }

  async move(from: string, to: string): Promise<WriteOutcome> {
    const [source, target] = await Promise.all([realPathOfEntry(disk, from), realPathOfEntry(disk, to)]);
    return locks.run([source, target], () =>
      this.guarded([source, target], async () => {
        if ((await disk.stat(from)) === undefined) return MISSING;
        if ((await disk.stat(to)) !== undefined) return EXISTS;
        const edit = new vscode.WorkspaceEdit();
        edit.renameFile(uriOf(from), uriOf(to), { overwrite: false, ignoreIfExists: false });
        return (await vscode.workspace.applyEdit(edit)) ? WRITTEN : refused('the editor did not move it');
      }),
    );
  }

  /**
   * One WorkspaceEdit for the whole batch, so the editor's Undo reverts all of it at once (text edits and file
   * operations alike). Checked first against the text the user sees; documents that were saved are saved after.
   */
  async applyAll(changes: readonly FileChange[]): Promise<BatchOutcome> {
    const reals = batchPaths(await Promise.all(changes.map((change) => resolveChange(disk, change))));
    return locks.run(reals, () =>
      guardedBatch(
        (write) => this.guarded(reals, write),
        () => applyInOneEdit(changes),
      ),
    );
  }

  private guarded(realTargets: readonly string[], write: () => Promise<WriteOutcome>): Promise<WriteOutcome> {
    return confinedWrite(disk, this.options.within, realTargets, write);
  }
}

async function applyInOneEdit(changes: readonly FileChange[]): Promise<BatchOutcome> {
  const failure = await checkBatch(
    { read: readAsShown, exists: async (target) => (await disk.stat(target)) !== undefined },
    changes,
  );
  if (failure) return failure;
  const edit = new vscode.WorkspaceEdit();
  const toSave: vscode.Uri[] = [];
  for (const change of changes) {
    switch (change.kind) {
      case 'replace': {
        const uri = uriOf(change.file);
        const document = await vscode.workspace.openTextDocument(uri);
        const span = changedSpan(document.getText(), change.text.replace(/^\uFEFF/, ''));
        if (!span) break;
        edit.replace(uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), span.text);
        if (!document.isDirty) toSave.push(uri);
        break;
      }
      case 'create':
        edit.createFile(uriOf(change.file), { contents: new TextEncoder().encode(change.text), overwrite: false });
        break;
      case 'delete': {
        const emptied = await emptiedFolder(change.file, change.pruneUpTo);
        if (emptied) edit.deleteFile(uriOf(emptied), { recursive: true, ignoreIfNotExists: false });
        else edit.deleteFile(uriOf(change.file), { recursive: false, ignoreIfNotExists: false });
        break;
      }
      case 'move':
        edit.renameFile(uriOf(change.from), uriOf(change.to), { overwrite: false, ignoreIfExists: false });
        break;
    }
  }
  if (!(await vscode.workspace.applyEdit(edit)))
    return { kind: 'failed', index: 0, outcome: { kind: 'refused', reason: 'the editor did not apply the changes' } };
  for (const uri of toSave) {
    if (!(await (await vscode.workspace.openTextDocument(uri)).save()))
      return {
        kind: 'failed',
        index: 0,
        outcome: { kind: 'refused', reason: `${uri.fsPath} is changed in the editor, but saving it failed` },
      };
  }
  return { kind: 'written' };
}

/**
 * The outermost folder below `pruneUpTo` that holds nothing but the way to `file`, or undefined: deleting that
 * folder is deleting the file and the folders it would leave empty, as one undoable file operation.
 */
async function emptiedFolder(file: string, pruneUpTo: string | undefined): Promise<string | undefined> {
  let emptied: string | undefined;
  for (
    let folder = path.dirname(file), inner = file;
    pruneUpTo !== undefined && folder !== pruneUpTo && isWithin(pruneUpTo, folder);
    inner = folder, folder = path.dirname(folder)
  ) {
    const entries = await disk.readDirectory(folder);
    if (entries.length !== 1 || entries[0]?.name !== path.basename(inner)) break;
    emptied = folder;
  }
  return emptied;
}

/** The text of a file as the editor shows it (unsaved edits included), or undefined when it is not a file. */
async function readAsShown(file: string): Promise<string | undefined> {
  const native = toNative(file);
  const open = vscode.workspace.textDocuments.find(
    (document) => document.uri.scheme === 'file' && document.uri.fsPath === native,
  );
  if (open) return open.getText();
  return (await disk.stat(file)) === 'file' ? disk.readFile(file) : undefined;
}

async function updateDocument(file: string, edit: TextEdit): Promise<WriteOutcome> {
  const kind = await disk.stat(file);
  if (kind === undefined) return MISSING;
  if (kind !== 'file') return refused('it is not a file');
  const uri = uriOf(file);
  const document = await vscode.workspace.openTextDocument(uri);
  const current = document.getText();
  const next = edit(current);
  if (typeof next !== 'string') return next;
  // The document's encoding keeps a BOM; one inside its text would be written as a second one.
  const span = changedSpan(current, next.replace(/^\uFEFF/, ''));
  if (!span) return UNCHANGED;
  const wasDirty = document.isDirty;
  const change = new vscode.WorkspaceEdit();
  change.replace(uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), span.text);
  if (!(await vscode.workspace.applyEdit(change))) return refused('the editor did not apply the edit');
  // Asked afresh: the document object read above may have been closed meanwhile (a diff tab showing it closed).
  if (!wasDirty && !(await (await vscode.workspace.openTextDocument(uri)).save()))
    return refused('the edit is in the editor, but saving it failed');
  return WRITTEN;
}

/**
 * The part of `before` that `after` replaces, as offsets into `before`, never splitting a CRLF or a surrogate
 * pair; undefined when the texts are the same.
 */
function changedSpan(before: string, after: string): { start: number; end: number; text: string } | undefined {
  if (before === after) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before[start] === after[start]) start++;
  while (start > 0 && splitsPair(before, start)) start--;
  let tail = 0;
  while (tail < shorter - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  while (tail > 0 && splitsPair(before, before.length - tail)) tail--;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

/** True when `offset` falls inside a CRLF or between the halves of a surrogate pair. */
function splitsPair(text: string, offset: number): boolean {
  const previous = text.charCodeAt(offset - 1);
  const next = text.charCodeAt(offset);
  return (previous === 0x0d && next === 0x0a) || (previous >= 0xd800 && previous <= 0xdbff);
}

function uriOf(file: string): vscode.Uri {
  return vscode.Uri.file(toNative(file));
}
