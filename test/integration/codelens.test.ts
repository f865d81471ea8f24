import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../harness/poll';
import { firstFolderModel } from './extensionApi';

/** The workbench computes lenses only for documents it has loaded. */
async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(uri);
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

const titles = (found: vscode.CodeLens[]) =>
  found.map((lens) => `${lens.range.start.line}:${lens.command?.title ?? ''}`);

describe('CodeLens on OpenSpec files', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('offers validate, compare and explorer actions on a proposal', async () => {
    const live = await firstFolderModel();
    const proposal = live.toUri(live.workspace.changes[0]!.proposal!.path);
    const found = await lenses(proposal);
    assert.deepEqual(titles(found), [
      '0:Validate',
      '0:Compare with specs',
      '0:Show in explorer',
      '0:Review with AI',
      '0:Improve with AI',
      '0:Run Improvement Loop',
    ]);
    const reveal = found[2]!.command!;
    assert.equal(
      await vscode.commands.executeCommand(reveal.command, ...((reveal.arguments ?? []) as unknown[])),
      true,
      'the change was revealed in the Changes view',
    );
    assert.equal(await vscode.commands.executeCommand('openspecLoop.revealChange', 'no-such-change'), false);
  });

  it('offers "Compare with current spec" on each delta requirement', async () => {
    const live = await firstFolderModel();
    const delta = live.workspace.changes[0]!.deltas[0]!;
    const found = await lenses(live.toUri(delta.path));
    const header = delta.deltaSections[0]!.requirements[0]!.headerLine;
    assert.deepEqual(titles(found), [`${header}:Compare with current spec`, `${header}:Improve with AI`]);
    assert.equal(found[0]!.command?.command, 'openspecLoop.compareRequirement');
  });

  it('shows task progress and marks a task done from its lens, undoably', async () => {
    const live = await firstFolderModel();
    const tasks = live.workspace.changes[0]!.tasks!;
    const uri = live.toUri(tasks.path);
    const found = await lenses(uri);
    assert.equal(found[0]!.command?.title, `${tasks.completed}/${tasks.total} tasks done`);
    const open = tasks.tasks.find((task) => !task.done)!;
    const lens = found.find((candidate) => candidate.range.start.line === open.line)!;
    assert.equal(lens.command?.title, 'Mark done');
    const before = (await vscode.workspace.openTextDocument(uri)).getText();
    await vscode.commands.executeCommand(lens.command.command, ...((lens.command.arguments ?? []) as unknown[]));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.lineAt(open.line).text, /^\s*[-*+]\s*\[x\]/);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before, 'undo restores tasks.md');
    await document.save();
    await waitFor(
      async () =>
        (await lenses(uri)).find((candidate) => candidate.range.start.line === open.line)?.command?.title ===
        'Mark done',
      'the lens to return to "Mark done"',
      5_000,
      50,
    );
  });
});
