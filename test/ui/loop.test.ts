import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestedFile } from '../lmstudio/damagingReplies';
import type { RecordedChatRequest } from '../lmstudio/standIn';
import { useAiWorkbench, waitForStandInSettings } from './workbenchSuite';
import {
  SELECTORS,
  codeLensAbove,
  diffSideText,
  editorTitleAction,
  expandTreeRow,
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
  runCommandAndPick,
  waitForRowDescription,
} from './workbenchActions';

const CHANGE = 'add-note-tags';
const PROPOSAL = `openspec/changes/${CHANGE}/proposal.md`;
const DESIGN = `openspec/changes/${CHANGE}/design.md`;
const VAGUE_SENTENCE = 'Support tickets about "lost notes" doubled last quarter.';
const MEASURED_SENTENCE = 'Support tickets about "lost notes" rose from 40 to 85 last quarter.';
const PROPOSED_RISK = '- Users with more than 500 tags: the tag picker pages its results, 50 tags a page.';

const findings = [
  {
    severity: 'error',
    category: 'ambiguity',
    file: PROPOSAL,
    line: 3,
    requirement: null,
    message: '"doubled" gives no numbers: say how many tickets, before and after.',
    suggestion: null,
  },
  {
    severity: 'error',
    category: 'ambiguity',
    file: DESIGN,
    line: 9,
    requirement: null,
    message: '"thousands of tags" and "pages" are not measurable: give the threshold and the page size.',
    suggestion: null,
  },
];

function isImproveOf(request: RecordedChatRequest, file: string): boolean {
  const task = [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  return task.includes(`Improve ${file}.`);
}

describe('Run Improvement Loop in the workbench (LM Studio stand-in)', function () {
  this.timeout(180_000);
  const ai = useAiWorkbench();
  let originalProposal = '';
  let originalDesign = '';
  const kinds: string[] = [];
  /** How many reviews the model answered: the first gets the findings, the later ones none. */
  let reviews = 0;

  before(() => {
    const { workbench, server } = ai();
    originalProposal = readWorkspaceFile(workbench.workspace, PROPOSAL);
    originalDesign = readWorkspaceFile(workbench.workspace, DESIGN);
    assert.ok(originalProposal.includes(VAGUE_SENTENCE), 'the sample proposal has the sentence the model rewrites');
    // Review 1: one error in proposal.md and one in design.md; each improve rewrites its own file;
    // review 2: nothing left.
    server.setReplyHandler((request) => {
      const schema = request.response_format?.json_schema?.name;
      if (schema === 'openspec_review') {
        reviews++;
        kinds.push(`review ${reviews}`);
        return JSON.stringify({ findings: reviews === 1 ? findings : [] });
      }
      if (schema === 'openspec_improvement' && isImproveOf(request, PROPOSAL)) {
        kinds.push('improve proposal.md');
        return JSON.stringify({
          summary: 'Gives the ticket numbers.',
          document: originalProposal.replace(VAGUE_SENTENCE, MEASURED_SENTENCE),
        });
      }
      if (schema === 'openspec_improvement' && isImproveOf(request, DESIGN)) {
        kinds.push('improve design.md');
        return JSON.stringify({
          summary: 'Bounds the tag picker.',
          document: originalDesign.replace(
            '- Users with thousands of tags: the tag picker pages its results.',
            PROPOSED_RISK,
          ),
        });
      }
      kinds.push(`unexpected ${schema ?? 'plain'}`);
      return JSON.stringify({ findings: [] });
    });
  });

  const current = () => ai().workbench;

  /** Waits for the proposal diff titled after `file` to be the active editor, with its diff computed. */
  const waitForProposalDiff = async (file: string): Promise<void> => {
    const { page } = current();
    await page
      .locator(`${SELECTORS.activeTab} .label-name`, { hasText: `${file}: current ↔ proposed` })
      .waitFor({ timeout: 30_000 });
    const diff = page.locator(`${SELECTORS.activeEditorGroup} ${SELECTORS.diffEditor}`);
    await diff.waitFor({ state: 'visible', timeout: 10_000 });
    await diff.locator('.char-insert').first().waitFor({ timeout: 10_000 });
  };

  const waitForDiffToClose = async (file: string): Promise<void> => {
    await current()
      .page.locator('.part.editor .tab', { hasText: `${file}: current ↔ proposed` })
      .waitFor({ state: 'detached', timeout: 10_000 });
  };

  it('runs from the CodeLens on proposal.md: Accept writes the first proposal, Reject keeps the second file, the next review converges', async () => {
    const wb = current();
    const { page } = wb;
    await wb.runCommand('OpenSpec: Focus on Changes View');
    const changes = viewPane(page, 'Changes');
    await expandTreeRow(treeRow(changes, CHANGE));
    await treeRow(changes, 'Proposal').locator('.label-name').click();
    await page
      .locator(`${SELECTORS.activeTab} .label-name`, { hasText: /^proposal\.md$/ })
      .waitFor({ timeout: 15_000 });
    await waitForEditorLine(page, '## Why');
    const decisionsBefore = recordedDecisions(wb.server.userDataDir).length;
    await (await codeLensAbove(page, '## Why', 'Run Improvement Loop')).click();

    // First proposal: proposal.md, accepted from the diff's editor title.
    await waitForProposalDiff('proposal.md');
    assert.ok((await diffSideText(page, 'modified')).includes(MEASURED_SENTENCE));
    assert.equal(readWorkspaceFile(wb.workspace, PROPOSAL), originalProposal, 'nothing is written before Accept');
    // The run shows as a progress notification, cancellable, while it waits for the decision.
    const progress = notificationToast(
      page,
      `Improvement loop on ${CHANGE}: iteration 1: waiting for your decision on ${PROPOSAL}`,
    ).filter({
      has: page.locator('.monaco-progress-container.active'),
    });
    await progress.waitFor({ timeout: 10_000 });
    await notificationButton(progress, 'Cancel').waitFor({ timeout: 10_000 });
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: '1 proposal pending' })
      .waitFor({ timeout: 10_000 });
    // The Loop node under the change follows the run, with a Stop button.
    const runningLoop = treeRow(changes, 'Loop');
    await waitForRowDescription(runningLoop, 'running · iteration 1: waiting for your decision on proposal.md');
    await runningLoop.hover();
    await runningLoop.locator('.action-label[aria-label="Stop Improvement Loop"]').waitFor({ timeout: 10_000 });
    await parkMouse(page);
    await editorTitleAction(page, 'Accept AI Proposal').click();
    await waitForFileToContain(wb.workspace, PROPOSAL, MEASURED_SENTENCE);

    // Second proposal: design.md, rejected from the diff.
    await waitForProposalDiff('design.md');
    assert.ok((await diffSideText(page, 'modified')).includes('more than 500 tags'));
    await editorTitleAction(page, 'Reject AI Proposal').click();
    await waitForDiffToClose('design.md');

    const done = notificationToast(page, `Improvement loop on ${CHANGE}: Converged after 2 iterations`);
    await done.waitFor({ timeout: 30_000 });
    assert.equal(await done.locator('.codicon-info').count(), 1, 'convergence is an information message');
    assert.deepEqual(kinds, ['review 1', 'improve proposal.md', 'improve design.md', 'review 2']);

    assert.equal(
      readWorkspaceFile(wb.workspace, PROPOSAL),
      originalProposal.replace(VAGUE_SENTENCE, MEASURED_SENTENCE),
      'the accepted text, nothing else',
    );
    // The loop has converged and both decisions are recorded: any write the rejection made has landed by now.
    assert.deepEqual(await waitForRecordedDecisions(wb.server.userDataDir, decisionsBefore, 2), [
      { file: PROPOSAL, decision: 'accepted' },
      { file: DESIGN, decision: 'rejected' },
    ]);
    assert.equal(readWorkspaceFile(wb.workspace, DESIGN), originalDesign, 'the rejected file is untouched');
  });

  it('shows the run under the change: "Loop" converged after 2 iterations, iteration 1 with 1 accepted and 1 rejected', async () => {
    const wb = current();
    const { page } = wb;
    await wb.runCommand('OpenSpec: Focus on Changes View');
    const changes = viewPane(page, 'Changes');
    const loop = treeRow(changes, 'Loop');
    await waitForRowDescription(loop, 'converged after 2 iterations');
    await expandTreeRow(loop);
    await waitForRowDescription(
      treeRow(changes, 'Iteration 1'),
      '2 errors, 0 warnings; validation passes · 1 accepted, 1 rejected',
    );
    await waitForRowDescription(treeRow(changes, 'Iteration 2'), '0 errors, 0 warnings; validation passes');
    await parkMouse(page);
    console.log(`    screenshot: ${await wb.screenshot('loop-history')}`);
  });

  it('offers to resume after a window reload mid-loop: the accepted edit is not asked for or written again, the waiting proposal comes back', async () => {
    const wb = current();
    const { page } = wb;
    writeFileSync(join(wb.workspace, PROPOSAL), originalProposal);
    await waitForEditorText(page, VAGUE_SENTENCE);
    reviews = 0;
    kinds.length = 0;
    await (await codeLensAbove(page, '## Why', 'Run Improvement Loop')).click();
    await waitForProposalDiff('proposal.md');
    await editorTitleAction(page, 'Accept AI Proposal').click();
    await waitForFileToContain(wb.workspace, PROPOSAL, MEASURED_SENTENCE);
    await waitForProposalDiff('design.md');
    const accepted = readWorkspaceFile(wb.workspace, PROPOSAL);

    // The window goes away while the loop waits for the decision on design.md.
    await wb.runCommand('Developer: Reload Window');
    const offer = notificationToast(
      page,
      `The improvement loop on ${CHANGE} in sample-project was interrupted in iteration 1 (`,
    );
    await offer.waitFor({ timeout: 60_000 });
    // Resume only once the reloaded extension host has the settings naming the stand-in; the pointer on the
    // notification keeps it from hiding meanwhile.
    await offer.hover();
    await waitForStandInSettings(wb, ai().server);
    assert.match(
      await offer.innerText(),
      /1 accepted edit\(s\) are already in the files and will not be applied again\./,
    );
    await notificationButton(offer, 'Resume').click();

    await waitForProposalDiff('design.md');
    const changes = viewPane(page, 'Changes');
    await expandTreeRow(treeRow(changes, CHANGE));
    await waitForRowDescription(treeRow(changes, 'Proposals'), '1 pending');
    await editorTitleAction(page, 'Accept AI Proposal').click();
    await waitForFileToContain(wb.workspace, DESIGN, PROPOSED_RISK);
    await notificationToast(page, `Improvement loop on ${CHANGE}: Converged after 2 iterations`).waitFor({
      timeout: 30_000,
    });

    assert.deepEqual(
      kinds,
      ['review 1', 'improve proposal.md', 'improve design.md', 'review 2'],
      'the resumed run asked the model nothing it had already answered',
    );
    assert.equal(readWorkspaceFile(wb.workspace, PROPOSAL), accepted, 'the edit accepted before the reload, as it was');
    assert.equal(
      readWorkspaceFile(wb.workspace, DESIGN),
      originalDesign.replace('- Users with thousands of tags: the tag picker pages its results.', PROPOSED_RISK),
    );
  });

  it('after a reload with two runs waiting, offers both in one notification, and Resume… brings back the runs picked', async () => {
    const wb = current();
    const { page } = wb;
    const OTHER = 'expire-shared-links';
    const proposalOf = (change: string) => `openspec/changes/${change}/proposal.md`;
    const ADDED = '\nThe support desk counts these tickets every month.\n';
    // Each review finds one error in its own change's proposal.md; each improvement appends a sentence to the file
    // it is asked about (expire-shared-links fails validation, so its delta spec is asked about too).
    const decisionsAtStart = recordedDecisions(wb.server.userDataDir).length;
    ai().server.setReplyHandler((request) => {
      const text = request.messages.map((message) => String(message.content)).join('\n');
      const change = [OTHER, CHANGE].find((candidate) => text.includes(`openspec/changes/${candidate}/`)) ?? CHANGE;
      if (request.response_format?.json_schema?.name === 'openspec_review') {
        return JSON.stringify({ findings: [{ ...findings[0], file: proposalOf(change), line: 1 }] });
      }
      const asked = requestedFile(request) || proposalOf(change);
      return JSON.stringify({
        summary: 'Says who counts the tickets.',
        document: readWorkspaceFile(wb.workspace, asked) + ADDED,
      });
    });
    await runCommandAndPick(page, 'OpenSpec: Run Improvement Loop', 'Which change?', CHANGE);
    // The diff takes the focus when it opens: the palette is opened again only after that.
    await page
      .locator(`${SELECTORS.activeTab} .label-name`, { hasText: 'proposal.md: current ↔ proposed' })
      .waitFor({ timeout: 30_000 });
    await runCommandAndPick(page, 'OpenSpec: Run Improvement Loop', 'Which change?', OTHER);
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: '2 proposals pending' })
      .waitFor({ timeout: 30_000 });

    await wb.runCommand('Developer: Reload Window');
    const offer = notificationToast(page, '2 improvement loops were interrupted:');
    await offer.waitFor({ timeout: 60_000 });
    const text = await offer.innerText();
    assert.ok(text.includes(`${CHANGE} in sample-project (iteration 1, `), text);
    assert.ok(text.includes(`${OTHER} in sample-project (iteration 1, `), text);
    assert.equal(await notificationToast(page, 'interrupted').count(), 1, 'one notification for both runs');
    await offer.hover();
    await waitForStandInSettings(wb, ai().server);
    await notificationButton(offer, 'Resume…').click();

    const picker = page.locator(SELECTORS.quickInput);
    await picker
      .locator('.quick-input-title', { hasText: 'Resume which interrupted improvement loops?' })
      .waitFor({ timeout: 15_000 });
    for (const change of [CHANGE, OTHER])
      await page
        .locator(SELECTORS.quickInputRow, { has: page.locator('.label-name', { hasText: new RegExp(`^${change}$`) }) })
        .waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'hidden', timeout: 10_000 });

    for (const change of [CHANGE, OTHER])
      await notificationToast(
        page,
        `Improvement loop on ${change} (resumed): iteration 1: waiting for your decision on openspec/changes/${change}/`,
      ).waitFor({ timeout: 30_000 });
    assert.equal(
      recordedDecisions(wb.server.userDataDir).length,
      decisionsAtStart,
      'no decision was taken for the user',
    );
  });
});
