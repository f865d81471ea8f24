import * as assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { documentBase, replaceIfUnchanged } from '../../src/core/fs/fileWriter';
import { checkboxEdit } from '../../src/core/openspec/taskCheckbox';
import { EditorFileWriter } from '../../src/extension/model/editorFileWriter';
import { toPosix } from '../../src/node/nodeFileSystem';

/** The editor's writer on files of a scratch folder beside openspec/, so the OpenSpec model never sees them. */
describe('the editor file writer', () => {
  const writer = new EditorFileWriter();
  let scratch: string;
  const at = (name: string) => join(scratch, name);
  const open = (name: string) => vscode.workspace.openTextDocument(vscode.Uri.file(at(name)));
  const place = (line: number) => ({
    line,
    checkboxRange: { start: { line, character: 3 }, end: { line, character: 4 } },
  });

  before(() => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    scratch = join(folder.uri.fsPath, 'writer-scratch');
    mkdirSync(scratch, { recursive: true });
  });

  afterEach(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('edits the unsaved text of an open document, leaves it unsaved, and one Undo takes the edit back', async () => {
    writeFileSync(at('dirty.md'), '- [ ] 1.1 One\n- [ ] 1.2 Two\n');
    const editor = await vscode.window.showTextDocument(await open('dirty.md'));
    assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(2, 0), '- [ ] 1.3 Typed\n')));
    const outcome = await writer.update(toPosix(at('dirty.md')), checkboxEdit(place(2), true));
    assert.equal(outcome.kind, 'written');
    assert.equal(editor.document.getText(), '- [ ] 1.1 One\n- [ ] 1.2 Two\n- [x] 1.3 Typed\n');
    assert.equal(editor.document.isDirty, true, "the user's typing is not saved for them");
    assert.equal(readFileSync(at('dirty.md'), 'utf8'), '- [ ] 1.1 One\n- [ ] 1.2 Two\n');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), '- [ ] 1.1 One\n- [ ] 1.2 Two\n- [ ] 1.3 Typed\n');
  });

  it('answers stale to a replacement based on the disk when the open document holds other text', async () => {
    writeFileSync(at('typed.md'), 'on disk\n');
    const editor = await vscode.window.showTextDocument(await open('typed.md'));
    assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), 'typed ')));
    const outcome = await replaceIfUnchanged(writer, toPosix(at('typed.md')), documentBase('on disk\n'), 'model\n');
    assert.equal(outcome.kind, 'stale');
    assert.equal(editor.document.getText(), 'typed on disk\n');
  });

  it('saves a document that was clean before, and writes through a link, which stays a link', async () => {
    writeFileSync(at('target.md'), '- [ ] 1.1 One\n');
    symlinkSync('target.md', at('link.md'));
    const outcome = await writer.update(toPosix(at('link.md')), checkboxEdit(place(0), true));
    assert.equal(outcome.kind, 'written');
    assert.equal((await open('link.md')).isDirty, false);
    assert.ok(lstatSync(at('link.md')).isSymbolicLink(), 'the link is still a link');
    assert.equal(readFileSync(at('target.md'), 'utf8'), '- [x] 1.1 One\n');
  });

  it('creates a file only where nothing is, and moves only onto a free name', async () => {
    writeFileSync(at('taken.md'), 'mine\n');
    assert.equal((await writer.create(toPosix(at('taken.md')), 'theirs\n')).kind, 'exists');
    assert.equal(readFileSync(at('taken.md'), 'utf8'), 'mine\n');
    assert.equal((await writer.create(toPosix(at('new/created.md')), 'created\n')).kind, 'written');
    assert.equal(readFileSync(at('new/created.md'), 'utf8'), 'created\n');

    assert.equal((await writer.move(toPosix(at('new/created.md')), toPosix(at('taken.md')))).kind, 'exists');
    assert.equal(readFileSync(at('taken.md'), 'utf8'), 'mine\n');
    assert.equal((await writer.move(toPosix(at('new')), toPosix(at('moved')))).kind, 'written');
    assert.equal(readFileSync(at('moved/created.md'), 'utf8'), 'created\n');
    assert.equal(existsSync(at('new')), false);
    assert.equal((await writer.move(toPosix(at('new')), toPosix(at('again')))).kind, 'missing');
  });

  it('refuses, confined to a folder, a write that a link leads outside it, changing nothing', async () => {
    mkdirSync(at('inside'));
    writeFileSync(at('outside.md'), '- [ ] 1.1 Outside\n');
    symlinkSync(join('..', 'outside.md'), at('inside/tasks.md'));
    const confined = new EditorFileWriter({ within: toPosix(at('inside')) });
    const outcome = await confined.update(toPosix(at('inside/tasks.md')), checkboxEdit(place(0), true));
    assert.equal(outcome.kind, 'refused');
    assert.equal(readFileSync(at('outside.md'), 'utf8'), '- [ ] 1.1 Outside\n');
  });
});
