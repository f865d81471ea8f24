import type { Page } from 'playwright-core';

/** Selectors of VS Code 1.100 (code-server 4.100.3); re-check them when the pinned version changes. */
const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROW = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/**
 * Runs a command the way a user does: F1, type its title ("OpenSpec: Show Log"), pick the exact match.
 * Fails when the palette has no entry with that title (e.g. the command is not contributed).
 */
export async function runCommandFromPalette(page: Page, title: string, timeoutMs = 15_000): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  const row = page.locator(QUICK_INPUT_ROW, { has: page.locator('.label-name', { hasText: title }) }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: timeoutMs });
}
