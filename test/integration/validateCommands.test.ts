import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ValidationRun } from '../../src/core/validation/validateItems';

describe('validate commands', () => {
  it('validates one change, as openspec validate does', async () => {
    const run = await vscode.commands.executeCommand<ValidationRun>('openspecLoop.validateChange', 'add-farewell');
    assert.deepEqual(
      run.items.map((item) => [item.type, item.id, item.valid]),
      [['change', 'add-farewell', true]],
    );
  });

  it('validates every change and spec, including unsaved text', async () => {
    const [folder] = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folder);
    const spec = vscode.Uri.joinPath(folder.uri, 'openspec/specs/greeting/spec.md');
    const document = await vscode.workspace.openTextDocument(spec);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      spec,
      document.positionAt(document.getText().length),
      '\n### Requirement: Unsaved\nThe service SHALL wave.\n',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const runs = await vscode.commands.executeCommand<ValidationRun[]>('openspecLoop.validateAll');
      const greeting = runs[0]!.items.find((item) => item.type === 'spec' && item.id === 'greeting');
      assert.equal(greeting?.valid, false, 'the unsaved requirement without a scenario is seen');
      assert.ok(runs[0]!.items.some((item) => item.type === 'change' && item.id === 'add-farewell'));
    } finally {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
