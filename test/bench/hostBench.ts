import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pause } from '../../src/core/async/timeSlices';
import { findChangeOverlaps, findChangeOverlapsInSlices } from '../../src/core/archive/changeOverlaps';
import { locateItemIssues } from '../../src/core/diagnostics/locateIssues';
import type { Finding } from '../../src/core/diagnostics/locatedFinding';
import { OverlayFileSystem } from '../../src/core/fs/overlayFileSystem';
import { checkChange } from '../../src/core/lint/changeChecks';
import type { OpenSpecWorkspace } from '../../src/core/openspec/model';
import { WorkspaceModel } from '../../src/core/openspec/workspaceModel';
import { makeRoot } from '../../src/core/validation/projectRoot';
import { validateItems, type ValidationSelection } from '../../src/core/validation/validateItems';
import { eventLoopPause } from '../../src/node/eventLoopPause';
import { NodeFileSystem, toPosix } from '../../src/node/nodeFileSystem';
import { median, type Row } from './table';
import { eventLoopHeartbeat } from '../harness/eventLoopHeartbeat';

/** How many watcher events the burst row applies, as a checkout or a generator produces. */
const BURST = 200;

/**
 * What the extension host thread does at `changes` changes (`root`), in plain Node, with and without the
 * host's pause: the model load on activation, the full validation pass (validate, place every issue, lint
 * every change), a Refresh, and a burst of file events with the pass it causes. Each row reports the longest
 * stretch the thread was held (the widest gap between two turns of a setImmediate heartbeat) and the total.
 * The Problems panel's own work (vscode.Diagnostic objects) is stood in for by grouping findings by file.
 */
export async function benchHost(root: string, changes: number): Promise<Row[]> {
  const modes = [
    ['unsliced', undefined],
    ['sliced', eventLoopPause()],
  ] as const;
  // A first round warms the JIT up; then the modes alternate, so a noisy neighbour slows both alike.
  for (const [, pause] of modes) await hostRound(root, pause);
  const rounds: Record<string, Figure[][]> = { unsliced: [], sliced: [] };
  for (let round = 0; round < ROUNDS; round++)
    for (const [label, pause] of modes) rounds[label]?.push(await hostRound(root, pause));
  const rows: Row[] = [];
  for (const [label] of modes) {
    const figures = rounds[label] ?? [];
    STEPS.forEach((what, step) => {
      const longest = median(figures.map((round) => round[step]?.longestMs ?? 0));
      const worst = Math.max(...figures.map((round) => round[step]?.longestMs ?? 0));
      const total = median(figures.map((round) => round[step]?.totalMs ?? 0));
      rows.push({
        what: `host thread, ${changes} changes, ${label}: ${what}, longest block`,
        value: longest,
        unit: 'ms',
        note: `worst of ${figures.length} ${worst.toFixed(0)} ms; total ${total.toFixed(0)} ms; target < 50 ms`,
      });
    });
  }
  return rows;
}

const ROUNDS = 5;
const STEPS = [
  'model load (activation)',
  'full validation + issue location + lint (start, Refresh)',
  'model refresh (Refresh command)',
  `${BURST} file events + their validation pass`,
  'change overlaps, before their per-change publish',
] as const;

/** One run of every step in STEPS over a fresh model, in that order. */
async function hostRound(root: string, pause: Pause | undefined): Promise<Figure[]> {
  const posixRoot = toPosix(root);
  const fs = new OverlayFileSystem(new NodeFileSystem(), { textOf: () => undefined, paths: () => [] });
  let model: WorkspaceModel | undefined;
  const load = await measure(async () => (model = await WorkspaceModel.load(fs, posixRoot, pause)));
  if (!model) throw new Error(`no openspec/ folder under ${root}`);
  const live = model;
  const pass = (selection: ValidationSelection) => validationPass(fs, posixRoot, live.workspace, selection, pause);
  const full = await measure(() => pass({ kind: 'bulk', changes: true, specs: true }));
  const refresh = await measure(() => live.refresh());
  const touched = live.workspace.changes.slice(0, BURST).map((change) => change.id);
  const burst = await measure(async () => {
    for (const id of touched) {
      await pause?.();
      const file = join(posixRoot, 'openspec', 'changes', id, 'tasks.md');
      live.updateDocument(file, await fs.readFile(file));
    }
    await pass({ kind: 'items', names: touched, type: 'change' });
  });
  const overlaps = await measure(async () =>
    pause ? findChangeOverlapsInSlices(live.workspace, pause) : findChangeOverlaps(live.workspace),
  );
  return [load, full, refresh, burst, overlaps];
}

/** FolderValidation.run without the editor: validate, place each item's issues, lint every change. */
async function validationPass(
  fs: OverlayFileSystem,
  root: string,
  workspace: OpenSpecWorkspace,
  selection: ValidationSelection,
  pause: Pause | undefined,
): Promise<number> {
  const published = new Map<string, Map<string, Finding[]>>();
  const publish = (key: string, findings: readonly Finding[]) => {
    const byFile = new Map<string, Finding[]>();
    for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
    published.set(key, byFile);
  };
  const { items } = await validateItems(fs, makeRoot(root, 'nearest'), selection, pause ? { pause } : {});
  for (const item of items) {
    await pause?.();
    publish(`${item.type}:${item.id}`, locateItemIssues(item, workspace));
  }
  for (const change of workspace.changes) {
    await pause?.();
    publish(`lint:${change.id}`, checkChange(change, workspace.specs));
  }
  return published.size;
}

interface Figure {
  longestMs: number;
  totalMs: number;
}

/** Runs `body` while a setImmediate heartbeat records the widest gap between two event-loop turns. */
async function measure(body: () => Promise<unknown>): Promise<Figure> {
  const longest = eventLoopHeartbeat();
  const start = performance.now();
  await body();
  const totalMs = performance.now() - start;
  return { longestMs: longest(), totalMs };
}
