import { posix as path } from 'node:path';
import * as vscode from 'vscode';
import type { ArchivePlan } from '../../core/archive/archiveTypes';
import type { FolderModel } from '../model/openSpecModels';
import type { PreviewDocuments } from '../compare/previewDocuments';

/**
 * Opens everything an archive will do in one multi-file diff: each main spec now ↔ after, and the move of the
 * change's folder (its files listed under the old and the new place). Read-only; nothing is written.
 */
export async function showArchivePreview(
  previews: PreviewDocuments,
  folder: FolderModel,
  plan: ArchivePlan,
  files: readonly string[],
): Promise<void> {
  const relative = (file: string) => path.relative(folder.root, file);
  const resources = plan.specs.map((spec) => {
    const label = relative(spec.file);
    return [folder.toUri(spec.file), previews.put(label, spec.before ?? ''), previews.put(label, spec.after)];
  });
  const listing = (dir: string) => files.map((file) => `${relative(path.join(dir, file))}\n`).join('');
  const moveLabel = `${relative(plan.archivePath)} (moved from ${relative(plan.changeDir)})`;
  resources.push([
    folder.toUri(plan.archivePath),
    previews.put(moveLabel, listing(plan.changeDir)),
    previews.put(moveLabel, listing(plan.archivePath)),
  ]);
  await vscode.commands.executeCommand(
    'vscode.changes',
    `Archive ${plan.change}: specs now ↔ after archive, moved to archive/${plan.archivedAs}`,
    resources,
  );
}
