import * as assert from 'node:assert/strict';
import { expandTreeRow, parkMouse, waitForEditorText } from './workbenchActions';
import { useWorkbench } from './workbenchSuite';

/** Selectors of VS Code 1.100 (code-server 4.100.3). */
const TREE_ROW = '.monaco-list-row';
const CODELENS = '.codelens-decoration a';
const PROBLEMS_STATUS = '#status\\.problems';
const HOVER = '.monaco-hover, .workbench-hover';
const ACTIVE_TAB = '.editor-group-container.active .tab.active';

describe('Spec Explorer in the workbench', function () {
  this.timeout(120_000);
  const current = useWorkbench('examples/sample-project');

  it('lists the changes with their task progress, opens a change and a delta, and shows its problem and CodeLens', async () => {
    const workbench = current();
    const { page } = workbench;
    await workbench.runCommand('OpenSpec: Focus on Changes View');
    const change = page.locator(TREE_ROW, { hasText: 'add-note-tags' });
    await change.waitFor({ timeout: 15_000 });
    assert.match(await change.innerText(), /3\/6/, 'the change shows its task progress');

    // A change row's tooltip and its click are made when first asked for: hovered first, the click still opens.
    await change.hover();
    await page.locator(HOVER, { hasText: 'openspec validate' }).first().waitFor({ timeout: 15_000 });
    await change.locator('.label-name').click();
    await waitForEditorText(page, 'Writers with more than a few dozen notes cannot find them again');
    assert.match((await page.locator(ACTIVE_TAB).innerText()).trim(), /^proposal\.md/);
    await parkMouse(page);

    // Expanded by their twisties: a click on a row opens its file, and the keyboard would then talk to the editor.
    await expandTreeRow(page.locator(TREE_ROW, { hasText: 'expire-shared-links' }).first());
    await expandTreeRow(page.locator(TREE_ROW, { hasText: 'sharing/links' }).first());
    const requirement = page.locator(TREE_ROW, { hasText: 'Expiry choice' }).first();
    await requirement.waitFor({ timeout: 10_000 });
    await requirement.click();

    await page.locator(CODELENS, { hasText: 'Compare with current spec' }).first().waitFor({ timeout: 15_000 });
    await page.locator(PROBLEMS_STATUS, { hasText: /[1-9]/ }).waitFor({ timeout: 15_000 });

    const screenshot = await workbench.screenshot('explorer');
    console.log(`    screenshot: ${screenshot}`);
  });
});
