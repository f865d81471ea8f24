import { posix as path } from 'node:path';
import * as vscode from 'vscode';
import type { ArchivedChange, Change } from '../../core/openspec/model';
import type { FolderModel, OpenSpecModels } from './openSpecModels';

/**
 * A change named by a command argument (an id, `{ changeId }`, or a tree node carrying a change and its
 * folder), or picked. An id that several folders hold is taken from the folder the argument names, else picked.
 */
export async function changeFromArgument(
  models: OpenSpecModels,
  argument: unknown,
): Promise<{ folder: FolderModel; change: Change } | undefined> {
  const id = changeIdOf(argument);
  const root = folderRootOf(argument);
  const all = models.folders
    .filter((folder) => root === undefined || folder.root === root)
    .flatMap((folder) => folder.workspace.changes.map((change) => ({ folder, change })));
  if (id) {
    const matches = all.filter((entry) => entry.change.id === id);
    if (matches.length < 2) return matches[0];
    const picked = await vscode.window.showQuickPick(
      matches.map((entry) => ({ label: entry.change.id, description: entry.folder.folder.name, entry })),
      { title: `Change ${id} of which folder?` },
    );
    return picked?.entry;
  }
  if (all.length === 0) {
    void vscode.window.showInformationMessage('There are no active OpenSpec changes in this workspace.');
    return undefined;
  }
  if (all.length === 1) return all[0];
  const picked = await vscode.window.showQuickPick(
    all.map((entry) => ({
      label: entry.change.id,
      description: models.folders.length > 1 ? entry.folder.folder.name : undefined,
      entry,
    })),
    { title: 'Which change?' },
  );
  return picked?.entry;
}

/** The change id a command argument names: a string, `{ changeId }` or a tree node (`{ change: { id } }`). */
export function changeIdOf(argument: unknown): string | undefined {
  if (typeof argument === 'string') return argument;
  if (typeof argument !== 'object' || argument === null) return undefined;
  const record = argument as { changeId?: unknown; change?: { id?: unknown } };
  if (typeof record.changeId === 'string') return record.changeId;
  if (typeof record.change?.id === 'string') return record.change.id;
  return undefined;
}

/** The folder root a tree node (`{ folder: { root } }`) or `{ folder: "<root>" }` carries, if any. */
export function folderRootOf(argument: unknown): string | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const folder = (argument as { folder?: unknown }).folder;
  if (typeof folder === 'string') return folder;
  const root = (folder as { root?: unknown } | undefined)?.root;
  return typeof root === 'string' ? root : undefined;
}

/**
 * The archived change a command was invoked for: an Archive node of the tree or `{ changeId, folder }` with the
 * archive folder's name (`2026-12-01-add-note-tags`); undefined when it is not in the archive.
 */
export function archivedChangeFromArgument(
  models: OpenSpecModels,
  argument: unknown,
): { folder: FolderModel; change: ArchivedChange } | undefined {
  const id = changeIdOf(argument);
  const root = folderRootOf(argument);
  return models.folders
    .filter((folder) => root === undefined || folder.root === root)
    .flatMap((folder) => folder.workspace.archive.map((change) => ({ folder, change })))
    .find((entry) => path.basename(entry.change.dir) === id);
}
