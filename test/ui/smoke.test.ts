import * as assert from 'node:assert/strict';
import { useWorkbench } from './workbenchSuite';

/** Selectors of VS Code 1.100 (code-server 4.100.3). */
const PANEL = '.part.panel';
const OUTPUT_CHANNEL_PICKER = `${PANEL} select.monaco-select-box:visible`;
const OUTPUT_LINES = `${PANEL} .view-lines`;

describe('workbench smoke', function () {
  this.timeout(120_000);
  const current = useWorkbench('basic');

  it('runs "OpenSpec: Show Log" from the command palette and shows the OpenSpec Loop output', async () => {
    const workbench = current();
    const { page } = workbench;
    await workbench.runCommand('OpenSpec: Show Log');

    const picker = page.locator(OUTPUT_CHANNEL_PICKER);
    await picker.waitFor({ state: 'visible', timeout: 15_000 });
    const channel = await picker.evaluate(
      (select: { selectedOptions: ArrayLike<{ textContent: string | null }> }) =>
        select.selectedOptions[0]?.textContent ?? '',
    );
    assert.equal(channel, 'OpenSpec Loop');
    await page.locator(OUTPUT_LINES, { hasText: /OpenSpec\sLoop\s\S+\sactivated/ }).waitFor({ timeout: 15_000 });

    const screenshot = await workbench.screenshot('smoke-show-log');
    console.log(`    screenshot: ${screenshot}`);
  });
});
