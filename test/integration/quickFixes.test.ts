import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../harness/poll';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
const DELTA = 'openspec/changes/add-farewell/specs/greeting/spec.md';
const NO_SCENARIO = 'ADDED "Wave goodbye" must include at least one scenario';

function validationErrors(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'openspec');
}

describe('quick fixes', () => {
  let uri: vscode.Uri;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test run has no workspace folder');
    uri = vscode.Uri.joinPath(folder.uri, DELTA);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('offers a scenario skeleton on a requirement without one; applying it clears the error and Undo restores the text', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const original = document.getText();
    const insert = new vscode.WorkspaceEdit();
    insert.insert(
      uri,
      document.lineAt(document.lineCount - 1).range.end,
      '\n### Requirement: Wave goodbye\nThe service SHALL wave when a session ends.\n',
    );
    assert.ok(await vscode.workspace.applyEdit(insert));
    const broken = document.getText();

    const error = await waitFor(
      () => validationErrors(uri).find((diagnostic) => diagnostic.message === NO_SCENARIO),
      'the missing-scenario error',
      10_000,
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      error.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((action) => action.title === 'Add a scenario skeleton to "Wave goodbye"');
    assert.ok(fix?.edit, `no scenario quick fix among: ${actions.map((action) => action.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));

    assert.match(
      document.getText(),
      /#### Scenario: Wave goodbye\n- \*\*WHEN\*\* <the situation>\n- \*\*THEN\*\* <the observable outcome>/,
    );
    await waitFor(() => (validationErrors(uri).length === 0 ? true : undefined), 'the error to clear', 10_000);

    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), broken, 'Undo removed exactly the inserted skeleton');
    const restore = new vscode.WorkspaceEdit();
    restore.replace(
      uri,
      new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)),
      original,
    );
    assert.ok(await vscode.workspace.applyEdit(restore));
  });
});
