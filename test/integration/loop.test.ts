import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { LoopReport } from '../../src/core/loop/loopTypes';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import { ExplorerTreeProvider } from '../../src/extension/explorer/explorerTreeProvider';
import { findInterruptedRuns } from '../../src/extension/loop/resumeOffer';
import { RunJournals } from '../../src/node/runJournals';
import { silentLogger } from '../../src/core/logger';
import { LmStudioStandIn, type RecordedChatRequest } from '../lmstudio/standIn';
import { waitFor } from '../harness/poll';
import { findNode } from './findNode';
import { pointAtStandIn, type PointedStandIn } from './lmStudioSettings';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
const DELTA = 'openspec/changes/add-farewell/specs/greeting/spec.md';

const finding = {
  severity: 'error',
  category: 'untestable',
  file: DELTA,
  line: 3,
  requirement: 'Say farewell',
  message: '"by name" is not observable: say which name.',
  suggestion: null,
};

/** The proposals the Changes view lists under add-farewell. */
function pendingOf(api: OpenSpecLoopApi) {
  const [folder] = api.models.folders;
  return folder ? api.aiTree.proposals(folder, 'add-farewell') : [];
}

describe('improvement loop in the window', function () {
  this.timeout(60_000);
  let api: OpenSpecLoopApi;
  let standIn: PointedStandIn;
  let lmStudio: LmStudioStandIn;
  let uri: vscode.Uri;
  let original: string;
  /** What each review answers, in turn; a review past the list finds nothing. */
  const reviewAnswers: Array<readonly (typeof finding)[]> = [[finding]];

  before(async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    standIn = await pointAtStandIn();
    lmStudio = standIn.server;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    uri = vscode.Uri.joinPath(folder.uri, DELTA);
    original = readFileSync(uri.fsPath, 'utf8');
    // First review: one error; the improvement names the display name; second review: nothing left.
    lmStudio.setReplyHandler((request: RecordedChatRequest) => {
      if (request.response_format?.json_schema?.name === 'openspec_project_rules') {
        return JSON.stringify({
          summary: 'Adds the greeting rule.',
          rules: { specs: ['Name the display name in every greeting requirement.'] },
        });
      }
      if (request.response_format?.json_schema?.name === 'openspec_review') {
        return JSON.stringify({ findings: reviewAnswers.shift() ?? [] });
      }
      return JSON.stringify({
        summary: 'Names the display name.',
        document: original.replace('by name', "with the user's display name"),
      });
    });
  });

  after(async () => {
    await standIn.release();
    writeFileSync(uri.fsPath, original);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reviews, waits for Accept on its proposal, applies it, and stops when the review comes back clean', async () => {
    const running = vscode.commands.executeCommand<{ ok: boolean; value?: LoopReport }>(
      'openspecLoop.runLoop',
      'add-farewell',
    );
    const pending = await waitFor(() => pendingOf(api)[0], "the loop's proposal", 20_000);
    // As a user would: Accept once the diff is there (it must not open later over the editor Undo runs in).
    await waitFor(() => proposalDiff(pending.id), 'the proposal diff to open', 10_000);
    assert.equal(readFileSync(uri.fsPath, 'utf8'), original, 'nothing is written before Accept');
    assert.equal(await vscode.commands.executeCommand('openspecLoop.acceptProposal', pending.id), 'accepted');

    const outcome = await running;
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    const report = outcome.value;
    assert.ok(report);
    assert.equal(report.outcome, 'converged', report.message);
    assert.deepEqual(
      report.iterations.map((iteration) => iteration.findings.error),
      [1, 0],
    );
    assert.deepEqual(
      report.iterations[0]?.proposals.map((proposal) => `${proposal.decision} ${proposal.result}`),
      ['accepted applied'],
    );
    assert.match(readFileSync(uri.fsPath, 'utf8'), /display name/);

    const folderModel = api.models.folders[0];
    assert.ok(folderModel);
    assert.equal(api.aiTree.loop?.(folderModel, 'add-farewell')?.runId, report.runId, 'the explorer shows this run');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.doesNotMatch(document.getText(), /display name/, "the loop's edit is one undo step");
  });

  it('offers to resume a run cut off before its accepted edit was written, and would write it exactly once', async () => {
    const folderModel = api.models.folders[0];
    assert.ok(folderModel);
    const journals = new RunJournals(api.loop.journalsDir);
    const [finished] = await journals.list(folderModel.root);
    assert.ok(finished, 'the first run has its journal');
    const lines = [...finished.lines];
    const cut = lines.findIndex((line) => (JSON.parse(line) as { event: string }).event === 'applied');
    assert.ok(cut > 0);
    // The same run as a crash would have left it, in a journal folder of its own.
    const crashedJournals = new RunJournals(mkdtempSync(join(tmpdir(), 'loop-journals-')));
    const crashed = crashedJournals.pathFor(folderModel.root, 'add-farewell', finished.run.runId);
    mkdirSync(dirname(crashed), { recursive: true });
    writeFileSync(crashed, `${lines.slice(0, cut).join('\n')}\n`);
    const [interrupted, ...others] = await findInterruptedRuns(crashedJournals, api.models, silentLogger);
    assert.ok(interrupted, 'the cut-off run is offered');
    assert.deepEqual(others, []);
    assert.equal(interrupted.run.change, 'add-farewell');
    assert.deepEqual(
      interrupted.state.pending.map((pending) => pending.proposal.file),
      [DELTA],
      'the accepted edit is still to be written (the file holds its base text after Undo)',
    );
    assert.equal(interrupted.state.applied.length, 0);
    assert.deepEqual(await api.loop.interrupted(), [], 'a finished run is not offered');
  });

  it('journals every step, with the hashes of what it wrote, outside the repository, one file per run', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const folderModel = api.models.folders[0];
    assert.ok(folder && folderModel);
    assert.ok(!api.loop.journalsDir.startsWith(folder.uri.fsPath), api.loop.journalsDir);
    const [journal, ...more] = await new RunJournals(api.loop.journalsDir).list(folderModel.root);
    assert.ok(journal);
    assert.deepEqual(more, [], 'one run so far, one journal');
    assert.equal(basename(journal.path), `add-farewell-${journal.run.runId}.jsonl`);
    const entries = journal.lines.map(
      (line) => JSON.parse(line) as { event: string; run: string; appliedHash?: string },
    );
    assert.ok(entries.every((entry) => entry.run === journal.run.runId));
    const applied = entries.find((entry) => entry.event === 'applied');
    assert.match(applied?.appliedHash ?? '', /^[0-9a-f]{64}$/);
    assert.equal(entries.at(-1)?.event, 'finished');
  });

  it('takes a lesson the user writes into the next review, and drafts config.yaml rules from the lessons as a diff', async () => {
    const lesson = 'Name the display name in every greeting requirement.';
    await vscode.commands.executeCommand('openspecLoop.addLesson', lesson);
    const [model] = api.models.folders;
    assert.ok(model);
    assert.ok(api.lessons(model).includes(lesson));

    await vscode.commands.executeCommand('openspecLoop.reviewWithAi', 'add-farewell');
    const system = lmStudio.requests.at(-1)?.messages.find((message) => message.role === 'system');
    assert.ok(String(system?.content).includes(lesson), 'the review prompt carries the lesson');

    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const config = vscode.Uri.joinPath(folder.uri, 'openspec', 'config.yaml');
    const before = readFileSync(config.fsPath, 'utf8');
    const id = await vscode.commands.executeCommand<string>('openspecLoop.proposeProjectRules');
    assert.ok(id, 'a rules proposal is offered');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
    assert.equal(tab.input.original.fsPath, config.fsPath);
    const proposed = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.match(proposed.getText(), /Name the display name in every greeting requirement\./);
    assert.equal(readFileSync(config.fsPath, 'utf8'), before, 'nothing is written before Accept');
    await vscode.commands.executeCommand('openspecLoop.rejectProposal', id);
    assert.equal(readFileSync(config.fsPath, 'utf8'), before);
  });

  it('drafts a new config.yaml when the project has none: a diff from an empty file, and Accept creates it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const config = vscode.Uri.joinPath(folder.uri, 'openspec', 'config.yaml');
    const before = readFileSync(config.fsPath, 'utf8');
    rmSync(config.fsPath);
    try {
      const id = await vscode.commands.executeCommand<string>('openspecLoop.proposeProjectRules');
      assert.ok(id, 'a rules proposal is offered without a config.yaml');
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
      assert.equal(
        (await vscode.workspace.openTextDocument(tab.input.original)).getText(),
        '',
        'the left side is the empty new file',
      );
      const proposed = (await vscode.workspace.openTextDocument(tab.input.modified)).getText();
      assert.match(proposed, /Name the display name in every greeting requirement\./);
      assert.ok(!existsSync(config.fsPath), 'nothing is created before Accept');

      assert.equal(await vscode.commands.executeCommand('openspecLoop.acceptProposal', id), 'accepted');
      assert.equal(readFileSync(config.fsPath, 'utf8'), proposed);
    } finally {
      writeFileSync(config.fsPath, before);
    }
  });

  it('applies the proposal as the user edited it in the diff, and records it as accepted after editing', async () => {
    // The first test left the delta open with its Undo unsaved: both go back to the original text first.
    const delta = await vscode.workspace.openTextDocument(uri);
    const reset = new vscode.WorkspaceEdit();
    reset.replace(uri, new vscode.Range(delta.positionAt(0), delta.positionAt(delta.getText().length)), original);
    assert.ok(await vscode.workspace.applyEdit(reset));
    await delta.save();
    reviewAnswers.push([finding]);
    const running = vscode.commands.executeCommand<{ ok: boolean; value?: LoopReport }>(
      'openspecLoop.runLoop',
      'add-farewell',
    );
    const pending = await waitFor(() => pendingOf(api)[0], "the loop's proposal", 20_000);
    const diff = await waitFor(() => proposalDiff(pending.id), 'the proposal diff to open', 10_000);
    const proposed = await vscode.workspace.openTextDocument(diff.modified);
    const edit = new vscode.WorkspaceEdit();
    const at = proposed.getText().indexOf('display name');
    assert.ok(at > 0, proposed.getText());
    edit.replace(
      proposed.uri,
      new vscode.Range(proposed.positionAt(at), proposed.positionAt(at + 'display name'.length)),
      'full name',
    );
    assert.ok(await vscode.workspace.applyEdit(edit), 'the proposed side can be edited');
    const edited = proposed.getText();
    assert.equal(await vscode.commands.executeCommand('openspecLoop.acceptProposal', pending.id), 'accepted');

    const outcome = await running;
    assert.equal(outcome.value?.outcome, 'converged', JSON.stringify(outcome));
    assert.deepEqual(
      outcome.value?.iterations[0]?.proposals.map((proposal) => `${proposal.decision} ${proposal.result}`),
      ['acceptedEdited applied'],
    );
    assert.equal(readFileSync(uri.fsPath, 'utf8'), edited, "the user's version is what was written");
    const proposalTabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter(
        (tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'openspec-loop-proposal',
      );
    assert.deepEqual(
      proposalTabs.map((tab) => `${tab.label} dirty=${tab.isDirty}`),
      [],
      'the diff closed without asking to save',
    );
    writeFileSync(uri.fsPath, original);
  });

  it('shows the running loop under the change, step by step, and stops it from there with the file untouched', async () => {
    // The test before wrote the original text back to disk: the open document follows it.
    const delta = await vscode.workspace.openTextDocument(uri);
    await waitFor(
      () => (delta.getText() === original && !delta.isDirty) || undefined,
      'the delta spec back to its original text',
      10_000,
    );
    reviewAnswers.push([finding]);
    const running = vscode.commands.executeCommand<{ ok: boolean; value?: LoopReport }>(
      'openspecLoop.runLoop',
      'add-farewell',
    );
    await waitFor(() => pendingOf(api)[0], "the loop's proposal", 20_000);

    const provider = new ExplorerTreeProvider(api.models, 'changes', api.aiTree);
    try {
      const loopNode = await waitFor(
        async () => {
          const node = await findNode(provider, (candidate) => candidate.kind === 'loopRun');
          return node && provider.getTreeItem(node).contextValue === 'loopRunning' ? node : undefined;
        },
        'the running Loop node',
        10_000,
      );
      const item = provider.getTreeItem(loopNode);
      assert.equal(item.description, 'running · iteration 1: waiting for your decision on spec.md');

      assert.equal(await vscode.commands.executeCommand('openspecLoop.stopLoop', loopNode), true);
      const outcome = await running;
      assert.equal(outcome.value?.reason, 'cancelled', JSON.stringify(outcome));
      assert.equal(readFileSync(uri.fsPath, 'utf8'), original, 'stopping leaves the file as it was');
      assert.deepEqual(pendingOf(api), [], 'the waiting proposal is withdrawn');
      const ended = await findNode(provider, (candidate) => candidate.kind === 'loopRun');
      assert.ok(ended);
      assert.equal(provider.getTreeItem(ended).contextValue, 'loopRun');
      assert.match(String(provider.getTreeItem(ended).description), /^stopped after 1 iteration/);
    } finally {
      provider.dispose();
    }
  });
});

/** The open diff of the proposal `id`, if any. */
function proposalDiff(id: string): vscode.TabInputTextDiff | undefined {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .map((tab) => tab.input)
    .find(
      (input): input is vscode.TabInputTextDiff =>
        input instanceof vscode.TabInputTextDiff && input.modified.query === `id=${id}`,
    );
}
