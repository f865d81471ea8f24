import * as vscode from 'vscode';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { Logger } from '../../core/logger';
import { toPosix } from '../../node/nodeFileSystem';
import { toggleTask } from '../explorer/toggleTask';
import type { OpenSpecModels } from '../model/openSpecModels';

/** Arguments of "Toggle Task": a tasks.md and a 0-based line; without them, the task under the cursor. */
export interface ToggleTaskArgs {
  readonly uri: string;
  readonly line: number;
  readonly done?: boolean;
}

/** "OpenSpec: Toggle Task": checks or unchecks one task through the same undoable edit as the tree's checkbox. */
export function registerToggleTask(deps: {
  models: OpenSpecModels;
  logger: Logger;
  writer: FileWriter;
}): vscode.Disposable {
  return vscode.commands.registerCommand('openspecLoop.toggleTask', async (args?: ToggleTaskArgs) => {
    const editor = vscode.window.activeTextEditor;
    const uri = args ? vscode.Uri.parse(args.uri) : editor?.document.uri;
    const line = args ? args.line : editor?.selection.active.line;
    if (!uri || line === undefined) return;
    const folder = deps.models.folderFor(uri);
    const file = toPosix(uri.fsPath);
    const change =
      folder &&
      [...folder.workspace.changes, ...folder.workspace.archive].find((candidate) => candidate.tasks?.path === file);
    const task = change?.tasks?.tasks.find((candidate) => candidate.line === line);
    if (!task) {
      void vscode.window.showInformationMessage('There is no task on this line of tasks.md.');
      return;
    }
    const result = await toggleTask(deps.writer, uri, task, args?.done ?? !task.done);
    if (result === 'stale') void vscode.window.showWarningMessage('tasks.md changed since it was read; try again.');
    if (result === 'failed') {
      deps.logger.warn(`Toggling the task on line ${line + 1} of ${file} was refused`);
      void vscode.window.showErrorMessage('The task could not be changed; tasks.md is as it was.');
    }
  });
}
