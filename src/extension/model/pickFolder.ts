import * as vscode from 'vscode';
import type { FolderModel, OpenSpecModels } from './openSpecModels';

/**
 * The OpenSpec folder a command works on: the one `wanted` names (its workspace folder URI or its root), the
 * only one, or the one the user picks; undefined, after saying why, when there is none.
 */
export async function pickFolder(
  models: OpenSpecModels,
  title: string,
  wanted?: string,
): Promise<FolderModel | undefined> {
  const folders = models.folders;
  if (wanted) return folders.find((folder) => folder.folder.uri.toString() === wanted || folder.root === wanted);
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('This workspace has no openspec/ folder. Run `openspec init` in it first.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  const picked = await vscode.window.showQuickPick(
    folders.map((folder) => ({ label: folder.folder.name, description: folder.root, folder })),
    { title },
  );
  return picked?.folder;
}
