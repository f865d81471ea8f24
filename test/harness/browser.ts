import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (apt); playwright-core downloads nothing. Override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Headless Chromium whose XDG folders (crash reports, caches) live in a temporary folder, not in $HOME.
 * Signals stay with the caller (the launcher stops code-server first); playwright still kills the browser
 * when the process exits.
 */
export async function launchChromium(): Promise<Browser> {
  const home = mkdtempSync(join(tmpdir(), 'openspec-loop-chromium-'));
  const removeHome = (): void => rmSync(home, { recursive: true, force: true });
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
    });
    browser.once('disconnected', removeHome);
    return browser;
  } catch (error) {
    removeHome();
    throw error;
  }
}
