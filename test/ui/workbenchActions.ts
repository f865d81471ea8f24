import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../harness/poll';
import type { RenderedElement } from '../harness/renderedElement';
import { EXTENSION_ID } from '../harness/workbench';

/**
 * What a user does and sees in the workbench, for UI tests: tree rows, Quick Open, the active editor's text,
 * CodeLens, the Problems panel. Selectors are those of VS Code 1.100 (code-server 4.100.3).
 */
export const SELECTORS = {
  treeRow: '.monaco-list-row',
  twistie: '.monaco-tl-twistie',
  treeCheckbox: '.custom-view-tree-node-item-checkbox',
  rowDescription: '.label-description',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  activeEditorGroup: '.part.editor .editor-group-container.active',
  activeTab: '.part.editor .editor-group-container.active .tab.active',
  /** A CodeLens that runs a command; one without a command (a plain label) is a span in `.codelens-decoration`. */
  codeLens: '.codelens-decoration a',
  codeLensLine: '.codelens-decoration',
  problemsStatus: '#status\\.problems',
  problemsPanel: '.markers-panel',
  diffEditor: '.monaco-diff-editor',
  multiDiffEditor: '.multiDiffEditor',
  multiDiffEntry: '.multiDiffEntry',
} as const;

const SHORT_MS = 15_000;

/** A view of the side bar or panel by its name ("Changes"): its header and body. */
export function viewPane(page: Page, name: string): Locator {
  return page.locator('.pane', { has: page.locator(`.pane-header[aria-label^=${JSON.stringify(`${name} Section`)}]`) });
}

/** A tree row of a view by the exact text of its label (task rows include their number: "2.2 Filter ..."). */
export function treeRow(view: Locator, label: string): Locator {
  return view
    .locator(SELECTORS.treeRow, {
      has: view.page().locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
    })
    .first();
}

/** Expands a tree row with its twistie; a click on the row itself would run the row's command instead. */
export async function expandTreeRow(row: Locator): Promise<void> {
  await row.waitFor({ timeout: SHORT_MS });
  if ((await row.getAttribute('aria-expanded')) === 'true') return;
  await row.locator(SELECTORS.twistie).click();
  await waitForAttribute(row, 'aria-expanded', 'true');
}

/** Waits until a row's description (e.g. task progress "4/6") reads `text`. */
export async function waitForRowDescription(row: Locator, text: string, timeoutMs = SHORT_MS): Promise<void> {
  await row
    .locator(SELECTORS.rowDescription, { hasText: new RegExp(`^${escapeRegExp(text)}$`) })
    .waitFor({ timeout: timeoutMs });
}

export async function waitForAttribute(
  locator: Locator,
  name: string,
  value: string,
  timeoutMs = SHORT_MS,
): Promise<void> {
  await waitFor(async () => (await locator.getAttribute(name)) === value, `${name}="${value}"`, timeoutMs);
}

/** Quick Open (Ctrl+P): types a workspace-relative path and opens the matching file. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator(SELECTORS.quickInputBox);
  await input.waitFor({ state: 'visible', timeout: SHORT_MS });
  await input.fill(relativePath);
  const slash = relativePath.lastIndexOf('/');
  const [folder, name] = [relativePath.slice(0, slash), relativePath.slice(slash + 1)];
  // A row's aria-label is "<name> <folder>, file results".
  await page
    .locator(`${SELECTORS.quickInputRow}[aria-label^="${name} ${folder}"]`)
    .first()
    .click({ timeout: SHORT_MS });
  await page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden', timeout: SHORT_MS });
  await page.locator(SELECTORS.activeTab, { hasText: name }).waitFor({ timeout: SHORT_MS });
}

/**
 * Runs a palette command that then asks a quick pick (e.g. "Which change?") and picks the row labelled
 * `choice`.
 */
export async function runCommandAndPick(page: Page, title: string, question: string, choice: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator(SELECTORS.quickInputBox);
  await input.waitFor({ state: 'visible', timeout: SHORT_MS });
  await input.fill(`>${title}`);
  await page
    .locator(SELECTORS.quickInputRow, { has: page.locator('.label-name', { hasText: title }) })
    .first()
    .click({ timeout: SHORT_MS });
  await page
    .locator(`${SELECTORS.quickInput} .quick-input-title`, { hasText: question })
    .waitFor({ timeout: SHORT_MS });
  await page
    .locator(SELECTORS.quickInputRow, {
      has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(choice)}$`) }),
    })
    .click({ timeout: SHORT_MS });
  await page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden', timeout: SHORT_MS });
}

/** The text editor of the active editor group (not a diff editor). */
export function activeEditor(page: Page): Locator {
  return page.locator(`${SELECTORS.activeEditorGroup} .editor-instance .monaco-editor`).first();
}

/**
 * The lines the active editor renders, top to bottom (only the visible ones: enough for short files).
 * Monaco draws spaces as no-break spaces; they come back as plain spaces.
 */
export async function editorLines(page: Page): Promise<string[]> {
  return activeEditor(page)
    .locator('.view-lines')
    .evaluate((element: RenderedElement) =>
      [...element.querySelectorAll('.view-line')]
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
        .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')),
    );
}

/** Waits until the active editor shows a line equal to `line` (e.g. "- [x] 2.2 Filter ..."). */
export async function waitForEditorLine(page: Page, line: string, timeoutMs = SHORT_MS): Promise<void> {
  await waitFor(
    async () => (await editorLines(page)).includes(line),
    `the editor to show the line "${line}"`,
    timeoutMs,
  );
}

/** Puts the keyboard focus in the active editor without moving its cursor far: a click on its first line. */
export async function focusActiveEditor(page: Page): Promise<void> {
  await activeEditor(page).locator('.view-line').first().click();
}

/**
 * The text one side of a diff editor shows, its lines joined without breaks (wrapped lines come in pieces),
 * spaces normalized: enough to assert that a sentence is shown. `diff` defaults to the active group's.
 */
export async function diffSideText(page: Page, side: 'original' | 'modified', diff?: Locator): Promise<string> {
  const editor = (diff ?? page.locator(`${SELECTORS.activeEditorGroup} ${SELECTORS.diffEditor}`).first()).locator(
    `.${side}-in-monaco-diff-editor .view-lines`,
  );
  return editor.evaluate((element: RenderedElement) =>
    [...element.querySelectorAll('.view-line')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n')
      .replace(/ \n/g, ' '),
  );
}

/** Ctrl+G: moves the cursor of the active editor to the start of a 1-based line. */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator(SELECTORS.quickInputBox);
  await input.waitFor({ state: 'visible', timeout: SHORT_MS });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden', timeout: SHORT_MS });
}

/** The CodeLens titled `title` drawn just above the active editor's line that contains `lineText`. */
export async function codeLensAbove(
  page: Page,
  lineText: string,
  title: string,
  timeoutMs = SHORT_MS,
): Promise<Locator> {
  const line = activeEditor(page).locator('.view-line', { hasText: lineText });
  const lenses = activeEditor(page).locator(SELECTORS.codeLens, { hasText: new RegExp(`^${escapeRegExp(title)}$`) });
  return waitFor(
    async () => {
      const lineBox = await line.boundingBox();
      if (!lineBox) return undefined;
      // The lens sits in a view zone right above its line: the nearest one above, within two line heights.
      let best: { lens: Locator; distance: number } | undefined;
      for (const lens of await lenses.all()) {
        const box = await lens.boundingBox();
        if (!box) continue;
        const distance = lineBox.y - box.y;
        if (distance > 0 && distance < lineBox.height * 2 && (!best || distance < best.distance))
          best = { lens, distance };
      }
      return best?.lens;
    },
    `a "${title}" CodeLens above "${lineText}"`,
    timeoutMs,
  );
}

/** The Problems panel, opened from the status bar if it is not showing. */
export async function showProblems(page: Page): Promise<Locator> {
  const panel = page.locator(SELECTORS.problemsPanel);
  if (!(await panel.isVisible())) await page.locator(SELECTORS.problemsStatus).click();
  await panel.waitFor({ state: 'visible', timeout: SHORT_MS });
  return panel;
}

/** A marker row of the Problems panel; its aria-label reads "Error: <message> at line N and character M. generated by <source>". */
export function problemRow(page: Page, level: 'Error' | 'Warning' | 'Info', message: string): Locator {
  return page.locator(
    `${SELECTORS.problemsPanel} ${SELECTORS.treeRow}[aria-label^=${JSON.stringify(`${level}: ${message}`)}]`,
  );
}

/** Reads a file of the workspace on disk. */
export function readWorkspaceFile(workspace: string, relativePath: string): string {
  return readFileSync(join(workspace, relativePath), 'utf8');
}

/** Polls until a workspace file on disk contains `text` (saves land a moment after the edit shows). */
export async function waitForFileToContain(
  workspace: string,
  relativePath: string,
  text: string,
  timeoutMs = SHORT_MS,
): Promise<void> {
  await waitFor(
    () => readWorkspaceFile(workspace, relativePath).includes(text),
    `${relativePath} on disk to contain "${text}"`,
    timeoutMs,
  );
}

/** An Accept or Reject as the extension's feedback memory recorded it. */
export interface RecordedDecision {
  /** Workspace-relative path of the proposal's file. */
  readonly file: string;
  readonly decision: 'accepted' | 'acceptedEdited' | 'rejected';
}

/**
 * The decisions on AI proposals the extension has recorded so far, oldest first: its feedback memory, kept in
 * feedback.json of its storage for the workspace (in the workbench's user-data folder). A decision is recorded
 * once Accept or Reject has done its work, so it is what to wait for before asserting that a file was not written.
 */
export function recordedDecisions(userDataDir: string): RecordedDecision[] {
  const storage = join(userDataDir, 'User', 'workspaceStorage');
  const files = existsSync(storage)
    ? readdirSync(storage).map((workspace) => join(storage, workspace, EXTENSION_ID, 'feedback.json'))
    : [];
  return files
    .filter((file) => existsSync(file))
    .flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { decisions?: RecordedDecision[] }).decisions ?? [])
    .map(({ file, decision }) => ({ file, decision }));
}

/** Waits until the feedback memory holds `count` decisions more than `before`; returns every one after the first `before`. */
export async function waitForRecordedDecisions(
  userDataDir: string,
  before: number,
  count: number,
  timeoutMs = SHORT_MS,
): Promise<RecordedDecision[]> {
  let seen: RecordedDecision[] = [];
  await waitFor(
    () => (seen = recordedDecisions(userDataDir)).length >= before + count,
    () => `${count} more decision(s) in the feedback memory after ${before}; it holds ${JSON.stringify(seen)}`,
    timeoutMs,
  );
  return seen.slice(before);
}

/** Moves the mouse onto the empty title bar so no hover card covers a screenshot. */
export async function parkMouse(page: Page): Promise<void> {
  await page.mouse.move(200, 16);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A notification toast (bottom right) whose message contains `text`. */
export function notificationToast(page: Page, text: string): Locator {
  return page.locator('.notifications-toasts .notification-toast', {
    has: page.locator('.notification-list-item-message', { hasText: text }),
  });
}

/** A button of a notification toast by its exact label ("Retry", "Accept"). */
export function notificationButton(toast: Locator, label: string): Locator {
  return toast.locator('.notification-list-item-buttons-container .monaco-button', {
    hasText: new RegExp(`^${escapeRegExp(label)}$`),
  });
}

/** An action of the active editor group's title bar by its command title ("Accept AI Proposal"). */
export function editorTitleAction(page: Page, title: string): Locator {
  return page.locator(
    `${SELECTORS.activeEditorGroup} .editor-actions .action-label[aria-label^=${JSON.stringify(title)}]`,
  );
}

/**
 * Waits until the active editor shows `text`, read across wrapped lines (Markdown editors wrap long lines,
 * so a sentence can span several view lines).
 */
export async function waitForEditorText(page: Page, text: string, timeoutMs = SHORT_MS): Promise<void> {
  await waitFor(
    async () => (await editorLines(page)).join('\n').replace(/ \n/g, ' ').includes(text),
    `the editor to show "${text}"`,
    timeoutMs,
  );
}
