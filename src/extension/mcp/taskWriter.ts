import * as vscode from 'vscode';
import type { WorkspaceWriter } from '../../core/mcp/server/workspaceWriter';
import { matchCheckbox } from '../../core/openspec/taskCheckbox';
import { toggleTask } from '../explorer/toggleTask';

/**
 * How agents write through the in-window MCP server: the same undoable edit as the tree's checkbox, so an
 * agent's change shows in the editor and one Ctrl+Z takes it back.
 */
export const editorTaskWriter: WorkspaceWriter = {
  async setTaskStatus(file, line, done) {
    const uri = vscode.Uri.file(file);
    const document = await vscode.workspace.openTextDocument(uri);
    if (!Number.isInteger(line) || line < 0 || line >= document.lineCount) return 'stale';
    const match = matchCheckbox(document.lineAt(line).text);
    if (!match) return 'stale';
    const checkboxRange = { start: { line, character: match.open + 1 }, end: { line, character: match.close } };
    const result = await toggleTask(uri, { line, done: match.mark === 'x' || match.mark === 'X', checkboxRange }, done);
    if (result === 'failed') throw new Error(`The edit of ${file} was not applied`);
    return result;
  },
};
