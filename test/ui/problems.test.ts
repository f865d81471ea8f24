import * as assert from 'node:assert/strict';
import type { RenderedElement } from '../harness/renderedElement';
import type { Locator } from 'playwright-core';
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

/** The sample's change that is invalid on purpose: requirement "Expiry choice" has no scenario. */
const DELTA = 'openspec/changes/expire-shared-links/specs/sharing/links/spec.md';
const MISSING_SCENARIO = 'ADDED "Expiry choice" must include at least one scenario';
const NO_SHALL = 'ADDED "Expiry choice" should contain SHALL or MUST';

describe('Problems in the workbench', function () {
  this.timeout(120_000);
  const current = useWorkbench('examples/sample-project');

  it('lists the missing scenario at its requirement and clears it as the scenario is typed, before saving', async () => {
    const workbench = current();
    const { page } = workbench;
    const original = readWorkspaceFile(workbench.workspace, DELTA);
    const lines = original.split('\n');
    const header = lines.indexOf('### Requirement: Expiry choice') + 1;
    assert.ok(header > 0, 'the sample still has the requirement');

    await openFile(page, DELTA);
    await showProblems(page);
    const error = problemRow(page, 'Error', MISSING_SCENARIO);
    await error.waitFor({ timeout: 15_000 });
    assert.equal(await error.locator('.marker-line').innerText(), `[Ln ${header}, Col 1]`);
    assert.equal(
      await fileRowAbove(error),
      `problems in file spec.md of folder ${DELTA.slice(0, DELTA.lastIndexOf('/'))}`,
    );
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('problems-missing-scenario')}`);

    const scenario = [
      '#### Scenario: Owner picks a duration',
      '- **WHEN** the owner shares a link and picks 7 days',
      '- **THEN** the link stops working after 7 days',
    ];
    await focusActiveEditor(page);
    await goToLine(page, header + 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    for (const line of scenario) {
      await page.keyboard.press('Enter');
      await page.keyboard.type(line);
    }
    for (const line of scenario) await waitForEditorLine(page, line);
    const shown = await editorLines(page);
    assert.deepEqual(
      shown.slice(header - 1, header + 5),
      [lines[header - 1], lines[header], '', ...scenario],
      'the block landed under the requirement',
    );

    // Validation follows the unsaved text (debounced): the error goes, the warning about SHALL stays.
    await error.waitFor({ state: 'detached', timeout: 10_000 });
    await problemRow(page, 'Warning', NO_SHALL).waitFor({ timeout: 5_000 });
    await page.locator(`${SELECTORS.activeTab}.dirty`).waitFor({ timeout: 5_000 });
    assert.equal(readWorkspaceFile(workbench.workspace, DELTA), original, 'nothing was saved');
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('problems-fixed')}`);
  });
});

/**
 * The label of the file row a marker row sits under, without its leading count ("2 problems in file ...").
 * Rows of a list are not in DOM order; their data-index is their place.
 */
async function fileRowAbove(marker: Locator): Promise<string> {
  return marker.evaluate((row: RenderedElement) => {
    const index = Number(row.getAttribute('data-index'));
    const fileRows = [...(row.parentElement?.children ?? [])].filter(
      (candidate) =>
        candidate.getAttribute('aria-level') === '1' && Number(candidate.getAttribute('data-index')) < index,
    );
    fileRows.sort((a, b) => Number(b.getAttribute('data-index')) - Number(a.getAttribute('data-index')));
    return (fileRows[0]?.getAttribute('aria-label') ?? '').replace(/^\d+ /, '');
  });
}
