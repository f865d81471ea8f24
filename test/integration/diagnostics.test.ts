import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import type { FolderModel } from '../../src/extension/model/openSpecModels';
import { waitFor } from '../harness/poll';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
const CHANGE = 'add-farewell';
const DELTA = 'openspec/changes/add-farewell/specs/greeting/spec.md';
const NO_SCENARIO = 'must include at least one scenario';
const INSERTED = '\n### Requirement: Wave goodbye\nThe service SHALL wave when a session ends.\n';

function validationDiagnostics(uri: vscode.Uri, source = 'openspec'): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === source);
}

describe('diagnostics', () => {
  let api: OpenSpecLoopApi;
  let uri: vscode.Uri;

  before(async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await api.models.ready;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test run has no workspace folder');
    uri = vscode.Uri.joinPath(folder.uri, DELTA);
  });

  /**
   * Waits until a validation pass has published its verdict on `changeId` as the model holds the change now:
   * the model replaces a change's object whenever one of its documents changes, typed or on disk.
   */
  const validated = (model: FolderModel, changeId: string) =>
    waitFor(
      () => {
        const change = model.workspace.changes.find((candidate) => candidate.id === changeId);
        return (
          change &&
          api.validation
            .recent()
            .some(
              (pass) =>
                pass.root === model.root &&
                (pass.scope.all || pass.scope.changes.includes(changeId)) &&
                pass.workspace.changes.includes(change),
            )
        );
      },
      `a validation pass over ${changeId} as the model holds it now`,
      10_000,
    );

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows a requirement without scenario on its header while typing, and clears it when removed', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.ok(!document.isDirty, 'the delta opens as the fixture has it');
    const model = api.models.folderFor(uri);
    assert.ok(model, 'the delta belongs to no OpenSpec folder');
    // The fixture's delta is valid, so the pass that validated it as it is now left it clean.
    await validated(model, CHANGE);
    assert.deepEqual(
      validationDiagnostics(uri).map((diagnostic) => diagnostic.message),
      [],
    );

    const end = document.lineAt(document.lineCount - 1).range.end;
    const insert = new vscode.WorkspaceEdit();
    insert.insert(uri, end, INSERTED);
    assert.ok(await vscode.workspace.applyEdit(insert), 'the edit was not applied');
    const headerLine = document.getText().split('\n').indexOf('### Requirement: Wave goodbye');
    assert.ok(headerLine > 0);

    const error = await waitFor(
      () => validationDiagnostics(uri).find((diagnostic) => diagnostic.message.includes(NO_SCENARIO)),
      'the missing-scenario error',
      10_000,
    );
    assert.equal(error.message, `ADDED "Wave goodbye" ${NO_SCENARIO}`);
    assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(error.range.start.line, headerLine);

    const remove = new vscode.WorkspaceEdit();
    remove.delete(uri, new vscode.Range(end, document.lineAt(document.lineCount - 1).range.end));
    assert.ok(await vscode.workspace.applyEdit(remove), 'the removal was not applied');
    await waitFor(() => (validationDiagnostics(uri).length === 0 ? true : undefined), 'the error to clear', 10_000);
  });

  it('validates a change created on disk, with our own checks apart, and clears both when it is deleted', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const changeDir = vscode.Uri.joinPath(folder.uri, 'openspec/changes/disk-change');
    const delta = vscode.Uri.joinPath(changeDir, 'specs/greeting/spec.md');
    const text = '## ADDED Requirements\n### Requirement: Bow\nThe service SHALL bow.\n';
    await vscode.workspace.fs.writeFile(delta, new TextEncoder().encode(text));

    const error = await waitFor(
      () => validationDiagnostics(delta).find((diagnostic) => diagnostic.message.includes(NO_SCENARIO)),
      'the new change to be validated',
      10_000,
    );
    assert.equal(error.range.start.line, 1);
    const lint = await waitFor(
      () => validationDiagnostics(delta, 'openspec-loop')[0],
      'the missing-proposal finding',
      10_000,
    );
    assert.equal(lint.code, 'missing-proposal');

    await vscode.workspace.fs.delete(changeDir, { recursive: true });
    await waitFor(
      () => (vscode.languages.getDiagnostics(delta).length === 0 ? true : undefined),
      'the deleted change to clear',
      10_000,
    );
  });
});
