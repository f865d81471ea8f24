import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { startCodeServer } from '../harness/codeServer';
import { waitFor } from '../harness/poll';
import { REPO_ROOT } from '../harness/repoPaths';
import type { BlockOwners } from './hostAttribution';
import {
  ATTRIBUTION_ENV,
  BURST_FILES,
  EXTENSION_ID,
  FIGURES_FILE,
  PAINTED_FILE,
  PROBE_DIR_ENV,
  PROBE_NAME,
  PROBE_PUBLISHER,
  type ProbeFigures,
} from './hostProbeFiles';
import { median, type Row } from './table';

/**
 * Each round is a fresh code-server, browser and copy of the project, on one user-data folder: the first round is
 * a first start after installing (the bundle compiles from source and the code cache is written), the others are
 * the starts that follow (compiled from that cache). Then as many later starts again with the host thread
 * profiled, so that what held it can be told apart: OpenSpec Loop's code, VS Code's own, or other extensions'.
 */
const ROUNDS = Number(process.env['BENCH_CODEHOST_ROUNDS'] ?? 4);
/** What the Changes view's first rows hold: the generated change names (workspaceGenerator.ts). */
const CHANGE_ROW = /change-\d{4}/;
const ACTIVATION_EVENTS = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { activationEvents: string[] }
).activationEvents;
/** The Spec Explorer's activity bar entry; VS Code 1.100 (code-server 4.100.3). */
const OPENSPEC_ACTIVITY = '.part.activitybar [aria-label^="OpenSpec"]';

/**
 * Activation and the first tree paint in the real host: code-server with the production build of the extension
 * opened on a copy of `project` in headless Chromium, as a user opens it, with the Spec Explorer's Changes view
 * shown. The extension reports its activation times itself (its API, also its log); hostProbe.ts, a bench-only
 * extension loaded beside it, measures the host thread; the page records when the first change rows painted.
 */
export async function benchCodeHost(project: string, changes: number): Promise<Row[]> {
  if (ROUNDS < 2) throw new Error('BENCH_CODEHOST_ROUNDS must be at least 2: a first start and one after it');
  const userDataDir = mkdtempSync(join(tmpdir(), 'openspec-loop-codehost-user-'));
  const all: Round[] = [];
  const profiled: Round[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) all.push(await codeHostRound(project, userDataDir));
    // Then as many later starts with the host thread profiled, which slows it a little: who held it, and how long
    // OpenSpec Loop's own code ran at a stretch.
    for (let round = 1; round < ROUNDS; round++) profiled.push(await codeHostRound(project, userDataDir, true));
  } finally {
    rmSync(userDataDir, { recursive: true, force: true });
  }
  const [first, ...rounds] = all as [Round, ...Round[]];
  const uses = (list: readonly Round[]) => [...new Set(list.map((round) => round.codeCache))].join(', ');
  if (first.codeCache !== 'absent' || uses([...rounds, ...profiled]) !== 'used') {
    throw new Error(
      `code cache: first start ${first.codeCache}, later starts ${uses([...rounds, ...profiled])}; expected absent, used`,
    );
  }
  const label = `code-server host, ${changes} changes`;
  const row = (what: string, values: readonly number[], note: string): Row => ({
    what: `${label}, later starts: ${what}`,
    value: median(values),
    unit: 'ms',
    note: [`worst of ${values.length} ${Math.max(...values).toFixed(0)} ms`, note].filter(Boolean).join('; '),
  });
  const of = (pick: (round: Round) => number) => rounds.map(pick);
  const others = [...new Set(all.flatMap((round) => round.othersActive))].sort();
  const owners = profiled.map((round) => round.activationOwners).filter((found) => found !== undefined);
  const ownRuns = owners.map((found) => found.longestRunMs[EXTENSION_ID] ?? 0);
  const late = Math.max(...of((round) => round.heartbeatLateMs));
  const firstStart = (what: string, value: number, note: string): Row => ({
    what: `${label}, first start (no code cache yet): ${what}`,
    value,
    unit: 'ms',
    note,
  });
  return [
    firstStart('compiling the bundle from source, one stretch', first.bundleCompileMs, 'one round; target < 50 ms'),
    firstStart('running the bundle, one stretch', first.bundleRunMs, 'one round; target < 50 ms'),
    firstStart('first Changes rows painted', first.paintedMs, 'one round; target < 300 ms'),
    firstStart(
      'activation + first full validation, longest block',
      first.activation.longestMs,
      'one round; target < 50 ms',
    ),
    row(
      'activate() start to return',
      of((round) => round.activatedMs),
      '',
    ),
    row(
      'compiling the bundle from the code cache, one stretch',
      of((round) => round.bundleCompileMs),
      'part of activate(); target < 50 ms',
    ),
    row(
      'running the bundle, one stretch',
      of((round) => round.bundleRunMs),
      'part of activate(); target < 50 ms',
    ),
    row(
      'composing the features, one stretch',
      of((round) => round.composeMs),
      'the rest of activate(); target < 50 ms',
    ),
    row(
      'activate() start to model ready',
      of((round) => round.modelsReadyMs),
      '',
    ),
    row(
      'activate() start to first Changes rows painted',
      of((round) => round.paintedMs),
      `view shown ${median(of((round) => round.viewShownMs)).toFixed(0)} ms after activate(); target < 300 ms`,
    ),
    ...PHASES.map((phase) =>
      row(
        `host thread, ${PHASE_NAMES[phase]}, longest block`,
        of((round) => round[phase].longestMs),
        `over ${median(of((round) => round[phase].totalMs)).toFixed(0)} ms${phase === 'activation' && late > 0 ? `, heartbeat from +${late.toFixed(0)} ms` : ''}; target < 50 ms`,
      ),
    ),
    ...PHASES.map((phase) =>
      row(
        `host thread, ${PHASE_NAMES[phase]}, longest block on a CPU (at most)`,
        of((round) => round[phase].longestCpuMs),
        "the host process's CPU time within a block; the rest of a block it waited for a core or a disk",
      ),
    ),
    {
      what: `${label}, later starts, profiled: ${PHASE_NAMES.activation}, longest block`,
      value: median(owners.map((found) => found.blockMs)),
      unit: 'ms',
      note: `sampled, by whose code: ${owners.map(ownersNote).join(' | ')}; also active: ${others.map(shortId).join(', ') || 'none'}`,
    },
    {
      what: `${label}, later starts, profiled: ${PHASE_NAMES.activation}, OpenSpec Loop's code at a stretch, longest`,
      value: median(ownRuns),
      unit: 'ms',
      note: `worst of ${ownRuns.length} ${Math.max(...ownRuns).toFixed(0)} ms, mostly in ${owners.map((found) => found.longestRunMostIn[EXTENSION_ID] ?? '-').join(' | ')}; the host's own work for it (its rows, its messages) not counted; target < 50 ms`,
    },
  ];
}

const shortId = (id: string) => (id === EXTENSION_ID ? 'OpenSpec Loop' : id.replace(/^vscode\./, ''));

/** `git 71, host 30, OpenSpec Loop 12` (ms sampled inside the block), largest first. */
function ownersNote(owners: BlockOwners): string {
  return Object.entries(owners.byOwner)
    .sort((a, b) => b[1] - a[1])
    .filter(([, ms]) => ms >= 1)
    .map(([id, ms]) => `${shortId(id)} ${ms.toFixed(0)}`)
    .join(', ');
}

const PHASES = ['activation', 'refresh', 'burst'] as const;
const PHASE_NAMES = {
  activation: 'activation + first full validation',
  refresh: 'Refresh command (every file re-read, none changed)',
  burst: `${BURST_FILES} file writes + their validation`,
} as const;

interface Round extends ProbeFigures {
  /** From activate()'s start until the Changes view was shown (the first rows cannot paint before). */
  readonly viewShownMs: number;
  readonly paintedMs: number;
}

async function codeHostRound(project: string, userDataDir: string, profiled = false): Promise<Round> {
  const scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-codehost-'));
  const probeDir = join(scratch, 'probe');
  const folder = join(scratch, 'project');
  cpSync(project, folder, { recursive: true });
  mkdirSync(probeDir);
  const extensionsDir = join(scratch, 'extensions');
  writeProbeExtension(extensionsDir);
  const server = await startCodeServer({
    extensionsDir,
    userDataDir,
    env: { [PROBE_DIR_ENV]: probeDir, ...(profiled ? { [ATTRIBUTION_ENV]: '1' } : {}) },
  });
  try {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(FIRST_ROWS_SCRIPT);
      await page.goto(server.workbenchUrl(folder, [['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)]]));
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 120_000 });
      // A user with the Spec Explorer open: the workbench opens on the file Explorer, so the view is shown first.
      // The command palette lists the commands of the moment it opens, which may be before the extension's views
      // are known; the activity bar entry appears with them.
      await page.locator(OPENSPEC_ACTIVITY).first().click({ timeout: 60_000 });
      const viewShownAt = Date.now();
      const paintedAt = await firstRowsPaintedAt(page);
      writeFileSync(join(probeDir, PAINTED_FILE), '');
      const figures = await waitFor(() => readFigures(probeDir), 'the host probe figures', 600_000, 250);
      return {
        ...figures,
        viewShownMs: viewShownAt - figures.startedAt,
        paintedMs: paintedAt - figures.startedAt,
      };
    } finally {
      await browser.close().catch(() => undefined);
    }
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- code-server ---\n${server.output()}`,
    );
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Installs the bench-only extension as a user extension: a manifest, and a main that loads the compiled
 * hostProbe.js. The workbench's payload keeps one extensionDevelopmentPath (the last), so it cannot be a second
 * one; code-server adopts extension folders it finds in a fresh extensions folder at start.
 */
function writeProbeExtension(extensionsDir: string): void {
  const dir = join(extensionsDir, `${PROBE_PUBLISHER}.${PROBE_NAME}-0.0.0`);
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: PROBE_NAME,
    publisher: PROBE_PUBLISHER,
    version: '0.0.0',
    engines: { vscode: '^1.100.0' },
    // OpenSpec Loop's own events, so that both start in the same batch (the probe, being tiny, loads first); `*`
    // alone comes up to a second after the events the workbench sent during its start.
    activationEvents: [...ACTIVATION_EVENTS, 'onView:openspecLoop.changes', '*'],
    main: './probe.js',
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  writeFileSync(
    join(dir, 'probe.js'),
    `module.exports = require(${JSON.stringify(join(__dirname, 'hostProbe.js'))});\n`,
  );
}

function readFigures(dir: string): ProbeFigures | undefined {
  const file = join(dir, FIGURES_FILE);
  if (!existsSync(file)) return undefined;
  const figures = JSON.parse(readFileSync(file, 'utf8')) as ProbeFigures | { error: string };
  if ('error' in figures) throw new Error(`the host probe failed: ${figures.error}`);
  return figures;
}

/**
 * Installed before the workbench loads: the first time a view's list holds a row naming a change, the time of
 * the next frame (after the row was laid out and painted) in epoch ms, as `window.openspecFirstRows`. Plain
 * JavaScript, run in the page. Selectors of VS Code 1.100 (code-server 4.100.3).
 */
const FIRST_ROWS_SCRIPT = `(() => {
  if (window.top !== window) return;
  const pattern = ${CHANGE_ROW.toString()};
  const hasRow = () =>
    [...document.querySelectorAll('.pane-body .monaco-list-row')].some((row) => pattern.test(row.textContent ?? ''));
  const observer = new MutationObserver(() => {
    if (!hasRow()) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => (window.openspecFirstRows = performance.timeOrigin + performance.now())));
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();`;

async function firstRowsPaintedAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction('window.openspecFirstRows', undefined, { timeout: 120_000 });
  return (await handle.jsonValue()) as number;
}
