import * as assert from 'node:assert/strict';
import {
  SELECTORS,
  codeLensAbove,
  diffSideText,
  expandTreeRow,
  parkMouse,
  runCommandAndPick,
  treeRow,
  viewPane,
  waitForEditorLine,
} from './workbenchActions';
import { useWorkbench } from './workbenchSuite';

/** What the sample's main notes spec says, and what add-note-tags' MODIFIED delta makes of it. */
const CURRENT_BODY = 'The system SHALL let a signed-in user create a note with a title and a Markdown body.';
const PROPOSED_BODY =
  'The system SHALL let a signed-in user create a note with a title, a Markdown body and optional tags.';

describe('Compare in the workbench', function () {
  this.timeout(120_000);
  const current = useWorkbench('examples/sample-project');

  it('opens a requirement diff from the "Compare with current spec" CodeLens of a delta', async () => {
    const workbench = current();
    const { page } = workbench;
    await workbench.runCommand('OpenSpec: Focus on Changes View');
    const changes = viewPane(page, 'Changes');
    await expandTreeRow(treeRow(changes, 'add-note-tags'));
    await treeRow(changes, 'notes').locator('.label-name').click();
    await waitForEditorLine(page, '### Requirement: Create a note');

    const lens = await codeLensAbove(page, '### Requirement: Create a note', 'Compare with current spec', 15_000);
    await lens.click();

    const title = 'notes: Create a note (current ↔ MODIFIED in add-note-tags)';
    await page.locator(`${SELECTORS.activeTab} .label-name`, { hasText: title }).waitFor({ timeout: 10_000 });
    const diff = page.locator(`${SELECTORS.activeEditorGroup} ${SELECTORS.diffEditor}`);
    await diff.waitFor({ state: 'visible', timeout: 10_000 });
    // The diff computes after the editor shows: wait for its highlights.
    await diff.locator('.char-insert').first().waitFor({ timeout: 10_000 });
    await diff.locator('.char-delete').first().waitFor({ timeout: 10_000 });
    const [before, after] = [await diffSideText(page, 'original'), await diffSideText(page, 'modified')];
    assert.ok(before.startsWith('### Requirement: Create a note'), before);
    assert.ok(before.includes(CURRENT_BODY), before);
    assert.ok(after.includes(PROPOSED_BODY), after);
    assert.ok(after.includes('the tag "work"'), after);
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('compare-requirement')}`);
  });

  it('opens a multi-file diff of every spec the change touches from "OpenSpec: Compare Change with Specs"', async () => {
    const workbench = current();
    const { page } = workbench;
    await runCommandAndPick(page, 'OpenSpec: Compare Change with Specs', 'Which change?', 'add-note-tags');

    await page
      .locator(`${SELECTORS.activeTab} .label-name`, { hasText: 'add-note-tags: specs now ↔ after archive (2 files)' })
      .waitFor({ timeout: 10_000 });
    const multiDiff = page.locator(`${SELECTORS.activeEditorGroup} ${SELECTORS.multiDiffEditor}`);
    await multiDiff.waitFor({ state: 'visible', timeout: 10_000 });
    const entries = multiDiff.locator(SELECTORS.multiDiffEntry);
    const notes = entries.filter({ has: page.locator('.header .title.modified', { hasText: 'specs/notes' }) });
    const tags = entries.filter({ has: page.locator('.header .title.modified', { hasText: 'specs/tags' }) });
    await notes.waitFor({ timeout: 10_000 });
    await tags.waitFor({ timeout: 10_000 });
    assert.equal(await entries.count(), 2);
    assert.match(await notes.locator('.header .title.modified').innerText(), /spec\.md/);
    // Each entry is the main spec changing in place, not a rename between two preview paths.
    const header = await notes.locator('.header').innerText();
    assert.doesNotMatch(
      header,
      /current|add-note-tags/,
      `the entry names the main spec once, not two preview paths: ${header}`,
    );

    await notes.locator('.char-insert').first().waitFor({ timeout: 10_000 });
    const notesDiff = notes.locator(SELECTORS.diffEditor);
    assert.ok((await diffSideText(page, 'original', notesDiff)).includes(CURRENT_BODY));
    assert.ok((await diffSideText(page, 'modified', notesDiff)).includes(PROPOSED_BODY));
    // tags is a new capability: nothing on the left, the whole archived spec on the right.
    assert.match(await diffSideText(page, 'modified', tags.locator(SELECTORS.diffEditor)), /^# tags Specification/);
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('compare-change')}`);
  });
});
