import * as assert from 'node:assert/strict';
import { damagingImprove } from '../lmstudio/damagingReplies';
import { useAiWorkbench } from './workbenchSuite';
import {
  SELECTORS,
  codeLensAbove,
  editorTitleAction,
  openFile,
  readWorkspaceFile,
  waitForEditorLine,
  waitForFileToContain,
} from './workbenchActions';

const PROPOSAL = 'openspec/changes/add-note-tags/proposal.md';
/** What the impact check says of a one-line rewrite of the sample's proposal.md. */
const IMPACT = 'removes 4 sections and 2 capabilities; keeps 0% of the text (18 → 1 lines)';

/**
 * A model that answers Improve on proposal.md with a one-line document: the impact shows in the diff's title
 * and on the proposed side, and Accept asks before writing anything.
 */
describe('the impact check in the workbench (LM Studio stand-in)', function () {
  this.timeout(120_000);
  const current = useAiWorkbench();

  it('shows what a gutting proposal removes in the diff title, and Accept asks once before writing', async () => {
    const { workbench: wb, server: lm } = current();
    const { page } = wb;
    const original = readWorkspaceFile(wb.workspace, PROPOSAL);
    lm.setReplyHandler(damagingImprove('wipe'));

    await openFile(page, PROPOSAL);
    await waitForEditorLine(page, '## Why');
    await (await codeLensAbove(page, '## Why', 'Improve with AI')).click();
    const title = page.locator(`${SELECTORS.activeTab} .label-name`, { hasText: 'proposal.md: current ↔ proposed ⚠' });
    await title.waitFor({ timeout: 30_000 });
    assert.match(await title.innerText(), new RegExp(IMPACT.replace(/[()]/g, '\\$&')));
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: '1 proposal pending' })
      .waitFor({ timeout: 10_000 });
    await wb.screenshot('impact-proposal-diff');

    // The first Accept asks, naming the impact; cancelling writes nothing and keeps the proposal.
    await editorTitleAction(page, 'Accept AI Proposal').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    assert.match(await dialog.innerText(), new RegExp(`Accept the proposal for ${PROPOSAL}\\? It removes 4 sections`));
    await wb.screenshot('impact-accept-dialog');
    assert.equal(readWorkspaceFile(wb.workspace, PROPOSAL), original, 'nothing is written while the question is open');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: '1 proposal pending' })
      .waitFor({ timeout: 10_000 });
    assert.equal(readWorkspaceFile(wb.workspace, PROPOSAL), original, 'a declined Accept writes nothing');

    // Asked again, "Accept Anyway" writes the proposal as it stands.
    await editorTitleAction(page, 'Accept AI Proposal').click();
    await dialog.waitFor({ timeout: 10_000 });
    await dialog.locator('.monaco-button', { hasText: 'Accept Anyway' }).click();
    await waitForFileToContain(wb.workspace, PROPOSAL, 'Improved.');
    assert.equal(readWorkspaceFile(wb.workspace, PROPOSAL), 'Improved.\n');
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: 'proposal pending' })
      .waitFor({ state: 'detached', timeout: 10_000 });
  });
});
