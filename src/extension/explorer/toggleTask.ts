import type * as vscode from 'vscode';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { Task } from '../../core/openspec/model';
import { checkboxEdit } from '../../core/openspec/taskCheckbox';
import { toPosix } from '../../node/nodeFileSystem';

export type ToggleTaskResult = 'toggled' | 'unchanged' | 'stale' | 'failed';

/**
 * Checks or unchecks a task of tasks.md through the editor's writer: one WorkspaceEdit of the characters between
 * its brackets, so the change is a single undo step and unsaved text elsewhere is untouched.
 *
 * `stale`: the line no longer holds that checkbox (the file changed since the task was read); nothing is edited.
 */
export async function toggleTask(
  writer: FileWriter,
  uri: vscode.Uri,
  task: Pick<Task, 'line' | 'done' | 'checkboxRange'>,
  done: boolean = !task.done,
): Promise<ToggleTaskResult> {
  const outcome = await writer.update(toPosix(uri.fsPath), checkboxEdit(task, done));
  switch (outcome.kind) {
    case 'written':
      return 'toggled';
    case 'unchanged':
      return 'unchanged';
    case 'stale':
    case 'missing':
      return 'stale';
    case 'exists':
    case 'refused':
      return 'failed';
  }
}
