import * as assert from 'node:assert/strict';
import {
  SELECTORS,
  editorLines,
  focusActiveEditor,
  goToLine,
  openFile,
  parkMouse,
  problemRow,
  readWorkspaceFile,
  showProblems,
  waitForEditorLine,
} from './workbenchActions';
import { useWorkbench } from './workbenchSuite';

/** add-note-tags' delta of the notes spec; it modifies "Create a note", and the main spec has "Edit a note" too. */
const DELTA = 'openspec/changes/add-note-tags/specs/notes/spec.md';
const MAIN = 'openspec/specs/notes/spec.md';
const HALF_TYPED = 'MODIFIED "" must include at least one scenario';

describe('Spec files as a language in the workbench', function () {
  this.timeout(120_000);
  const current = useWorkbench('examples/sample-project');

  it('completes a MODIFIED header with the whole current block, and the change stays valid', async () => {
    const workbench = current();
    const { page } = workbench;
    const main = readWorkspaceFile(workbench.workspace, MAIN).split('\n');
    const start = main.indexOf('### Requirement: Edit a note');
    const end = main.indexOf('### Requirement: Delete a note');
    assert.ok(start > 0 && end > start, 'the sample still has "Edit a note" before "Delete a note"');
    const currentBlock = main.slice(start, end).join('\n').trimEnd().split('\n');

    await openFile(page, DELTA);
    await showProblems(page);
    const lines = readWorkspaceFile(workbench.workspace, DELTA).trimEnd().split('\n');
    await focusActiveEditor(page);
    await goToLine(page, lines.length);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('### Requirement: ');
    // Validation follows the unsaved text: the half-typed header is an error until it names a requirement.
    const halfTyped = problemRow(page, 'Error', HALF_TYPED);
    await halfTyped.waitFor({ timeout: 15_000 });

    const suggestions = page.locator('.editor-widget.suggest-widget.visible');
    const editNote = suggestions.locator('.monaco-list-row', { hasText: 'Edit a note' });
    // Typing opens the suggestions by itself; Ctrl+Space asks again only if they have not come by then.
    const offered = await editNote.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (!offered) await page.keyboard.press('Control+Space');
    await editNote.waitFor({ timeout: 10_000 });
    assert.equal(
      await suggestions.locator('.monaco-list-row', { hasText: 'Create a note' }).count(),
      0,
      'a requirement the section already modifies is not offered again',
    );
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('spec-completion')}`);
    await editNote.click();

    for (const line of currentBlock.filter((text) => text !== '')) await waitForEditorLine(page, line);
    const shown = await editorLines(page);
    const at = shown.indexOf('### Requirement: Edit a note');
    assert.deepEqual(shown.slice(at, at + currentBlock.length), currentBlock, 'every scenario came with the block');

    await halfTyped.waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(
      await page.locator(`${SELECTORS.problemsPanel} ${SELECTORS.treeRow}[aria-label*="Edit a note"]`).count(),
      0,
      'the inserted block is a valid MODIFIED requirement',
    );
  });
});
