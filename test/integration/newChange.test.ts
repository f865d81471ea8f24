import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../harness/poll';
import { readyApi } from './extensionApi';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

describe('OpenSpec: New Change', () => {
  it('scaffolds a change that modifies an existing capability, and the model sees it', async () => {
    const live = (await readyApi()).models;
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>('openspecLoop.newChange', {
      id: 'add-wave',
      capability: 'greeting',
    });
    assert.ok(created, 'the command created nothing');
    try {
      for (const file of ['.openspec.yaml', 'proposal.md', 'tasks.md', 'specs/greeting/spec.md']) {
        assert.ok(await exists(vscode.Uri.joinPath(created, file)), `${file} was not created`);
      }
      const delta = Buffer.from(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(created, 'specs/greeting/spec.md')),
      ).toString('utf8');
      assert.match(delta, /^## MODIFIED Requirements/m);
      assert.equal(
        vscode.window.activeTextEditor?.document.uri.path,
        vscode.Uri.joinPath(created, 'proposal.md').path,
        'the proposal is opened',
      );
      await waitFor(
        () => live.folders[0]!.workspace.changes.some((change) => change.id === 'add-wave'),
        'the new change to reach the model',
        5_000,
        50,
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(created, { recursive: true });
      // Leave the model as the fixture has it: the next test file may read it at once.
      await waitFor(
        () => !live.folders[0]!.workspace.changes.some((change) => change.id === 'add-wave'),
        'the deleted change to leave the model',
        5_000,
        50,
      );
    }
  });

  it('refuses a bad name or an existing change and writes nothing', async () => {
    const live = (await readyApi()).models;
    const changesDir = vscode.Uri.joinPath(live.folders[0]!.folder.uri, 'openspec', 'changes');
    const before = (await vscode.workspace.fs.readDirectory(changesDir)).map(([name]) => name).sort();
    assert.equal(
      await vscode.commands.executeCommand('openspecLoop.newChange', { id: 'Add Wave', capability: 'greeting' }),
      undefined,
    );
    assert.equal(
      await vscode.commands.executeCommand('openspecLoop.newChange', { id: 'add-farewell', capability: 'greeting' }),
      undefined,
    );
    const after = (await vscode.workspace.fs.readDirectory(changesDir)).map(([name]) => name).sort();
    assert.deepEqual(after, before);
  });
});
