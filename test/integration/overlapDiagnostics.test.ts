import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ArchiveCommandResult } from '../../src/extension/archive/registerArchive';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import type { FolderModel } from '../../src/extension/model/openSpecModels';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
const GREETING_SCENARIOS = [
  '#### Scenario: Known user',
  '- **WHEN** a user named Ada opens a session',
  '- **THEN** the service shows "Hello, Ada"',
  '',
  '#### Scenario: Anonymous user',
  '- **WHEN** a user opens a session without a name',
  '- **THEN** the service shows "Hello"',
  '',
].join('\n');

/** A delta of the fixture's greeting spec that rewrites "Greet by name" (its header on line 1). */
function modifiesGreeting(statement: string): string {
  return `## MODIFIED Requirements\n### Requirement: Greet by name\n${statement}\n\n${GREETING_SCENARIOS}`;
}
const ADDS_FORMAL_GREETING = `## ADDED Requirements\n### Requirement: Greet formally\nThe service SHALL greet formally.\n\n${GREETING_SCENARIOS}`;

/**
 * Resolves with the first value `probe` returns (not `undefined`), asked now and at every `event`: diagnostics
 * and tabs announce themselves, so nothing here waits a fixed time.
 */
function when<T>(
  event: vscode.Event<unknown>,
  probe: () => T | undefined,
  what: string | (() => string),
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = probe();
      if (value === undefined) return;
      stop();
      resolve(value);
    };
    const subscription = event(check);
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`));
    }, timeoutMs);
    const stop = () => {
      subscription.dispose();
      clearTimeout(timer);
    };
    check();
  });
}

/** `when` the Problems panel's diagnostics change. */
function whenDiagnostics<T>(probe: () => T | undefined, what: string | (() => string)): Promise<T> {
  return when(vscode.languages.onDidChangeDiagnostics, probe, what);
}

function withCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'openspec-loop' && diagnostic.code === code);
}

describe('overlapping changes', () => {
  let api: OpenSpecLoopApi;
  let folder: vscode.WorkspaceFolder;
  let model: FolderModel;
  let mainSpec: vscode.Uri;
  let mainSpecBefore: Uint8Array;
  let archivedPath: string | undefined;
  const changeDir = (id: string) => vscode.Uri.joinPath(folder.uri, 'openspec/changes', id);
  const deltaOf = (id: string) => vscode.Uri.joinPath(changeDir(id), 'specs/greeting/spec.md');
  const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  /**
   * Puts `text` into a delta: a new file on disk, an existing one through its editor and saved, as the user
   * edits a delta (the model follows open editors at once, and their saves).
   */
  const put = async (uri: vscode.Uri, text: string): Promise<void> => {
    const exists = await vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
    if (!exists) return write(uri, text);
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.getText() === text) return;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit), `the edit of ${uri.path} was not applied`);
    assert.ok(await document.save(), `${uri.path} was not saved`);
  };
  const reword = () => deltaOf('reword-greeting');
  const formal = () => deltaOf('formal-greeting');

  before(async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await api.models.ready;
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'the test run has no workspace folder');
    folder = first;
    const found = api.models.folderFor(folder.uri);
    assert.ok(found, 'the workspace folder has no OpenSpec model');
    model = found;
    mainSpec = vscode.Uri.joinPath(folder.uri, 'openspec/specs/greeting/spec.md');
    mainSpecBefore = await vscode.workspace.fs.readFile(mainSpec);
    // The archive's question is a modal dialog; the workbench tests answer it, these take the setting past it.
    await vscode.workspace
      .getConfiguration('openspecLoop')
      .update('archive.confirm', false, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace
      .getConfiguration('openspecLoop')
      .update('archive.confirm', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.writeFile(mainSpec, mainSpecBefore);
    if (archivedPath)
      await vscode.workspace.fs
        .delete(vscode.Uri.file(archivedPath), { recursive: true })
        .then(undefined, () => undefined);
    for (const id of ['reword-greeting', 'formal-greeting'])
      await vscode.workspace.fs.delete(changeDir(id), { recursive: true }).then(undefined, () => undefined);
  });

  it('warns on both headers of a requirement two changes modify, each pointing at the other, until one stops', async () => {
    await put(reword(), modifiesGreeting('The service SHALL greet the user by their full name.'));
    await put(formal(), modifiesGreeting('The service SHALL greet the user formally by name.'));

    const [onReword, onFormal] = await whenDiagnostics(() => {
      const found = [withCode(reword(), 'overlapping-change'), withCode(formal(), 'overlapping-change')];
      return found.every((list) => list.length === 1) ? found.map((list) => list[0] as vscode.Diagnostic) : undefined;
    }, 'an overlap warning on both deltas');
    for (const [diagnostic, other, otherId] of [
      [onReword, formal(), 'formal-greeting'],
      [onFormal, reword(), 'reword-greeting'],
    ] as const) {
      assert.equal(
        diagnostic?.message,
        `Also modified by change '${otherId}' (capability greeting): archiving one overwrites the other's version`,
      );
      assert.equal(diagnostic?.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(diagnostic?.range.start.line, 1);
      const related = diagnostic?.relatedInformation ?? [];
      assert.equal(related.length, 1);
      assert.equal(related[0]?.location.uri.toString(), other.toString());
      assert.equal(related[0]?.location.range.start.line, 1);
    }

    await put(formal(), ADDS_FORMAL_GREETING);
    await whenDiagnostics(
      () =>
        withCode(reword(), 'overlapping-change').length + withCode(formal(), 'overlapping-change').length === 0
          ? true
          : undefined,
      () =>
        `both overlap warnings to clear; the model has formal-greeting as ${JSON.stringify(
          model.workspace.changes
            .find((change) => change.id === 'formal-greeting')
            ?.deltas.map((delta) => delta.deltaSections.map((section) => section.operation)),
        )}; on it: ${JSON.stringify(vscode.languages.getDiagnostics(formal()).map((d) => [d.source, d.code, d.message]))}`,
    );
  });

  it('after an archive, flags the MODIFIED block it left stale, offers the comparison, and clears once edited', async () => {
    await put(reword(), modifiesGreeting('The service SHALL greet the user by their full name.'));
    await put(formal(), modifiesGreeting('The service SHALL greet the user formally by name.'));
    await whenDiagnostics(
      () => (withCode(formal(), 'overlapping-change').length === 1 ? true : undefined),
      'the overlap of the two changes',
    );
    assert.ok(model.workspace.changes.some((change) => change.id === 'reword-greeting'));

    const archived = await vscode.commands.executeCommand<ArchiveCommandResult | undefined>(
      'openspecLoop.archiveChange',
      { changeId: 'reword-greeting', folder: model.root },
    );
    assert.ok(archived, 'reword-greeting was not archived');
    archivedPath = archived.path;
    const stale = await whenDiagnostics(
      () =>
        withCode(formal(), 'overlapping-change').length === 0 ? withCode(formal(), 'stale-modified')[0] : undefined,
      'the stale MODIFIED warning, with no overlap left',
    );
    assert.equal(
      stale.message,
      "Archiving 'reword-greeting' changed this requirement; refresh this MODIFIED block against the current spec",
    );
    assert.equal(stale.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(stale.range.start.line, 1);

    const document = await vscode.workspace.openTextDocument(formal());
    await vscode.window.showTextDocument(document);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      formal(),
      stale.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const compare = actions.find((action) => action.title === 'Compare with current spec');
    assert.ok(compare?.command, `no comparison among: ${actions.map((action) => action.title).join(', ')}`);
    assert.equal(compare.command.command, 'openspecLoop.compareRequirement');
    const [target] = (compare.command.arguments ?? []) as unknown[];
    assert.deepEqual(target, {
      changeId: 'formal-greeting',
      folder: model.root,
      capability: 'greeting',
      requirement: 'Greet by name',
    });
    await vscode.commands.executeCommand(compare.command.command, target);
    const diffTitle = 'greeting: Greet by name (current ↔ MODIFIED in formal-greeting)';
    const tab = await when(
      vscode.window.tabGroups.onDidChangeTabs,
      () => {
        const active = vscode.window.tabGroups.activeTabGroup.activeTab;
        return active?.label === diffTitle ? active : undefined;
      },
      `the tab "${diffTitle}"`,
    );
    assert.ok(tab.input instanceof vscode.TabInputTextDiff);

    // Refreshing the block (typed, not yet saved) is what clears it.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(formal(), document.lineAt(2).range, 'The service SHALL greet the user formally by their full name.');
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    await whenDiagnostics(
      () => (withCode(formal(), 'stale-modified').length === 0 ? true : undefined),
      'the stale warning to clear',
    );
    assert.ok(await document.save(), 'the refreshed block was not saved');
  });
});
