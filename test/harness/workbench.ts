/**
 * The real workbench for UI tests: code-server with the extension under development, opened on a
 * workspace in headless Chromium, driven through a playwright Page (command palette, trees, CodeLens,
 * screenshots). Runs in plain Node (mocha), not in the extension host.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { startCodeServer, type CodeServer } from './codeServer';
import { runCommandFromPalette } from './commandPalette';
import { extensionLogText, waitForExtensionActive, type ActivationWait } from './extensionActivation';
import { copyFixtureWorkspace, REPO_ROOT, TEST_RESULTS_DIR, type WorkspaceCopy } from './repoPaths';

export const EXTENSION_ID = 'openspec-loop.openspec-loop';
/** activate() ends by logging this to the "OpenSpec Loop" channel. */
const EXTENSION_READY = /OpenSpec Loop \S+ activated/;

/** Pinned look for comparable screenshots. */
const UI_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.colorTheme': 'Default Light Modern',
  'window.zoomLevel': 0,
  'editor.cursorBlinking': 'solid',
};

export interface WorkbenchOptions {
  /** A folder under test/fixtures/workspaces/, copied to a temporary folder first. */
  readonly fixture: string;
  readonly extensionDevelopmentPath?: string;
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** 'untrusted' opens the workspace in Restricted Mode (see codeServer.ts). */
  readonly workspaceTrust?: 'trusted' | 'untrusted';
  /** Adds to the copy of the fixture before the workbench opens it (the fixture itself is never changed). */
  readonly prepare?: (workspace: string) => void;
}

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  /** The opened workspace (a temporary copy of the fixture). */
  readonly workspace: string;
  /** Resolves when the extension (default: ours) has finished activate(). */
  waitForExtensionActive(wait?: Partial<ActivationWait>): Promise<void>;
  /** What our extension has written to its "OpenSpec Loop" log so far. */
  extensionLog(): string;
  /** F1, type the title, run the exact match. */
  runCommand(title: string): Promise<void>;
  /**
   * Saves test-results/screenshots/<name>.png and returns its path; `mask` covers changing parts
   * (timestamps in the Output panel, clocks) with a box so screenshots compare.
   */
  screenshot(name: string, mask?: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  let workspace: WorkspaceCopy | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    workspace?.dispose();
  };
  try {
    workspace = copyFixtureWorkspace(options.fixture);
    options.prepare?.(workspace.path);
    server = await startCodeServer({
      settings: { ...UI_SETTINGS, ...options.settings },
      ...(options.workspaceTrust ? { workspaceTrust: options.workspaceTrust } : {}),
    });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      deviceScaleFactor: 1,
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const extensionPath = options.extensionDevelopmentPath ?? REPO_ROOT;
    await page.goto(
      server.workbenchUrl(workspace.path, [['extensionDevelopmentPath', server.remoteUri(extensionPath)]]),
    );
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    const { userDataDir } = server;
    return {
      page,
      server,
      workspace: workspace.path,
      waitForExtensionActive: (wait = {}) => {
        const ours = wait.extensionId === undefined || wait.extensionId === EXTENSION_ID;
        const defaults = ours
          ? { extensionId: EXTENSION_ID, readyPattern: EXTENSION_READY }
          : { extensionId: wait.extensionId };
        return waitForExtensionActive(userDataDir, { ...defaults, ...wait });
      },
      extensionLog: () => extensionLogText(userDataDir, EXTENSION_ID),
      runCommand: (title) => runCommandFromPalette(page, title),
      screenshot: async (name, mask = []) => {
        const dir = join(TEST_RESULTS_DIR, 'screenshots');
        mkdirSync(dir, { recursive: true });
        const path = join(dir, `${name}.png`);
        await page.screenshot({ path, animations: 'disabled', mask: mask.map((selector) => page.locator(selector)) });
        return path;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
