import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../harness/poll';
import { readyApi } from './extensionApi';

describe('live OpenSpec model', () => {
  it('reads the fixture workspace', async () => {
    const { models } = await readyApi();
    assert.equal(models.folders.length, 1);
    const workspace = models.folders[0]!.workspace;
    assert.deepEqual(
      workspace.changes.map((change) => change.id),
      ['add-farewell'],
    );
    assert.deepEqual(
      workspace.specs.map((spec) => spec.capability),
      ['greeting'],
    );
  });

  it('follows unsaved typing, and returns to the disk when the edit is reverted', async () => {
    const { models } = await readyApi();
    const folder = models.folders[0]!;
    const tasks = folder.workspace.changes[0]!.tasks!;
    const before = tasks.total;
    const document = await vscode.workspace.openTextDocument(folder.toUri(tasks.path));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, document.positionAt(document.getText().length), '\n- [ ] 9.9 Typed but not saved\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(
      () => folder.workspace.changes[0]!.tasks!.total === before + 1,
      'the typed task to be in the model',
      5_000,
      50,
    );
    assert.ok(document.isDirty, 'the edit is not saved');
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.ok(!document.isDirty, 'the revert took effect');
    await waitFor(
      () => folder.workspace.changes[0]!.tasks!.total === before,
      'the reverted text to be back in the model',
      5_000,
      50,
    );
  });

  it('picks up a change folder created on disk', async () => {
    const { models } = await readyApi();
    const folder = models.folders[0]!;
    const proposal = folder.toUri(`${folder.workspace.openspecDir}/changes/add-wave/proposal.md`);
    await vscode.workspace.fs.writeFile(
      proposal,
      Buffer.from('## Why\nWaving is friendly.\n\n## What Changes\n- Wave\n'),
    );
    try {
      await waitFor(
        () =>
          folder.workspace.changes.some(
            (change) => change.id === 'add-wave' && change.proposal?.why?.body === 'Waving is friendly.',
          ),
        'the new change to be in the model',
        5_000,
        50,
      );
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(proposal, '..'), { recursive: true });
    }
    await waitFor(
      () => !folder.workspace.changes.some((change) => change.id === 'add-wave'),
      'the deleted change to leave the model',
      5_000,
      50,
    );
  });
});
