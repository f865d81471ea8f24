import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FolderModel } from '../../src/extension/model/openSpecModels';
import { waitFor } from '../harness/poll';
import { firstFolderModel } from './extensionApi';

const CHANGE = 'tune-greeting-language';

const PROPOSAL = `## Why
Greetings should be shorter.

## Capabilities
### Modified Capabilities
- \`greeting\`: shorter greetings
`;

const DELTA = `## MODIFIED Requirements
### Requirement: Greet by name
The service SHALL greet the user by the name they signed in with.

#### Scenario: Known user
- **WHEN** a user named Ada opens a session
- **THEN** the service shows "Hi, Ada"

## REMOVED Requirements
### Requirement: Greet in Latin
`;

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

describe('spec files as a language', () => {
  let live: FolderModel;
  let changeDir: string;
  let deltaUri: vscode.Uri;
  let proposalUri: vscode.Uri;
  let mainSpec: string;

  before(async () => {
    live = await firstFolderModel();
    changeDir = join(live.workspace.openspecDir, 'changes', CHANGE);
    mkdirSync(join(changeDir, 'specs', 'greeting'), { recursive: true });
    writeFileSync(join(changeDir, 'proposal.md'), PROPOSAL);
    writeFileSync(join(changeDir, 'specs', 'greeting', 'spec.md'), DELTA);
    deltaUri = vscode.Uri.file(join(changeDir, 'specs', 'greeting', 'spec.md'));
    proposalUri = vscode.Uri.file(join(changeDir, 'proposal.md'));
    mainSpec = join(live.workspace.openspecDir, 'specs', 'greeting', 'spec.md');
    await waitFor(
      () => live.workspace.changes.find((change) => change.id === CHANGE)?.deltas.length === 1,
      'the model to see the new change',
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(changeDir, { recursive: true, force: true });
    await waitFor(() => !live.workspace.changes.some((change) => change.id === CHANGE), 'the model to drop the change');
  });

  it('completes a MODIFIED header typed but not saved with the whole current block', async () => {
    const document = await vscode.workspace.openTextDocument(deltaUri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(deltaUri, document.lineAt(1).range, '### Requirement: ');
    edit.delete(deltaUri, new vscode.Range(2, 0, 7, 0));
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        deltaUri,
        new vscode.Position(1, '### Requirement: '.length),
      );
      const item = list.items.find((candidate) => candidate.label === 'Greet by name');
      assert.ok(
        item,
        `offered: ${list.items.map((candidate) => (typeof candidate.label === 'string' ? candidate.label : candidate.label.label)).join(', ')}`,
      );
      const block = readFileSync(mainSpec, 'utf8').split('### Requirement: ')[1]!.trimEnd();
      assert.equal(item.insertText, block);
    } finally {
      const restore = new vscode.WorkspaceEdit();
      restore.replace(deltaUri, new vscode.Range(0, 0, document.lineCount, 0), DELTA);
      await vscode.workspace.applyEdit(restore);
      await document.save();
      await waitFor(
        () => live.workspace.changes.find((change) => change.id === CHANGE)?.deltas[0]?.text === DELTA,
        'the model to see the delta as written again',
      );
    }
  });

  it('offers the main spec names with Reason and Migration in REMOVED', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      deltaUri,
      new vscode.Position(9, '### Requirement: '.length),
    );
    const item = list.items.find((candidate) => candidate.label === 'Greet by name');
    assert.ok(item);
    assert.match((item.insertText as vscode.SnippetString).value, /\*\*Reason\*\*: .*\n\*\*Migration\*\*: /);
  });

  it('hovers a MODIFIED header with the current text and the scenario it drops', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      deltaUri,
      new vscode.Position(1, 5),
    );
    const text = hoverText(hovers);
    assert.match(text, /Current text in specs\/greeting\/spec\.md/);
    assert.ok(text.includes('The service SHALL greet the user by the name they signed in with.'), text);
    assert.match(text, /Scenarios dropped \(archive refuses\): "Anonymous user"/);
  });

  it('says archive would refuse a REMOVED header naming no requirement', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      deltaUri,
      new vscode.Position(9, 5),
    );
    assert.match(hoverText(hovers), /has no requirement "Greet in Latin": archive would refuse/);
  });

  it('goes from a delta header and from a proposal capability to the main spec', async () => {
    const fromHeader = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeDefinitionProvider',
      deltaUri,
      new vscode.Position(1, 20),
    );
    // The built-in Markdown features also answer with the heading itself; ours is the main spec's requirement.
    assert.deepEqual(
      fromHeader
        .map((location) => [location.uri.fsPath, location.range.start.line])
        .filter(([path]) => path !== deltaUri.fsPath),
      [[vscode.Uri.file(mainSpec).fsPath, 6]],
    );
    const fromProposal = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeDefinitionProvider',
      proposalUri,
      new vscode.Position(5, 5),
    );
    assert.deepEqual(
      fromProposal.map((location) => [location.uri.fsPath, location.range.start.line]),
      [[vscode.Uri.file(mainSpec).fsPath, 0]],
    );
  });
});
