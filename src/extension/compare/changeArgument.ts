import * as vscode from 'vscode';
import type { Change } from '../../core/openspec/model';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';

/**
 * A change named by a command argument (an id, `{ changeId }`, `{ changeId, root }` or a tree node carrying a
 * change), or picked. A folder the argument names (its `root`, or a tree node's folder) decides between
 * changes of the same id in two workspace folders.
 */
export async function resolveChange(
  models: OpenSpecModels,
  argument: unknown,
): Promise<{ folder: FolderModel; change: Change } | undefined> {
  const id = changeIdOf(argument);
  const root = rootOf(argument);
  const all = models.folders.flatMap((folder) => folder.workspace.changes.map((change) => ({ folder, change })));
  if (id) return all.find((entry) => entry.change.id === id && (root === undefined || entry.folder.root === root));
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

function changeIdOf(argument: unknown): string | undefined {
  if (typeof argument === 'string') return argument;
  if (typeof argument !== 'object' || argument === null) return undefined;
  const record = argument as { changeId?: unknown; change?: { id?: unknown } };
  if (typeof record.changeId === 'string') return record.changeId;
  if (typeof record.change?.id === 'string') return record.change.id;
  return undefined;
}

function rootOf(argument: unknown): string | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const record = argument as { root?: unknown; folder?: { root?: unknown } };
  if (typeof record.root === 'string') return record.root;
  if (typeof record.folder?.root === 'string') return record.folder.root;
  return undefined;
}
