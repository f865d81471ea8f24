import * as assert from 'node:assert/strict';
import { waitFor } from '../harness/poll';
import { defaultStandInModel } from '../lmstudio/standIn';
import { lmStudioStatusItem, useAiWorkbench } from './workbenchSuite';
import {
  SELECTORS,
  codeLensAbove,
  diffSideText,
  editorTitleAction,
  expandTreeRow,
  focusActiveEditor,
  notificationButton,
  notificationToast,
  parkMouse,
  readWorkspaceFile,
  recordedDecisions,
  treeRow,
  viewPane,
  waitForEditorLine,
  waitForEditorText,
  waitForFileToContain,
  waitForRecordedDecisions,
  openFile,
} from './workbenchActions';

const DELTA = 'openspec/changes/add-note-tags/specs/notes/spec.md';
const REQUIREMENT_HEADER = '### Requirement: Create a note';
const CURRENT_SENTENCE =
  'The system SHALL let a signed-in user create a note with a title, a Markdown body and optional tags.';
const PROPOSED_SENTENCE =
  'The system SHALL let a signed-in user create a note with a title, a Markdown body and at most ten optional tags.';
/** What the user types at the end of the proposal before accepting it. */
const USER_ADDITION = 'Tags are compared without regard to case.';
const DIFF_TITLE = 'spec.md (Create a note): current ↔ proposed';

/** What the model answers for "Create a note": the same scenarios, one sentence changed. */
const MODEL_REPLY = JSON.stringify({
  summary: 'Bounds how many tags one note may carry, so the limit is testable.',
  requirement: [
    REQUIREMENT_HEADER,
    PROPOSED_SENTENCE,
    '',
    '#### Scenario: Note created',
    '- **WHEN** a signed-in user submits a title, a body and the tag "work"',
    '- **THEN** the note is saved with its tag and appears first in their list',
    '',
    '#### Scenario: Title missing',
    '- **WHEN** a user submits a note without a title',
    '- **THEN** the system rejects it and says that a title is required',
  ].join('\n'),
});

describe('AI proposals in the workbench (LM Studio stand-in)', function () {
  this.timeout(120_000);
  const current = useAiWorkbench();
  let original = '';

  before(() => {
    original = readWorkspaceFile(current().workbench.workspace, DELTA);
  });

  /** Clicks "Improve with AI" above the requirement of the delta in the active editor. */
  const improveRequirement = async (): Promise<void> => {
    const { page } = current().workbench;
    await openFile(page, DELTA);
    await waitForEditorLine(page, REQUIREMENT_HEADER);
    await (await codeLensAbove(page, REQUIREMENT_HEADER, 'Improve with AI')).click();
  };

  /** Waits for the proposal diff to be the active editor with the diff computed; returns it. */
  const waitForProposalDiff = async () => {
    const { page } = current().workbench;
    await page.locator(`${SELECTORS.activeTab} .label-name`, { hasText: DIFF_TITLE }).waitFor({ timeout: 20_000 });
    const diff = page.locator(`${SELECTORS.activeEditorGroup} ${SELECTORS.diffEditor}`);
    await diff.waitFor({ state: 'visible', timeout: 10_000 });
    await diff.locator('.char-insert').first().waitFor({ timeout: 10_000 });
    return diff;
  };

  const waitForDiffToClose = async (): Promise<void> => {
    const { page } = current().workbench;
    await page.locator('.part.editor .tab', { hasText: DIFF_TITLE }).waitFor({ state: 'detached', timeout: 10_000 });
  };

  const clearNotifications = async (): Promise<void> => {
    await current().workbench.runCommand('Notifications: Clear All Notifications');
  };

  it('shows a plain "LM Studio" entry that asks nothing until it is used, then the loaded model', async () => {
    const { workbench, server } = current();
    const { page } = workbench;
    // The suite starts once this entry names the stand-in's address: the extension has the settings pointing at it.
    const idle = lmStudioStatusItem(workbench, server);
    assert.equal((await idle.innerText()).trim(), 'LM Studio');
    assert.deepEqual(server.received, [], 'LM Studio was asked something before any AI use');

    // Picking a model from the entry is the first use: the models come from LM Studio, and the entry follows it.
    await idle.click();
    await page.locator(SELECTORS.quickInputRow, { hasText: defaultStandInModel.id }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    const item = page.locator('.part.statusbar .statusbar-item', { hasText: defaultStandInModel.id });
    await item.waitFor({ timeout: 20_000 });
    assert.equal((await item.innerText()).trim(), defaultStandInModel.id);
    assert.equal(await item.locator('.codicon-hubot').count(), 1, 'the model is shown with the hubot icon');
  });

  it('proposes a requirement as a diff from the "Improve with AI" CodeLens; the user edits it, Accept writes their version, Ctrl+Z takes it back', async () => {
    const { workbench: wb, server: lm } = current();
    const { page } = wb;
    await wb.runCommand('OpenSpec: Focus on Changes View');
    const changes = viewPane(page, 'Changes');
    await expandTreeRow(treeRow(changes, 'add-note-tags'));
    await treeRow(changes, 'notes').locator('.label-name').click();
    await waitForEditorText(page, CURRENT_SENTENCE);

    const before = lm.requests.length;
    lm.enqueueReply(MODEL_REPLY);
    await improveRequirement();
    const diff = await waitForProposalDiff();
    assert.equal(lm.requests.length, before + 1, 'one chat request');
    assert.ok((await diffSideText(page, 'original')).includes(CURRENT_SENTENCE));
    const proposed = await diffSideText(page, 'modified');
    assert.ok(proposed.includes(PROPOSED_SENTENCE), proposed);
    assert.ok(!proposed.includes(CURRENT_SENTENCE), proposed);
    assert.ok(proposed.includes('#### Scenario: Title missing'), 'the scenarios are kept');
    assert.equal(readWorkspaceFile(wb.workspace, DELTA), original);

    const accept = editorTitleAction(page, 'Accept AI Proposal');
    const reject = editorTitleAction(page, 'Reject AI Proposal');
    await accept.waitFor({ timeout: 10_000 });
    await reject.waitFor({ timeout: 10_000 });
    assert.match((await accept.getAttribute('class')) ?? '', /\bcodicon-check(\s|$)/, 'Accept has the check icon');
    assert.match((await reject.getAttribute('class')) ?? '', /\bcodicon-close(\s|$)/, 'Reject has the close icon');
    // The diff is where it is decided; the status bar counts what waits.
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: '1 proposal pending' })
      .waitFor({ timeout: 10_000 });
    await parkMouse(page);
    console.log(`    screenshot: ${await wb.screenshot('ai-proposal-diff')}`);

    // The proposed side can be edited before accepting, and Accept writes what the user made of it.
    // Markdown wraps long lines: click the piece that holds the new words.
    await diff.locator('.modified-in-monaco-diff-editor .view-line', { hasText: 'at most ten' }).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(USER_ADDITION);
    await waitFor(
      async () => (await diffSideText(page, 'modified')).includes(USER_ADDITION),
      'the typed sentence in the proposed side',
      15_000,
    );
    assert.equal(readWorkspaceFile(wb.workspace, DELTA), original, 'typing in the proposal writes nothing to the spec');

    await accept.click();
    await waitForFileToContain(wb.workspace, DELTA, USER_ADDITION);
    await waitForDiffToClose();
    const accepted = readWorkspaceFile(wb.workspace, DELTA);
    assert.equal(
      accepted,
      original.replace(CURRENT_SENTENCE, PROPOSED_SENTENCE) + USER_ADDITION,
      'the proposal as the user edited it',
    );
    await clearNotifications();

    // Accept was one edit of the file's document: one undo in its editor restores the old sentence.
    await page.locator(`${SELECTORS.activeTab} .label-name`, { hasText: /^spec\.md$/ }).waitFor({ timeout: 10_000 });
    await waitForEditorText(page, USER_ADDITION);
    await focusActiveEditor(page);
    await page.keyboard.press('Control+Z');
    await waitForEditorText(page, CURRENT_SENTENCE);
    await page.keyboard.press('Control+S');
    await waitFor(
      () => readWorkspaceFile(wb.workspace, DELTA) === original,
      `${DELTA} saved back to its original text`,
      15_000,
    );
  });

  it('writes nothing when the proposal is rejected from the diff', async () => {
    const { workbench: wb, server: lm } = current();
    const { page } = wb;
    const before = readWorkspaceFile(wb.workspace, DELTA);
    const decisionsBefore = recordedDecisions(wb.server.userDataDir).length;
    lm.enqueueReply(MODEL_REPLY);
    await improveRequirement();
    await waitForProposalDiff();
    await editorTitleAction(page, 'Reject AI Proposal').click();

    await waitForDiffToClose();
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: 'proposal pending' })
      .waitFor({ state: 'detached', timeout: 10_000 });
    // Reject ends by recording the decision and closing the diff: once both happened, any write it made has landed.
    assert.deepEqual(await waitForRecordedDecisions(wb.server.userDataDir, decisionsBefore, 1), [
      { file: DELTA, decision: 'rejected' },
    ]);
    assert.equal(readWorkspaceFile(wb.workspace, DELTA), before);
    await waitForEditorText(page, CURRENT_SENTENCE);
  });

  it('shows one "Cannot reach LM Studio" error with Retry when the server is down; Retry after restart opens the diff', async () => {
    const { workbench: wb, server: lm } = current();
    const { page } = wb;
    await clearNotifications();
    // Online and idle at first, so "LM Studio offline" below is drawn by this run's failure.
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: defaultStandInModel.id })
      .locator('.codicon-hubot')
      .waitFor({ timeout: 10_000 });
    await lm.close();
    await improveRequirement();

    const errorToast = notificationToast(page, 'Cannot reach LM Studio');
    await errorToast.waitFor({ timeout: 20_000 });
    const message = (await errorToast.locator('.notification-list-item-message').innerText()).trim();
    assert.ok(
      message.startsWith(`Improving ${DELTA} (Create a note) with AI: Cannot reach LM Studio at ${lm.baseUrl}.`),
      message,
    );
    const buttons = (
      await errorToast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts()
    ).map((text) => text.trim());
    assert.deepEqual(buttons, ['Retry', 'Open Settings', 'Show Log']);
    assert.equal(await errorToast.locator('.codicon-error').count(), 1, 'an error, not a warning or info');
    // One failure, one notification. The status bar shows a spinner while the request runs and "offline" only
    // once the run has ended, after its failure was notified: count the notifications then.
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: 'LM Studio offline' })
      .waitFor({ timeout: 10_000 });
    assert.equal(await errorToast.count(), 1);
    // The run's progress ("connecting to LM Studio…", with Cancel) goes away: only the error stays.
    await notificationToast(page, 'connecting to LM Studio').waitFor({ state: 'detached', timeout: 10_000 });
    await parkMouse(page);
    console.log(`    screenshot: ${await wb.screenshot('ai-unreachable')}`);

    await lm.restart();
    lm.enqueueReply(MODEL_REPLY);
    const requestsBefore = lm.requests.length;
    await notificationButton(errorToast, 'Retry').click();
    await waitFor(
      () => lm.requests.length === requestsBefore + 1,
      'Retry to send the request to LM Studio again',
      // Retry connects afresh (the model list, then the request): on a busy machine that has taken over 15 s.
      30_000,
    );
    await waitForProposalDiff().catch((error: unknown) => {
      throw new Error(`Retry sent the request and LM Studio answered, but no proposal diff opened: ${String(error)}`);
    });
    assert.ok((await diffSideText(page, 'modified')).includes(PROPOSED_SENTENCE));
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: defaultStandInModel.id })
      .waitFor({ timeout: 10_000 });

    // Leave nothing pending: Reject from the editor title writes nothing either.
    const decisionsBefore = recordedDecisions(wb.server.userDataDir).length;
    await editorTitleAction(page, 'Reject AI Proposal').click();
    await waitForDiffToClose();
    assert.deepEqual(await waitForRecordedDecisions(wb.server.userDataDir, decisionsBefore, 1), [
      { file: DELTA, decision: 'rejected' },
    ]);
    assert.equal(readWorkspaceFile(wb.workspace, DELTA), original);
  });
});
