import * as vscode from 'vscode';
import type { Task } from '../../core/openspec/model';
import { matchCheckbox } from '../../core/openspec/taskCheckbox';

export type ToggleTaskResult = 'toggled' | 'unchanged' | 'stale' | 'failed';

/**
 * Checks or unchecks a task of tasks.md through one WorkspaceEdit that rewrites only the characters between
 * its brackets, so the change is a single undo step and unsaved text elsewhere is untouched. A document that
 * was saved before the edit is saved after it, keeping the disk (and `openspec` on the command line) in step;
 * a dirty one is left dirty, as the user's other edits are not ours to save.
 *
 * `stale`: the line no longer holds that checkbox (the file changed since the task was read); nothing is edited.
 */
export async function toggleTask(
  uri: vscode.Uri,
  task: Pick<Task, 'line' | 'done' | 'checkboxRange'>,
  done: boolean = !task.done,
): Promise<ToggleTaskResult> {
  const document = await vscode.workspace.openTextDocument(uri);
  const range = currentCheckboxRange(document, task);
  if (!range) return 'stale';
  const mark = document.getText(range).trim();
  if ((mark === 'x' || mark === 'X') === done) return 'unchanged';
  const wasDirty = document.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, range, done ? 'x' : ' ');
  if (!(await vscode.workspace.applyEdit(edit))) return 'failed';
  if (!wasDirty && !(await document.save())) return 'failed';
  return 'toggled';
}

/** The task's checkbox range if the document still has that checkbox exactly there. */
function currentCheckboxRange(
  document: vscode.TextDocument,
  task: Pick<Task, 'line' | 'checkboxRange'>,
): vscode.Range | undefined {
  const { start, end } = task.checkboxRange;
  if (task.line >= document.lineCount || start.line !== task.line || end.line !== task.line) return undefined;
  const match = matchCheckbox(document.lineAt(task.line).text);
  if (!match || match.open + 1 !== start.character || match.close !== end.character) return undefined;
  return new vscode.Range(start.line, start.character, end.line, end.character);
}
