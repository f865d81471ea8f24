import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ArchiveCommandResult, RestoreCommandResult } from '../../src/extension/archive/registerArchive';
import type { FolderModel } from '../../src/extension/model/openSpecModels';
import { fileTree } from '../harness/fileTree';
import { waitFor } from '../harness/poll';
import { firstFolderModel } from './extensionApi';

const CHANGE = 'add-greeting-styles';

const PROPOSAL = `## Why
Users want greetings that match the time of day and a second capability to choose their style.

## What Changes
- Greet by the time of day
- Add greeting styles
`;

const TASKS = `## 1. Styles

- [x] 1.1 Greet by the time of day
- [x] 1.2 Add greeting styles
`;

const GREETING_DELTA = `## ADDED Requirements
### Requirement: Greet by time of day
The service SHALL greet the user with "Good morning" before noon.

#### Scenario: Morning
- **WHEN** a user opens a session at 9:00
- **THEN** the service shows "Good morning"
`;

const STYLES_DELTA = `## ADDED Requirements
### Requirement: Choose a greeting style
The service SHALL let a user choose a formal or a casual greeting style.

#### Scenario: Formal
- **WHEN** a user chooses the formal style
- **THEN** the service greets them as "Good day"
`;

describe('archive and restore a change in the editor', () => {
  let live: FolderModel;
  let openspec: string;
  const changeDir = () => join(openspec, 'changes', CHANGE);
  const greetingSpec = () => join(openspec, 'specs', 'greeting', 'spec.md');
  let specBefore: string;

  before(async () => {
    live = await firstFolderModel();
    openspec = live.workspace.openspecDir;
    specBefore = readFileSync(greetingSpec(), 'utf8');
    // The confirmation is a modal dialog; the workbench tests click it, these take the setting's way past it.
    await vscode.workspace
      .getConfiguration('openspecLoop')
      .update('archive.confirm', false, vscode.ConfigurationTarget.Workspace);
  });

  beforeEach(async () => {
    mkdirSync(join(changeDir(), 'specs', 'greeting'), { recursive: true });
    mkdirSync(join(changeDir(), 'specs', 'greeting-styles'), { recursive: true });
    writeFileSync(join(changeDir(), 'specs', 'greeting', 'spec.md'), GREETING_DELTA);
    writeFileSync(join(changeDir(), 'specs', 'greeting-styles', 'spec.md'), STYLES_DELTA);
    writeFileSync(join(changeDir(), 'tasks.md'), TASKS);
    writeFileSync(join(changeDir(), 'proposal.md'), PROPOSAL);
    await waitFor(
      async () =>
        (await firstFolderModel()).workspace.changes.find((change) => change.id === CHANGE)?.deltas.length === 2,
      `the model to hold ${CHANGE} with its two deltas`,
      15_000,
    );
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(changeDir(), { recursive: true, force: true });
    const archiveDir = join(openspec, 'changes', 'archive');
    for (const name of existsSync(archiveDir) ? readdirSync(archiveDir) : [])
      if (name.endsWith(CHANGE)) rmSync(join(archiveDir, name), { recursive: true, force: true });
    rmSync(join(openspec, 'specs', 'greeting-styles'), { recursive: true, force: true });
    writeFileSync(greetingSpec(), specBefore);
    // An open document follows the disk a moment later; the next test plans from the text the editor holds.
    await waitFor(
      () =>
        (vscode.workspace.textDocuments.find((document) => document.uri.fsPath === greetingSpec())?.getText() ??
          specBefore) === specBefore,
      'the open main spec to show the restored text',
      10_000,
    );
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('openspecLoop')
      .update('archive.confirm', undefined, vscode.ConfigurationTarget.Workspace);
  });

  async function archive(): Promise<ArchiveCommandResult> {
    const result = await vscode.commands.executeCommand<ArchiveCommandResult | undefined>(
      'openspecLoop.archiveChange',
      { changeId: CHANGE, folder: live.root },
    );
    assert.ok(result, 'the archive was not written');
    return result;
  }

  it('merges the deltas into the main specs and moves the change; restoring puts every byte back', async () => {
    const before = fileTree(openspec, { folders: true });
    const result = await archive();
    const today = new Date();
    const date = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
      .map((part) => String(part).padStart(2, '0'))
      .join('-');
    assert.equal(result.archivedAs, `${date}-${CHANGE}`);
    assert.equal(existsSync(changeDir()), false, 'the change left changes/');
    assert.equal(readFileSync(join(result.path, 'tasks.md'), 'utf8'), TASKS, 'the change moved whole');
    const merged = readFileSync(greetingSpec(), 'utf8');
    assert.match(merged, /### Requirement: Greet by name\n[^]*### Requirement: Greet by time of day\n/);
    const created = readFileSync(join(openspec, 'specs', 'greeting-styles', 'spec.md'), 'utf8');
    assert.match(created, /^# greeting-styles Specification\n/);
    assert.match(created, /### Requirement: Choose a greeting style/);
    const saved = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === greetingSpec());
    assert.ok(!saved?.isDirty, 'the main spec is saved, so openspec on the command line sees it');

    const restored = await vscode.commands.executeCommand<RestoreCommandResult | undefined>(
      'openspecLoop.restoreArchivedChange',
      { changeId: result.archivedAs, folder: live.root },
    );
    assert.deepEqual(restored, { change: CHANGE, reverted: ['greeting', 'greeting-styles'], needsLook: [] });
    // The archive folder stays, empty, as after `openspec archive` and a manual move back.
    const { 'changes/archive/': archiveFolder, ...after } = fileTree(openspec, { folders: true });
    assert.equal(archiveFolder, '');
    assert.deepEqual(after, before);
  });

  it('restores only the folder when a spec changed since the archive, and names that spec', async () => {
    const result = await archive();
    const edited = `${readFileSync(greetingSpec(), 'utf8')}\n<!-- reviewed after the archive -->\n`;
    writeFileSync(greetingSpec(), edited);
    await waitFor(
      async () =>
        (await firstFolderModel()).workspace.specs.some((spec) => spec.text.includes('reviewed after the archive')),
      'the model to see the spec edited on disk',
      15_000,
    );
    const restored = await vscode.commands.executeCommand<RestoreCommandResult | undefined>(
      'openspecLoop.restoreArchivedChange',
      { changeId: result.archivedAs, folder: live.root },
    );
    assert.deepEqual(restored, { change: CHANGE, reverted: ['greeting-styles'], needsLook: ['greeting'] });
    assert.equal(readFileSync(greetingSpec(), 'utf8'), edited, 'the edited spec is left as the user has it');
    assert.equal(existsSync(join(openspec, 'specs', 'greeting-styles')), false, 'the spec archive created is gone');
    assert.equal(readFileSync(join(changeDir(), 'tasks.md'), 'utf8'), TASKS, 'the change is back');
    assert.equal(existsSync(result.path), false);
  });

  it('refuses while a main spec it writes has unsaved changes, and writes nothing', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(greetingSpec()));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '<!-- draft -->\n'));
    const before = fileTree(openspec, { folders: true });
    const result = await vscode.commands.executeCommand<ArchiveCommandResult | undefined>(
      'openspecLoop.archiveChange',
      { changeId: CHANGE, folder: live.root },
    );
    assert.equal(result, undefined);
    assert.deepEqual(fileTree(openspec, { folders: true }), before);
    assert.ok(document.isDirty, 'the unsaved edit is still in the editor');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('offers Archive as a CodeLens on proposal.md and tasks.md once every task is done', async () => {
    const proposal = vscode.Uri.file(join(changeDir(), 'proposal.md'));
    await vscode.workspace.openTextDocument(proposal);
    const lenses = await waitFor(
      async () =>
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', proposal))?.find(
          (lens) => lens.command?.title === 'Archive change',
        ),
      'the Archive change lens on proposal.md',
      10_000,
    );
    assert.equal(lenses.command?.command, 'openspecLoop.archiveChange');
    const tasks = vscode.Uri.file(join(changeDir(), 'tasks.md'));
    await vscode.workspace.openTextDocument(tasks);
    const onTasks = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', tasks);
    assert.ok(onTasks.some((lens) => lens.command?.title === 'Archive change'));
  });
});
