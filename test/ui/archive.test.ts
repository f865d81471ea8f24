import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench } from '../harness/workbench';
import { waitFor } from '../harness/poll';
import {
  SELECTORS,
  codeLensAbove,
  focusActiveEditor,
  notificationToast,
  openFile,
  parkMouse,
  treeRow,
  viewPane,
  waitForEditorLine,
} from './workbenchActions';
import { useSuiteWorkbench } from './workbenchSuite';

const CHANGE = 'add-note-tags';
const TASKS = 'openspec/changes/add-note-tags/tasks.md';
const NOTES_SPEC = 'openspec/specs/notes/spec.md';

describe('Archive in the workbench', function () {
  this.timeout(180_000);
  // The sample's add-note-tags with every task done, so its proposal offers the Archive CodeLens.
  const current = useSuiteWorkbench(async () => ({
    workbench: await openWorkbench({
      fixture: 'examples/sample-project',
      viewport: { width: 1440, height: 900 },
      prepare: (workspace) => {
        const tasks = join(workspace, TASKS);
        writeFileSync(tasks, readFileSync(tasks, 'utf8').replaceAll('- [ ]', '- [x]'));
      },
    }),
  }));

  it('archives from the CodeLens after the preview and one question, and Ctrl+Z brings everything back', async () => {
    const { workbench } = current();
    const { page, workspace } = workbench;
    const notesBefore = readFileSync(join(workspace, NOTES_SPEC), 'utf8');
    await openFile(page, 'openspec/changes/add-note-tags/proposal.md');
    await waitForEditorLine(page, '## Why');
    const lens = await codeLensAbove(page, '## Why', 'Archive change', 20_000);
    await lens.click();

    // The preview opens behind the question: every main spec now ↔ after, and the move.
    await page
      .locator(`${SELECTORS.activeTab} .label-name`, { hasText: `Archive ${CHANGE}: specs now ↔ after archive` })
      .waitFor({ timeout: 15_000 });
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    const question = await dialog.innerText();
    assert.match(
      question,
      new RegExp(
        `Archive ${CHANGE}: creates 1 and updates 1 spec \\(2 added, 1 modified requirement\\) and moves it to archive/\\d{4}-\\d{2}-\\d{2}-${CHANGE}`,
      ),
    );
    await page.locator(`${SELECTORS.multiDiffEditor} ${SELECTORS.multiDiffEntry}`).first().waitFor({ timeout: 10_000 });
    console.log(`    screenshot: ${await workbench.screenshot('archive-confirm')}`);
    await dialog.locator('.monaco-button', { hasText: /^Archive$/ }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });

    const done = notificationToast(page, `Archived '${CHANGE}' as`);
    await done.waitFor({ timeout: 20_000 });
    const archivedAs = /as (\S+)\.$/.exec(await done.locator('.notification-list-item-message').innerText())?.[1];
    assert.ok(archivedAs, 'the notification names the archive folder');
    assert.ok(existsSync(join(workspace, 'openspec/changes/archive', archivedAs, 'proposal.md')));
    assert.equal(existsSync(join(workspace, 'openspec/changes', CHANGE)), false);
    assert.notEqual(readFileSync(join(workspace, NOTES_SPEC), 'utf8'), notesBefore);
    await workbench.runCommand('OpenSpec: Focus on Archive View');
    await treeRow(viewPane(page, 'Archive'), CHANGE).waitFor({ timeout: 15_000 });
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('archive-done')}`);

    // The archive was one WorkspaceEdit: one Undo in a spec it wrote takes back the specs and the move.
    await openFile(page, NOTES_SPEC);
    await waitForEditorLine(page, '## Requirements');
    await parkMouse(page);
    await page.keyboard.press('Escape');
    await focusActiveEditor(page);
    await page.keyboard.press('Control+z');
    await waitFor(
      () =>
        existsSync(join(workspace, 'openspec/changes', CHANGE, 'proposal.md')) &&
        !existsSync(join(workspace, 'openspec/changes/archive', archivedAs)) &&
        !existsSync(join(workspace, 'openspec/specs/tags/spec.md')),
      'Undo to move the change back and take away the spec the archive created',
      30_000,
      250,
    );
    // The spec's text is back in the editor, unsaved, as after any Undo; saving puts the old bytes on disk.
    await waitForEditorLine(
      page,
      'The system SHALL let a signed-in user create a note with a title and a Markdown body.',
    );
    await page.keyboard.press('Control+s');
    await waitFor(
      () => readFileSync(join(workspace, NOTES_SPEC), 'utf8') === notesBefore,
      'the saved notes spec to hold its text from before the archive',
      15_000,
      250,
    );
    await workbench.runCommand('OpenSpec: Focus on Changes View');
    await treeRow(viewPane(page, 'Changes'), CHANGE).waitFor({ timeout: 15_000 });
  });
});
