import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { MemoryFileSystem } from '../../src/core/fs/memoryFileSystem';
import type { FileSystem } from '../../src/core/fs/fileSystem';
import { scanWorkspace } from '../../src/core/openspec/workspaceScanner';
import type { ExplorerNode, TaskNode, ViewKind } from '../../src/extension/explorer/explorerNodes';
import { ExplorerTreeProvider } from '../../src/extension/explorer/explorerTreeProvider';
import { trackValidationSeverities } from '../../src/extension/explorer/changeVerdict';
import { toggleTask } from '../../src/extension/explorer/toggleTask';
import { EditorFileWriter } from '../../src/extension/model/editorFileWriter';
import type { FolderModel, ModelChange, OpenSpecModels } from '../../src/extension/model/openSpecModels';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { waitFor } from '../harness/poll';
import { labelText } from './treeItemText';

async function folderModel(fs: FileSystem, folder: vscode.WorkspaceFolder, root: string): Promise<FolderModel> {
  const workspace = await scanWorkspace(fs, root);
  assert.ok(workspace, `${root} has no openspec/ folder`);
  return { folder, root, workspace, fs, toUri: (path) => folder.uri.with({ path }) };
}

function modelsOf(folders: FolderModel[]): OpenSpecModels & { emitter: vscode.EventEmitter<ModelChange> } {
  const emitter = new vscode.EventEmitter<ModelChange>();
  return {
    ready: Promise.resolve(),
    folders,
    onDidChange: emitter.event,
    onDidRemoveFolder: new vscode.EventEmitter<FolderModel>().event,
    folderFor: () => folders[0],
    refresh: async () => {},
    settled: async () => {},
    diskChanged: () => {},
    emitter,
  };
}

/** The tree as text, one `label [description] {contextValue}` line per node, children indented. */
async function render(provider: ExplorerTreeProvider, node?: ExplorerNode, depth = 0): Promise<string[]> {
  const lines: string[] = [];
  for (const child of await provider.getChildren(node)) {
    const item = provider.getTreeItem(child);
    const description = typeof item.description === 'string' && item.description !== '' ? ` [${item.description}]` : '';
    const icon = item.iconPath instanceof vscode.ThemeIcon ? ` (${item.iconPath.id})` : '';
    const checkbox =
      item.checkboxState === vscode.TreeItemCheckboxState.Checked ? '☑ ' : item.checkboxState === undefined ? '' : '☐ ';
    lines.push(`${'  '.repeat(depth)}${checkbox}${labelText(item)}${description}${icon} {${item.contextValue ?? ''}}`);
    lines.push(...(await render(provider, child, depth + 1)));
  }
  return lines;
}

async function findNode(
  provider: ExplorerTreeProvider,
  match: (node: ExplorerNode) => boolean,
  node?: ExplorerNode,
): Promise<ExplorerNode | undefined> {
  for (const child of await provider.getChildren(node)) {
    if (match(child)) return child;
    const found = await findNode(provider, match, child);
    if (found) return found;
  }
  return undefined;
}

describe('spec explorer', () => {
  const writer = new EditorFileWriter();
  let folder: vscode.WorkspaceFolder;
  let fixture: FolderModel;
  const providerFor = (view: ViewKind, folders: FolderModel[] = [fixture]) =>
    new ExplorerTreeProvider(modelsOf(folders), view);

  // Every test reads the fixture as it is on disk when it starts, and leaves no editor behind, so each one
  // runs the same alone or in any order.
  beforeEach(async () => {
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'the test run has no workspace folder');
    folder = first;
    fixture = await folderModel(new NodeFileSystem(), folder, folder.uri.path);
  });

  afterEach(async () => {
    // A failed test may leave an edit unsaved: revert it, so closing asks nothing and the next test sees the disk.
    for (const document of vscode.workspace.textDocuments.filter(
      (candidate) => candidate.isDirty && candidate.uri.scheme === 'file',
    )) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the fixture change with its progress, documents, tasks by group and delta requirements', async () => {
    assert.deepEqual(await render(providerFor('changes')), [
      'add-farewell [1/2] (pass) {change}',
      '  Proposal (lightbulb) {proposal}',
      '  Tasks [1/2] (checklist) {tasks}',
      '    1. Farewell [1/2] {taskGroup}',
      '      ☑ 1.1 Add the farewell message {task}',
      '      ☐ 1.2 Show it when the session ends {task}',
      '  greeting [added] (symbol-file) {delta}',
      '    Say farewell [added] (diff-added) {requirement}',
      '      Known user leaves (beaker) {scenario}',
    ]);
  });

  it('names the changes from the folder listing while the model is read, then shows them as changes', async () => {
    let modelRead = () => {};
    const models = { ...modelsOf([fixture]), ready: new Promise<void>((resolve) => (modelRead = resolve)) };
    const provider = new ExplorerTreeProvider(models, 'changes');
    const listed = await provider.getChildren();
    assert.deepEqual(
      listed.map((node) => [node.id, labelText(provider.getTreeItem(node)), provider.getTreeItem(node).description]),
      [['changes/change:add-farewell', 'add-farewell', 'reading…']],
    );
    assert.deepEqual(await provider.getChildren(listed[0]), [], 'nothing to expand yet');
    const redrawn = new Promise<ExplorerNode | undefined>((resolve) => provider.onDidChangeTreeData(resolve));
    modelRead();
    assert.equal(await redrawn, undefined, 'the whole view is redrawn once the model is there');
    const rows = await provider.getChildren();
    assert.deepEqual(
      rows.map((node) => [node.kind, node.id]),
      [['change', 'changes/change:add-farewell']],
      'the same row, now a change',
    );
    assert.equal(provider.getTreeItem(rows[0]!).description, '1/2');
  });

  it('shows main specs with requirements and scenarios, and an empty archive', async () => {
    assert.deepEqual(await render(providerFor('specs')), [
      'greeting [1 requirement] (book) {spec}',
      '  Greet by name (symbol-property) {requirement}',
      '    Known user (beaker) {scenario}',
      '    Anonymous user (beaker) {scenario}',
    ]);
    assert.deepEqual(await render(providerFor('archive')), []);
  });

  it('nests capability paths, lists archived changes with their date, and adds a node per folder in multi-root', async () => {
    const fs = new MemoryFileSystem({
      '/a/openspec/specs/audit/log/spec.md':
        '# log\n\n## Purpose\nLogs.\n\n## Requirements\n### Requirement: Log\nIt SHALL log.\n',
      '/a/openspec/changes/archive/2025-01-02-old-change/tasks.md': '- [x] Done\n',
      '/b/openspec/changes/other/tasks.md': '- [ ] Top\n  - [ ] Nested\n',
    });
    const a = await folderModel(fs, { ...folder, name: 'a', index: 0 }, '/a');
    const b = await folderModel(fs, { ...folder, name: 'b', index: 1 }, '/b');
    assert.deepEqual(await render(providerFor('specs', [a])), [
      'audit (folder) {capabilityFolder}',
      '  log [1 requirement] (book) {spec}',
      '    Log (symbol-property) {requirement}',
    ]);
    const archive = providerFor('archive', [a]);
    const [archived] = await archive.getChildren();
    assert.ok(archived);
    assert.equal(archive.getTreeItem(archived).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.deepEqual(await render(archive), [
      'old-change [2025-01-02] (archive) {archivedChange}',
      '  Tasks [1/1] (checklist) {tasks}',
      '    ☑ Done {task}',
    ]);
    assert.deepEqual(await render(providerFor('changes', [a, b])), [
      'a (folder) {workspaceFolder}',
      'b (folder) {workspaceFolder}',
      '  other [0/2] (pass) {change}',
      '    Tasks [0/2] (checklist) {tasks}',
      '      ☐ Top {task}',
      '      ☐ \u2003Nested {task}',
    ]);
  });

  it('opens a task at its line when clicked', async () => {
    const provider = providerFor('changes');
    const task = await findNode(provider, (node) => node.kind === 'task' && node.task.id === '1.2');
    assert.ok(task);
    const command = provider.getTreeItem(task).command;
    assert.equal(command?.command, 'vscode.open');
    await vscode.commands.executeCommand(command.command, ...((command.arguments ?? []) as unknown[]));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.ok(editor.document.uri.path.endsWith('/add-farewell/tasks.md'));
    assert.equal(editor.selection.active.line, 3);
  });

  it('refreshes only the change a model update touched', async () => {
    const models = modelsOf([fixture]);
    const provider = new ExplorerTreeProvider(models, 'changes');
    const [change] = await provider.getChildren();
    const fired: (ExplorerNode | undefined)[] = [];
    provider.onDidChangeTreeData((node) => fired.push(node));
    provider.update({
      folder: fixture,
      delta: { changes: ['add-farewell'], specs: [], archive: false, config: false },
      documents: [],
      fromDisk: false,
    });
    assert.deepEqual(fired, [change]);
    assert.equal(fired[0], change);
  });

  /** The fixture's change row, drawn valid, with its icon and the redraws the provider fires from now on. */
  const validChangeRow = async () => {
    const provider = new ExplorerTreeProvider(modelsOf([fixture]), 'changes');
    const [change] = await provider.getChildren();
    assert.ok(change?.kind === 'change');
    const icon = () => (provider.getTreeItem(change).iconPath as vscode.ThemeIcon).id;
    assert.equal(icon(), 'pass');
    const fired: (ExplorerNode | undefined)[] = [];
    provider.onDidChangeTreeData((node) => fired.push(node));
    return { provider, change, icon, fired };
  };

  it('redraws only the change rows whose validation icon a diagnostics change altered', async () => {
    const { provider, change, icon, fired } = await validChangeRow();
    // The severities are read once per turn of the event loop (changeVerdict.ts).
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    await nextTurn();
    provider.redrawVerdicts();
    assert.deepEqual(fired, [], 'no row is redrawn while every icon stays the same');
    const proposal = fixture.workspace.changes.find((candidate) => candidate.id === change.changeId)?.proposal;
    assert.ok(proposal);
    const collection = vscode.languages.createDiagnosticCollection('explorer-test');
    try {
      const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'broken', vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'openspec';
      collection.set(fixture.toUri(proposal.path), [diagnostic]);
      await nextTurn();
      provider.redrawVerdicts();
      assert.deepEqual(fired, [change], 'the row whose verdict changed, alone');
      assert.equal(icon(), 'error');
    } finally {
      collection.dispose();
    }
  });

  it('keeps the icons from the diagnostics events, as the extension tracks them, and redraws the altered row', async () => {
    const tracking = trackValidationSeverities();
    const collection = vscode.languages.createDiagnosticCollection('explorer-test');
    try {
      const { provider, change, icon, fired } = await validChangeRow();
      const tasks = fixture.workspace.changes.find((candidate) => candidate.id === change.changeId)?.tasks;
      assert.ok(tasks);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'odd', vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'openspec';
      collection.set(fixture.toUri(tasks.path), [diagnostic]);
      // The host delivers the diagnostics event a moment later; each redraw asks again until it has.
      await waitFor(
        () => {
          provider.redrawVerdicts();
          return fired.length > 0;
        },
        'the redraw of the row whose icon changed',
        10_000,
        20,
      );
      assert.deepEqual(fired, [change]);
      assert.equal(icon(), 'warning');
      collection.clear();
      await waitFor(() => icon() === 'pass', 'the icon back to valid once the warning is gone', 10_000, 20);
    } finally {
      collection.dispose();
      tracking.dispose();
    }
  });

  it('toggles a task with one undoable edit of its checkbox and saves a clean tasks.md', async () => {
    const task = (await findNode(providerFor('changes'), (node) => node.kind === 'task' && node.task.id === '1.2')) as
      TaskNode | undefined;
    assert.ok(task);
    const uri = fixture.toUri(task.document.path);
    const before = readFileSync(uri.fsPath, 'utf8');
    const editor = await vscode.window.showTextDocument(uri);
    assert.equal(await toggleTask(writer, uri, task.task), 'toggled');
    const expected = before.replace('- [ ] 1.2', '- [x] 1.2');
    assert.equal(editor.document.getText(), expected);
    assert.equal(editor.document.isDirty, false, 'a clean tasks.md is saved after the toggle');
    assert.equal(readFileSync(uri.fsPath, 'utf8'), expected);
    assert.equal(await toggleTask(writer, uri, task.task, true), 'unchanged');

    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), before);
    await editor.document.save();
    assert.equal(readFileSync(uri.fsPath, 'utf8'), before);
  });

  it('refuses to toggle a task whose line changed since the tree was drawn', async () => {
    const task = (await findNode(providerFor('changes'), (node) => node.kind === 'task' && node.task.id === '1.1')) as
      TaskNode | undefined;
    assert.ok(task);
    const shifted = {
      ...task.task,
      line: 0,
      checkboxRange: { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } },
    };
    assert.equal(await toggleTask(writer, fixture.toUri(task.document.path), shifted), 'stale');
  });

  it('follows the live model: toggling a task redraws its change with the new progress', async () => {
    const extension = vscode.extensions.getExtension<{ models?: OpenSpecModels }>('openspec-loop.openspec-loop');
    const models = (await extension?.activate())?.models;
    assert.ok(models, 'the extension does not expose its OpenSpecModels');
    await models.ready;
    // Task 1.2 is open on disk; the live model follows edits (an earlier test's included) after a short debounce.
    assert.ok(
      !fixture.workspace.changes[0]?.tasks?.tasks.find((candidate) => candidate.id === '1.2')?.done,
      'task 1.2 is open in the fixture',
    );
    await waitFor(
      () =>
        models.folders[0]?.workspace.changes[0]?.tasks?.tasks.find((candidate) => candidate.id === '1.2')?.done ===
        false,
      'the live model to hold task 1.2 open',
      5_000,
      50,
    );
    const provider = new ExplorerTreeProvider(models, 'changes');
    const listener = models.onDidChange((modelChange) => provider.update(modelChange));
    const task = (await findNode(provider, (node) => node.kind === 'task' && node.task.id === '1.2')) as
      TaskNode | undefined;
    assert.ok(task);
    const [change] = await provider.getChildren();
    assert.ok(change);
    const fired: (ExplorerNode | undefined)[] = [];
    // Earlier tests' edits may still be settling in the model: wait for the redraw that shows this toggle.
    const redrawn = new Promise<void>((resolve) => {
      provider.onDidChangeTreeData((node) => {
        fired.push(node);
        if (node === change && provider.getTreeItem(change).description === '2/2') resolve();
      });
    });
    const uri = task.folder.toUri(task.document.path);
    assert.equal(await toggleTask(writer, uri, task.task), 'toggled');
    try {
      await redrawn;
      assert.ok(
        fired.every((node) => node === change),
        'only the toggled change is redrawn',
      );
    } finally {
      listener.dispose();
      assert.equal(await toggleTask(writer, uri, { ...task.task, done: true }, false), 'toggled');
    }
  });

  it('marks a change with its validation state, following the Problems panel', async () => {
    const extension = vscode.extensions.getExtension<{ models?: OpenSpecModels }>('openspec-loop.openspec-loop');
    const models = (await extension?.activate())?.models;
    assert.ok(models);
    await models.ready;
    const provider = new ExplorerTreeProvider(models, 'changes');
    const iconOfChange = async () => {
      const [change] = await provider.getChildren();
      const icon = change ? provider.getTreeItem(change).iconPath : undefined;
      return icon instanceof vscode.ThemeIcon ? icon.id : undefined;
    };
    const settle = async (expected: string) => {
      let icon: string | undefined;
      await waitFor(
        async () => (icon = await iconOfChange()) === expected,
        () => `the change icon to become ${expected}; it is ${icon}`,
        10_000,
      );
    };
    await settle('pass');
    const delta = models.folders[0]!.workspace.changes[0]!.deltas[0]!;
    const document = await vscode.workspace.openTextDocument(models.folders[0]!.toUri(delta.path));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      document.uri,
      document.positionAt(document.getText().length),
      '\n### Requirement: Unfinished\nThe service SHALL wave.\n',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      await settle('error');
    } finally {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await settle('pass');
  });
});
