import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import type { ExplorerNode } from '../../src/extension/explorer/explorerNodes';
import { ExplorerTreeProvider } from '../../src/extension/explorer/explorerTreeProvider';
import { damagingImprove } from '../lmstudio/damagingReplies';
import { LmStudioStandIn } from '../lmstudio/standIn';
import { waitFor } from '../harness/poll';
import { labelText, tooltipText } from './treeItemText';
import { pointAtStandIn, type PointedStandIn } from './lmStudioSettings';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
const DELTA = 'openspec/changes/add-farewell/specs/greeting/spec.md';
const REVIEW_SOURCE = 'openspec-loop review';

const FINDINGS = JSON.stringify({
  findings: [
    {
      severity: 'warning',
      category: 'ambiguity',
      file: DELTA,
      line: null,
      requirement: 'Say farewell',
      message: '"by name" does not say which name is shown.',
      suggestion: 'Say that the display name is shown.',
    },
  ],
});

const IMPROVED_REQUIREMENT = JSON.stringify({
  summary: 'Names the display name.',
  requirement: [
    '### Requirement: Say farewell',
    "The service SHALL say goodbye with the user's display name when a session ends.",
    '',
    '#### Scenario: Known user leaves',
    '- **WHEN** a user named Ada ends a session',
    '- **THEN** the service shows "Goodbye, Ada"',
  ].join('\n'),
});

/** The Changes view as the extension builds it: labels under the change `add-farewell`, nested by two spaces. */
async function changeTree(api: OpenSpecLoopApi): Promise<string[]> {
  const provider = new ExplorerTreeProvider(api.models, 'changes', api.aiTree);
  const lines: string[] = [];
  const walk = async (node: ExplorerNode | undefined, depth: number): Promise<void> => {
    for (const child of await provider.getChildren(node)) {
      const item = provider.getTreeItem(child);
      lines.push(
        `${'  '.repeat(depth)}${labelText(item)}${typeof item.description === 'string' && item.description ? ` [${item.description}]` : ''}`,
      );
      if (child.kind !== 'tasks' && child.kind !== 'delta') await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  provider.dispose();
  return lines;
}

interface Outcome {
  ok: boolean;
  reason?: string;
  value?: { proposalId?: string };
}

describe('AI review and improve through LM Studio', function () {
  this.timeout(60_000);
  let standIn: PointedStandIn;
  let server: LmStudioStandIn;
  let uri: vscode.Uri;
  let original: string;
  let api: OpenSpecLoopApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    standIn = await pointAtStandIn({ maxRetries: 0 });
    server = standIn.server;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    uri = vscode.Uri.joinPath(folder.uri, DELTA);
    original = readFileSync(uri.fsPath, 'utf8');
  });

  afterEach(async () => {
    writeFileSync(uri.fsPath, original);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The next test reads the file through its open document, if any: wait until that shows the disk again.
    await waitFor(
      () =>
        (vscode.workspace.textDocuments.find((document) => document.uri.fsPath === uri.fsPath)?.getText() ??
          original) === original || undefined,
      'the delta spec to be restored',
      5_000,
    );
  });

  after(async () => {
    await standIn.release();
  });

  it('reviews a change into the Problems panel, each finding on its requirement with an "Improve with AI" fix', async () => {
    server.enqueueReply(FINDINGS);
    const outcome = await vscode.commands.executeCommand<Outcome>('openspecLoop.reviewWithAi', 'add-farewell');
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    const prompt = JSON.stringify(server.requests.at(-1)?.messages);
    assert.match(prompt, /Say farewell/, 'the delta spec was in the prompt');

    const finding = await waitFor(
      () => vscode.languages.getDiagnostics(uri).find((diagnostic) => diagnostic.source === REVIEW_SOURCE),
      'the review finding',
      5_000,
    );
    assert.equal(finding.range.start.line, 1, 'on the "### Requirement: Say farewell" header');
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Warning);
    const tree = await changeTree(api);
    const review = tree.indexOf('  AI Review [1 finding]');
    assert.ok(review > 0, tree.join('\n'));
    assert.equal(tree[review + 1], '    "by name" does not say which name is shown. [ambiguity · spec.md:2]');
    assert.match(finding.message, /which name is shown/);
    await vscode.workspace.openTextDocument(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      finding.range,
    );
    assert.ok(
      actions.some(
        (action) => action.title === 'Improve with AI' && action.command?.command === 'openspecLoop.improveWithAi',
      ),
      `actions offered: ${actions.map((action) => action.title).join(', ')}`,
    );
  });

  it('warns on a proposal that ticks the open tasks: the diff title, the CodeLens of the proposed side and the explorer node say so', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const tasks = vscode.Uri.joinPath(folder.uri, 'openspec/changes/add-farewell/tasks.md');
    const before = readFileSync(tasks.fsPath, 'utf8');
    server.setReplyHandler(damagingImprove('tickTasks'));
    try {
      const outcome = await vscode.commands.executeCommand<Outcome>('openspecLoop.improveWithAi', { uri: tasks });
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is active');
      assert.equal(tab.label, 'tasks.md: current ↔ proposed ⚠ ticks 1 task');
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          tab.input.modified,
        )) ?? [];
      assert.deepEqual(
        lenses.map((lens) => lens.command?.title),
        ['$(warning) Careful: it ticks 1 task', 'Accept', 'Reject'],
      );
      const provider = new ExplorerTreeProvider(api.models, 'changes', api.aiTree);
      try {
        const change = (await provider.getChildren(undefined)).find(
          (node) => provider.getTreeItem(node).label === 'add-farewell',
        );
        assert.ok(change);
        const proposals = (await provider.getChildren(change)).find(
          (node) => provider.getTreeItem(node).label === 'Proposals',
        );
        assert.ok(proposals);
        const [node] = await provider.getChildren(proposals);
        assert.ok(node);
        const item = provider.getTreeItem(node);
        assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
        assert.match(tooltipText(item), /Careful: it ticks 1 task\./);
      } finally {
        provider.dispose();
      }
      assert.equal(
        await vscode.commands.executeCommand('openspecLoop.rejectProposal', outcome.value?.proposalId),
        'rejected',
      );
      assert.equal(readFileSync(tasks.fsPath, 'utf8'), before, 'a rejected proposal writes nothing');
    } finally {
      server.setReplyHandler(undefined);
    }
  });

  for (const [shape, eol] of [
    ['a BOM and CRLF line endings', 'crlf'],
    ['a BOM and mixed line endings', 'mixed'],
  ] as const) {
    it(`accepts a proposal for a file with ${shape} on disk, keeping one BOM and the file's line endings`, async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder);
      const proposal = vscode.Uri.joinPath(folder.uri, 'openspec/changes/add-farewell/proposal.md');
      const before = readFileSync(proposal.fsPath, 'utf8');
      const lines = before.replace(/\n$/, '').split('\n');
      const onDisk = `\uFEFF${lines.map((line, index) => `${line}${eol === 'crlf' || index % 2 === 0 ? '\r\n' : '\n'}`).join('')}`;
      writeFileSync(proposal.fsPath, onDisk);
      try {
        await waitFor(
          () =>
            api.models.folders[0]?.workspace.changes.find((change) => change.id === 'add-farewell')?.proposal?.text ===
            onDisk,
          'the model to read the file as it is on disk',
          10_000,
        );
        const clearer = before.replace('Sessions end abruptly;', 'Sessions end abruptly (logout or timeout);');
        server.enqueueReply(JSON.stringify({ summary: 'Says how sessions end.', document: clearer }));
        const outcome = await vscode.commands.executeCommand<Outcome>('openspecLoop.improveWithAi', { uri: proposal });
        assert.equal(outcome.ok, true, JSON.stringify(outcome));
        assert.equal(
          await vscode.commands.executeCommand('openspecLoop.acceptProposal', outcome.value?.proposalId),
          'accepted',
        );
        const written = await waitFor(
          () => {
            const bytes = readFileSync(proposal.fsPath);
            return bytes.toString('utf8').includes('(logout or timeout)') ? bytes : undefined;
          },
          'the accepted proposal on disk',
          10_000,
        );
        assert.deepEqual([...written.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is kept');
        const text = written.toString('utf8');
        assert.ok(!text.slice(1).includes('\uFEFF'), 'and there is one BOM only');
        assert.equal(
          text.split('\r\n').length - 1,
          text.split('\n').length - 1,
          'every line ends in CRLF, as the editor holds the file',
        );
      } finally {
        writeFileSync(proposal.fsPath, before);
        await waitFor(
          () =>
            api.models.folders[0]?.workspace.changes.find((change) => change.id === 'add-farewell')?.proposal?.text ===
            before,
          'the proposal restored',
          10_000,
        );
      }
    });
  }

  it('shows an improvement as a diff; Accept writes it as one edit that Undo reverts', async () => {
    server.enqueueReply(IMPROVED_REQUIREMENT);
    const outcome = await vscode.commands.executeCommand<Outcome>('openspecLoop.improveWithAi', {
      uri,
      requirement: 'Say farewell',
    });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.ok(outcome.value?.proposalId);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is active');
    assert.equal(tab.input.original.fsPath, uri.fsPath);
    assert.equal(tab.input.modified.scheme, 'openspec-loop-proposal');
    assert.equal(readFileSync(uri.fsPath, 'utf8'), original, 'nothing is written before Accept');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const pending = await changeTree(api);
    assert.ok(
      pending.includes('  Proposals [1 pending]'),
      `closing the diff keeps the proposal listed:\n${pending.join('\n')}`,
    );
    assert.ok(pending.includes('    spec.md: Say farewell [Names the display name.]'));

    assert.equal(
      await vscode.commands.executeCommand('openspecLoop.acceptProposal', outcome.value?.proposalId),
      'accepted',
    );
    assert.ok(
      !(await changeTree(api)).some((line) => line.includes('Proposals')),
      'an accepted proposal leaves the list',
    );
    const accepted = readFileSync(uri.fsPath, 'utf8');
    assert.match(accepted, /display name/);
    assert.ok(
      accepted.startsWith('## ADDED Requirements\n### Requirement: Say farewell\n'),
      'the rest of the file is kept',
    );

    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original, 'Undo restores the text the model saw');
    await document.save();
  });

  it('Reject leaves the file byte-identical and forgets the proposal', async () => {
    server.enqueueReply(IMPROVED_REQUIREMENT);
    const outcome = await vscode.commands.executeCommand<Outcome>('openspecLoop.improveWithAi', {
      uri,
      requirement: 'Say farewell',
    });
    assert.ok(outcome.value?.proposalId, JSON.stringify(outcome));
    assert.equal(
      await vscode.commands.executeCommand('openspecLoop.rejectProposal', outcome.value?.proposalId),
      'rejected',
    );
    assert.equal(readFileSync(uri.fsPath, 'utf8'), original);
    assert.equal(
      await vscode.commands.executeCommand('openspecLoop.acceptProposal', outcome.value?.proposalId),
      'unknown',
      'a rejected proposal cannot be accepted later',
    );
  });

  it('refuses to Accept after the user typed in the file, and keeps what they typed', async () => {
    server.enqueueReply(IMPROVED_REQUIREMENT);
    const outcome = await vscode.commands.executeCommand<Outcome>('openspecLoop.improveWithAi', {
      uri,
      requirement: 'Say farewell',
    });
    assert.ok(outcome.value?.proposalId, JSON.stringify(outcome));
    const document = await vscode.workspace.openTextDocument(uri);
    const typing = new vscode.WorkspaceEdit();
    typing.insert(uri, document.positionAt(document.getText().length), '\nA note typed while the proposal waited.\n');
    assert.ok(await vscode.workspace.applyEdit(typing));
    const typed = document.getText();

    assert.equal(
      await vscode.commands.executeCommand('openspecLoop.acceptProposal', outcome.value?.proposalId),
      'stale',
    );
    assert.equal(document.getText(), typed, 'the editor keeps the typed text');
    assert.equal(readFileSync(uri.fsPath, 'utf8'), original, 'nothing was written to disk');
    await vscode.commands.executeCommand('openspecLoop.rejectProposal', outcome.value?.proposalId);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('keeps an edit saved in the proposed side with the proposal, and Accept writes the edited version', async () => {
    server.enqueueReply(IMPROVED_REQUIREMENT);
    const outcome = await vscode.commands.executeCommand<Outcome>('openspecLoop.improveWithAi', {
      uri,
      requirement: 'Say farewell',
    });
    const id = outcome.value?.proposalId;
    assert.ok(id, JSON.stringify(outcome));
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
    const proposed = await vscode.workspace.openTextDocument(tab.input.modified);
    const edit = new vscode.WorkspaceEdit();
    const at = proposed.getText().indexOf('"Goodbye, Ada"');
    assert.ok(at > 0, proposed.getText());
    edit.replace(
      proposed.uri,
      new vscode.Range(proposed.positionAt(at), proposed.positionAt(at + '"Goodbye, Ada"'.length)),
      '"Goodbye, Ada. See you soon."',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await proposed.save(), 'the proposal document saves');
    const edited = proposed.getText();
    assert.equal(readFileSync(uri.fsPath, 'utf8'), original, 'saving the proposal writes nothing to the spec');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('openspecLoop.showProposal', id);
    const reopened = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(reopened instanceof vscode.TabInputTextDiff);
    assert.equal(
      (await vscode.workspace.openTextDocument(reopened.modified)).getText(),
      edited,
      'the saved edit comes back with the diff',
    );

    assert.equal(await vscode.commands.executeCommand('openspecLoop.acceptProposal', id), 'accepted');
    assert.equal(readFileSync(uri.fsPath, 'utf8'), edited);
  });

  it('learns a line the user keeps restoring in proposals, and the next review prompt carries the lesson', async () => {
    const kept = '- **THEN** the service shows "Goodbye, Ada"';
    const vague = '- **THEN** a farewell is shown';
    for (let round = 1; round <= 2; round++) {
      server.enqueueReply(
        JSON.stringify({ summary: 'Shortens the outcome.', document: original.replace(kept, vague) }),
      );
      const outcome = await vscode.commands.executeCommand<Outcome>('openspecLoop.improveWithAi', {
        uri,
        findings: [{ message: 'The outcome names a user.', category: 'scope' }],
      });
      const id = outcome.value?.proposalId;
      assert.ok(id, JSON.stringify(outcome));
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
      const proposed = await vscode.workspace.openTextDocument(tab.input.modified);
      const at = proposed.getText().indexOf(vague);
      const restore = new vscode.WorkspaceEdit();
      restore.replace(
        proposed.uri,
        new vscode.Range(proposed.positionAt(at), proposed.positionAt(at + vague.length)),
        kept,
      );
      assert.ok(await vscode.workspace.applyEdit(restore));
      assert.equal(await vscode.commands.executeCommand('openspecLoop.acceptProposal', id), 'accepted');
      assert.equal(
        readFileSync(uri.fsPath, 'utf8'),
        original,
        `round ${round}: the user's version is the file as it was`,
      );
    }

    const lesson = await waitFor(
      () =>
        api.models.folders[0] &&
        api.lessons(api.models.folders[0]).find((text) => text.startsWith(`Keep lines like "${kept}"`)),
      'the lesson about the restored line',
      5_000,
    );
    assert.match(lesson, /restored this line after 2 proposals removed it/);
    server.enqueueReply(FINDINGS);
    await vscode.commands.executeCommand('openspecLoop.reviewWithAi', 'add-farewell');
    const system = server.requests.at(-1)?.messages.find((message) => message.role === 'system');
    assert.ok(String(system?.content).includes(lesson), 'the next review is told to keep the line');
  });

  it('reports LM Studio down as unreachable, and the same request succeeds once it is back', async () => {
    await server.close();
    const down = await vscode.commands.executeCommand<Outcome>('openspecLoop.reviewWithAi', 'add-farewell');
    assert.deepEqual({ ok: down.ok, reason: down.reason }, { ok: false, reason: 'unreachable' });
    await server.restart();
    server.enqueueReply(FINDINGS);
    const back = await vscode.commands.executeCommand<Outcome>('openspecLoop.reviewWithAi', 'add-farewell');
    assert.equal(back.ok, true, JSON.stringify(back));
  });
});
