import * as assert from 'node:assert/strict';
import { openWorkbench, type Workbench } from '../harness/workbench';
import type { Locator } from 'playwright-core';
import { LmStudioStandIn } from '../lmstudio/standIn';
import { writeUserSettings, writeWorkspaceSettings } from '../harness/userSettings';

/**
 * Opens one workbench on a fixture for the enclosing mocha suite, once our extension is active; saves a
 * screenshot of every failing test; closes everything after the suite. Returns the workbench's getter.
 */
export function useWorkbench(fixture: string): () => Workbench {
  const current = useSuiteWorkbench(async () => ({ workbench: await openWorkbench({ fixture }) }));
  return () => current().workbench;
}

export interface AiWorkbench {
  readonly workbench: Workbench;
  /** The LM Studio stand-in the workbench's extension talks to; script its replies in the suite. */
  readonly server: LmStudioStandIn;
}

/**
 * The AI suites' setup: the LM Studio stand-in first, then a 1440×900 workbench on the sample project whose
 * settings point at it (no retries, so failures show at once). Screenshots failing tests; closes both after.
 */
export function useAiWorkbench(): () => AiWorkbench {
  const current = useSuiteWorkbench(async () => {
    const server = await LmStudioStandIn.start();
    try {
      const workbench = await openWorkbench({
        fixture: 'examples/sample-project',
        settings: { 'openspecLoop.lmStudio.baseUrl': server.baseUrl, 'openspecLoop.lmStudio.maxRetries': 0 },
        viewport: { width: 1440, height: 900 },
      });
      return { workbench, server, ready: () => waitForStandInSettings(workbench, server) };
    } catch (error) {
      await server.close();
      throw error;
    }
  });
  return () => {
    const { workbench, server } = current();
    assert.ok(server, 'the LM Studio stand-in did not start');
    return { workbench, server };
  };
}

/**
 * The status bar's LM Studio entry names the stand-in's address (to screen readers) once the extension reads the
 * settings that point at it. A workbench under load has been seen to hand the extension host its user settings
 * late; every AI test starts after this, and a test that reloads the window waits for it again. Nothing is asked of LM Studio before the first AI use, so this is all
 * there is to wait for.
 */
export async function waitForStandInSettings(workbench: Workbench, server: LmStudioStandIn): Promise<void> {
  const item = lmStudioStatusItem(workbench, server);
  const shown = (timeout: number) =>
    item.waitFor({ timeout }).then(
      () => true,
      () => false,
    );
  if (await shown(20_000)) return;
  // Seen on a busy machine: the workbench never applied the user settings it was started with, and the
  // extension host kept the defaults for good. Writing them again makes the workbench read them; the marker
  // makes the bytes differ, since a write of identical content is not a change to the workbench.
  writeUserSettings(workbench.server.userDataDir, { 'openspecLoopHarness.settingsWrittenAt': Date.now() });
  // Seen after a window reload too, where the rewrite was not read either: the workspace's own settings reach
  // the extension host by another way (the folder's .vscode/settings.json), so the address goes there as well.
  writeWorkspaceSettings(workbench.workspace, { 'openspecLoop.lmStudio.baseUrl': server.baseUrl });
  process.stdout.write('      (the workbench kept the default settings; they were written again)\n');
  if (await shown(40_000)) return;
  // What the status bar shows instead, and what the extension logged: the cause is in one of them.
  const labels = await workbench.page
    .locator('.part.statusbar .statusbar-item [aria-label^="LM Studio"]')
    .evaluateAll((items: ReadonlyArray<{ getAttribute(name: string): string | null }>) =>
      items.map((entry) => entry.getAttribute('aria-label')),
    );
  await workbench.screenshot('failed-waiting-for-the-stand-in-settings');
  throw new Error(
    `The status bar never named the stand-in at ${server.baseUrl}, even after the settings were written again.\nLM Studio entries in the status bar: ${JSON.stringify(labels)}\nExtension log:\n${workbench.extensionLog().slice(-3000)}`,
  );
}

/** The status bar's LM Studio entry, found by the address it names. */
export function lmStudioStatusItem(workbench: Workbench, server: LmStudioStandIn): Locator {
  return workbench.page.locator(
    `.part.statusbar .statusbar-item [aria-label^=${JSON.stringify(`LM Studio at ${server.baseUrl}:`)}]`,
  );
}

/**
 * The lifecycle every suite shares: open once the extension is active, screenshot every failing test, close
 * the workbench (and the stand-in, if any) after the suite. For suites that open the workbench their own way.
 */
export function useSuiteWorkbench(
  open: () => Promise<{ workbench: Workbench; server?: LmStudioStandIn; ready?: () => Promise<void> }>,
): () => { workbench: Workbench; server?: LmStudioStandIn } {
  let opened: { workbench: Workbench; server?: LmStudioStandIn; ready?: () => Promise<void> } | undefined;

  before(async () => {
    opened = await open();
    await opened.workbench.waitForExtensionActive();
    await opened.ready?.();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && opened) {
      await opened.workbench.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    }
  });

  after(async () => {
    await opened?.workbench.close();
    await opened?.server?.close();
  });

  return () => {
    assert.ok(opened, 'the workbench did not open');
    return opened;
  };
}
