import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../harness/poll';
import { readyApi } from './extensionApi';

const PREVIEW_SCHEME = 'openspec-loop-preview';

/** Waits for the active tab; the multi-file diff adds " (N files)" to its title. */
async function activeTabLabel(expected: string): Promise<void> {
  await waitFor(
    () => vscode.window.tabGroups.activeTabGroup.activeTab?.label.startsWith(expected),
    () => `the tab "${expected}"; active: "${vscode.window.tabGroups.activeTabGroup.activeTab?.label}"`,
    5_000,
    50,
  );
}

describe('compare deltas with the main specs', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('diffs one requirement of a delta against the current spec, read-only', async () => {
    await readyApi();
    await vscode.commands.executeCommand('openspecLoop.compareRequirement', {
      changeId: 'add-farewell',
      capability: 'greeting',
      requirement: 'Say farewell',
    });
    await activeTabLabel('greeting: Say farewell (current ↔ ADDED in add-farewell)');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff);
    assert.equal(input.original.scheme, PREVIEW_SCHEME);
    const proposed = await vscode.workspace.openTextDocument(input.modified);
    assert.match(proposed.getText(), /^### Requirement: Say farewell/);
    const current = await vscode.workspace.openTextDocument(input.original);
    assert.equal(current.getText(), '', 'an ADDED requirement has no current version');
  });

  it('diffs every spec the change touches against what archive would write', async () => {
    await readyApi();
    await vscode.commands.executeCommand('openspecLoop.compareChange', 'add-farewell');
    await activeTabLabel('add-farewell: specs now ↔ after archive');
    const sides = vscode.workspace.textDocuments.filter(
      (document) => document.uri.scheme === PREVIEW_SCHEME && document.uri.path === '/openspec/specs/greeting/spec.md',
    );
    const archived = sides.find((document) => document.getText().includes('### Requirement: Say farewell'));
    assert.ok(archived, 'the after-archive document is not open');
    assert.ok(
      sides.some((document) => !document.getText().includes('Say farewell')),
      'the current spec is the other side',
    );
    assert.match(archived.getText(), /### Requirement: Greet by name/, 'the existing requirements are kept');
  });
});
