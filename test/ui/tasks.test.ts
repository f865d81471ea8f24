import * as assert from 'node:assert/strict';
import {
  SELECTORS,
  codeLensAbove,
  editorLines,
  expandTreeRow,
  focusActiveEditor,
  openFile,
  parkMouse,
  readWorkspaceFile,
  treeRow,
  viewPane,
  waitForAttribute,
  waitForEditorLine,
  waitForFileToContain,
  waitForRowDescription,
} from './workbenchActions';
import { useWorkbench } from './workbenchSuite';

const NOTE_TAGS_TASKS = 'openspec/changes/add-note-tags/tasks.md';
const EXPIRY_TASKS = 'openspec/changes/expire-shared-links/tasks.md';

describe('Tasks in the workbench', function () {
  this.timeout(120_000);
  const current = useWorkbench('examples/sample-project');

  it('checks a task from its tree checkbox, writes tasks.md, and Ctrl+Z in the editor takes it back', async () => {
    const workbench = current();
    const { page } = workbench;
    const unchecked = '- [ ] 2.2 Filter the list endpoint by tag';
    const checked = '- [x] 2.2 Filter the list endpoint by tag';
    assert.ok(readWorkspaceFile(workbench.workspace, NOTE_TAGS_TASKS).includes(unchecked));

    await workbench.runCommand('OpenSpec: Focus on Changes View');
    const changes = viewPane(page, 'Changes');
    const change = treeRow(changes, 'add-note-tags');
    await expandTreeRow(change);
    const tasks = treeRow(changes, 'Tasks');
    await waitForRowDescription(tasks, '3/6');
    await expandTreeRow(tasks);
    const task = treeRow(changes, '2.2 Filter the list endpoint by tag');
    const checkbox = task.locator(SELECTORS.treeCheckbox);
    await waitForAttribute(checkbox, 'aria-checked', 'false');

    await checkbox.click();
    await waitForAttribute(checkbox, 'aria-checked', 'true');
    // tasks.md was not open, so the product saves its edit: the disk follows at once.
    await waitForFileToContain(workbench.workspace, NOTE_TAGS_TASKS, checked);
    await waitForRowDescription(tasks, '4/6');
    await waitForRowDescription(change, '4/6');
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('tasks-checkbox')}`);

    // The row opens tasks.md at the task; the edit is one undo step there.
    await task.locator('.label-name').click();
    await page.locator(SELECTORS.activeTab, { hasText: 'tasks.md' }).waitFor({ timeout: 10_000 });
    await waitForEditorLine(page, checked);
    await focusActiveEditor(page);
    await page.keyboard.press('Control+Z');
    await waitForEditorLine(page, unchecked);
    assert.ok(!(await editorLines(page)).includes(checked), 'the undo restored the line');
    await waitForRowDescription(tasks, '3/6');
    await waitForAttribute(checkbox, 'aria-checked', 'false');
    // Undo leaves the document dirty; saving brings the disk back.
    await page.locator(`${SELECTORS.activeTab}.dirty`).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+S');
    await waitForFileToContain(workbench.workspace, NOTE_TAGS_TASKS, unchecked);
    await page.locator(`${SELECTORS.activeTab}.dirty`).waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator(SELECTORS.codeLensLine, { hasText: '3/6 tasks done' }).waitFor({ timeout: 10_000 });
    await codeLensAbove(page, '2.2 Filter the list endpoint by tag', 'Mark done');
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('tasks-checkbox-undone')}`);
  });

  it('marks a task done and not done again with its CodeLens in tasks.md', async () => {
    const workbench = current();
    const { page } = workbench;
    const unchecked = '- [ ] 1.2 Nightly job that removes expired links';
    const checked = '- [x] 1.2 Nightly job that removes expired links';

    await openFile(page, EXPIRY_TASKS);
    await page.locator(SELECTORS.codeLensLine, { hasText: '0/3 tasks done' }).waitFor({ timeout: 15_000 });
    const markDone = await codeLensAbove(page, '1.2 Nightly job', 'Mark done');
    await markDone.click();

    await waitForEditorLine(page, checked);
    await waitForFileToContain(workbench.workspace, EXPIRY_TASKS, checked);
    const lines = readWorkspaceFile(workbench.workspace, EXPIRY_TASKS).split('\n');
    assert.deepEqual(
      lines.filter((line) => line.startsWith('- [')),
      ['- [ ] 1.1 Add expires_at to shared links', checked, '- [ ] 1.3 Expiry picker in the share dialog'],
      'only the task under the CodeLens changed',
    );
    await page.locator(SELECTORS.codeLensLine, { hasText: '1/3 tasks done' }).waitFor({ timeout: 10_000 });
    const markNotDone = await codeLensAbove(page, '1.2 Nightly job', 'Mark not done');
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('tasks-codelens')}`);

    await markNotDone.click();
    await waitForEditorLine(page, unchecked);
    await waitForFileToContain(workbench.workspace, EXPIRY_TASKS, unchecked);
    await page.locator(SELECTORS.codeLensLine, { hasText: '0/3 tasks done' }).waitFor({ timeout: 10_000 });
  });
});
