import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FolderModel } from '../../src/extension/model/openSpecModels';
import { waitFor } from '../harness/poll';
import { firstFolderModel } from './extensionApi';

const CHANGE = 'tidy-greeting';
const ARCHIVED = '2026-01-05-add-greeting';

const TIDY_DELTA = `## MODIFIED Requirements
### Requirement: Greet by name
The service SHALL greet the user by the name they signed in with, in their language.

#### Scenario: Known user
- **WHEN** a user named Ada opens a session
- **THEN** the service shows "Hello, Ada"
`;

const ARCHIVED_DELTA = `## ADDED Requirements
### Requirement: Greet by name
The service SHALL greet the user by the name they signed in with.

#### Scenario: Known user
- **WHEN** a user named Ada opens a session
- **THEN** the service shows "Hello, Ada"
`;

const PROPOSAL = `## Why
Greetings should speak the user's language, so nobody is greeted in a language they do not read.

## What Changes
- Greet in the user's language
`;

const NAME = 'Greet by name';

describe('spec symbols, references and rename', () => {
  let live: FolderModel;
  let openspec: string;
  const changeDir = () => join(openspec, 'changes', CHANGE);
  const archivedDir = () => join(openspec, 'changes', 'archive', ARCHIVED);
  const mainSpec = () => join(openspec, 'specs', 'greeting', 'spec.md');
  const tidyDelta = () => join(changeDir(), 'specs', 'greeting', 'spec.md');
  let specBefore: string;
  /** The main spec's `### Requirement: Greet by name` line. */
  let headerLine: number;

  before(async () => {
    live = await firstFolderModel();
    openspec = live.workspace.openspecDir;
    specBefore = readFileSync(mainSpec(), 'utf8');
    headerLine = specBefore.split('\n').indexOf(`### Requirement: ${NAME}`);
    assert.ok(headerLine > 0);
    mkdirSync(join(changeDir(), 'specs', 'greeting'), { recursive: true });
    mkdirSync(join(archivedDir(), 'specs', 'greeting'), { recursive: true });
    writeFileSync(tidyDelta(), TIDY_DELTA);
    writeFileSync(join(changeDir(), 'proposal.md'), PROPOSAL);
    writeFileSync(join(archivedDir(), 'specs', 'greeting', 'spec.md'), ARCHIVED_DELTA);
    writeFileSync(join(archivedDir(), 'proposal.md'), PROPOSAL);
    await waitFor(
      async () => {
        const workspace = (await firstFolderModel()).workspace;
        return (
          workspace.changes.some((change) => change.id === CHANGE && change.deltas.length === 1) &&
          workspace.archive.some((change) => change.id === ARCHIVED && change.deltas.length === 1)
        );
      },
      `the model to hold ${CHANGE} and the archived ${ARCHIVED}`,
      15_000,
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(changeDir(), { recursive: true, force: true });
    rmSync(archivedDir(), { recursive: true, force: true });
    writeFileSync(mainSpec(), specBefore);
    await waitFor(
      async () => {
        const workspace = (await firstFolderModel()).workspace;
        return (
          !workspace.changes.some((change) => change.id === CHANGE) &&
          !workspace.archive.some((change) => change.id === ARCHIVED) &&
          workspace.specs.find((spec) => spec.capability === 'greeting')?.text === specBefore &&
          // The workbench's copy too, which the rename saved: until it has reloaded the file, the next test's
          // edit of it is refused as made to a file that has changed in the meantime.
          vscode.workspace.textDocuments.every(
            (document) => document.uri.fsPath !== mainSpec() || document.getText() === specBefore,
          )
        );
      },
      'the model and the open main spec to be back to the fixture',
      15_000,
    );
  });

  it('outlines a main spec as sections, requirements and scenarios', async () => {
    const uri = vscode.Uri.file(mainSpec());
    await vscode.workspace.openTextDocument(uri);
    const symbols = await waitFor(
      async () =>
        (
          await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
            'vscode.executeDocumentSymbolProvider',
            uri,
          )
        )?.filter((symbol) => symbol.kind === vscode.SymbolKind.Namespace),
      'the OpenSpec outline of the main spec',
    );
    assert.deepEqual(
      symbols.map((symbol) => symbol.name),
      ['Purpose', 'Requirements'],
    );
    const requirement = symbols[1]!.children[0]!;
    assert.equal(requirement.name, NAME);
    assert.equal(requirement.kind, vscode.SymbolKind.Class);
    assert.equal(requirement.selectionRange.start.line, headerLine);
    assert.deepEqual(
      requirement.children.map((scenario) => `${scenario.kind === vscode.SymbolKind.Method}:${scenario.name}`),
      ['true:Known user', 'true:Anonymous user'],
    );
  });

  it('finds requirements of every spec and active delta with Ctrl+T', async () => {
    const found = await vscode.commands.executeCommand<vscode.SymbolInformation[]>(
      'vscode.executeWorkspaceSymbolProvider',
      'by name',
    );
    const ours = found
      .filter((symbol) => symbol.kind === vscode.SymbolKind.Class)
      .map((symbol) => `${symbol.name} [${symbol.containerName}]`)
      .sort();
    assert.deepEqual(ours, [`${NAME} [greeting · ${CHANGE} (MODIFIED)]`, `${NAME} [greeting]`]);
    const farewell = await vscode.commands.executeCommand<vscode.SymbolInformation[]>(
      'vscode.executeWorkspaceSymbolProvider',
      'farewell',
    );
    assert.ok(
      farewell.some((symbol) => symbol.name === 'Say farewell' && symbol.location.uri.fsPath.includes('add-farewell')),
    );
  });

  it('lists the main spec, the active delta and the archived change with Shift+F12', async () => {
    const uri = vscode.Uri.file(mainSpec());
    await vscode.workspace.openTextDocument(uri);
    const locations = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      uri,
      new vscode.Position(headerLine, 5),
    );
    // The references view shows a place once; once VS Code's Markdown extension is awake, it names the header too.
    const placesOf = (found: vscode.Location[]) => [
      ...new Set(found.map((location) => `${location.uri.fsPath.replace(openspec, '')}:${location.range.start.line}`)),
    ];
    assert.deepEqual(placesOf(locations).sort(), [
      `/changes/archive/${ARCHIVED}/specs/greeting/spec.md:1`,
      `/changes/${CHANGE}/specs/greeting/spec.md:1`,
      `/specs/greeting/spec.md:${headerLine}`,
    ]);
    const fromDelta = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      vscode.Uri.file(tidyDelta()),
      new vscode.Position(1, 3),
    );
    assert.equal(placesOf(fromDelta).length, 3, 'the delta header finds the same three places');
  });

  it('refuses F2 outside a main spec header, and a name already taken', async () => {
    await vscode.workspace.openTextDocument(vscode.Uri.file(tidyDelta()));
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('vscode.prepareRename', vscode.Uri.file(tidyDelta()), new vscode.Position(2, 5)),
      ),
      /main spec/,
    );
    const uri = vscode.Uri.file(mainSpec());
    await vscode.workspace.openTextDocument(uri);
    const refused = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      uri,
      new vscode.Position(headerLine, 20),
      'Say farewell',
    );
    assert.equal(refused.size, 0, 'nothing is renamed to a name add-farewell already adds');
  });

  it('renames a main spec requirement and the active delta naming it, not the archive', async () => {
    const uri = vscode.Uri.file(mainSpec());
    await vscode.workspace.openTextDocument(uri);
    const prepared = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string }>(
      'vscode.prepareRename',
      uri,
      new vscode.Position(headerLine, 20),
    );
    assert.equal(prepared.placeholder, NAME);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      uri,
      new vscode.Position(headerLine, 20),
      'Greet by display name',
    );
    assert.deepEqual(
      edit
        .entries()
        .map(([file]) => file.fsPath.replace(openspec, ''))
        .sort(),
      [`/changes/${CHANGE}/specs/greeting/spec.md`, '/specs/greeting/spec.md'],
    );
    // The same replacements without their confirmation flag: applied with it, the edit waits in the refactor
    // preview for a click this test does not give.
    const confirmed = new vscode.WorkspaceEdit();
    for (const [file, edits] of edit.entries()) confirmed.set(file, edits);
    assert.ok(await vscode.workspace.applyEdit(confirmed));
    for (const [file] of confirmed.entries()) {
      const document = await vscode.workspace.openTextDocument(file);
      assert.match(document.getText(), /^### Requirement: Greet by display name$/m, file.fsPath);
      assert.ok(await document.save(), `saved ${file.fsPath}`);
    }
    assert.match(readFileSync(mainSpec(), 'utf8'), /^### Requirement: Greet by display name$/m);
    assert.match(readFileSync(tidyDelta(), 'utf8'), /^### Requirement: Greet by display name$/m);
    assert.match(
      readFileSync(join(archivedDir(), 'specs', 'greeting', 'spec.md'), 'utf8'),
      /^### Requirement: Greet by name$/m,
    );
  });
});
