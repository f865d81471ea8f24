/**
 * A bench-only extension that runs in code-server's extension host beside OpenSpec Loop (see codeHostBench.ts,
 * which installs it as a user extension). It activates on the events OpenSpec Loop activates on, so its heartbeat is
 * beating before OpenSpec Loop starts (heartbeatLateMs says by how much it was not), and records how long the host
 * thread was held at a stretch:
 * 1. from OpenSpec Loop's activation until its first full validation pass has published;
 * 2. the Refresh command on a folder where nothing moved: the re-read, which finds nothing to redraw or revalidate;
 * 3. a burst of file writes (watcher events) until the validation passes they cause have covered every change.
 * Phases 2 and 3 wait for the bench to say the first rows were painted, so they never overlap that measure.
 * The figures go to `$OPENSPEC_LOOP_HOST_PROBE_DIR/figures.json` (or `{ error }` there).
 */
import { existsSync, promises as fsp, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import type { ValidationPass } from '../../src/extension/diagnostics/folderValidation';
import { heldStretches, type Gap, type HeldStretch } from '../harness/eventLoopHeartbeat';
import { blockOwners, type CpuProfile } from './hostAttribution';
import { waitFor } from '../harness/poll';
import {
  ATTRIBUTION_ENV,
  BURST_FILES,
  EXTENSION_ID,
  FIGURES_FILE,
  PAINTED_FILE,
  PROBE_DIR_ENV,
  PROBE_ID,
  type ProbeFigures,
  type Stretch,
} from './hostProbeFiles';

/** Work a phase sets off without awaiting it (the tree's redraw, diagnostics reaching the workbench). */
const TAIL_MS = 500;
/** Lets the tail of activation (overlaps, tree icons) settle before Refresh, so Refresh is measured alone. */
const QUIET_MS = 1_000;

export function activate(): void {
  const dir = process.env[PROBE_DIR_ENV];
  if (!dir) return;
  const heartbeatAt = performance.timeOrigin + performance.now();
  const profiled = startProfile();
  const activation = heldStretches('timer', profiled?.gaps);
  void probe(dir, heartbeatAt, activation, profiled?.gaps).then(
    async ({ figures, activationGaps }) => {
      const profile = await profiled?.save();
      const activationOwners = profile && blockOwners(profile, activationGaps, extensionOfScript);
      writeFileSync(join(dir, FIGURES_FILE), JSON.stringify({ ...figures, activationOwners }));
    },
    (error: unknown) =>
      writeFileSync(
        join(dir, FIGURES_FILE),
        JSON.stringify({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      ),
  );
}

async function probe(
  dir: string,
  heartbeatAt: number,
  activation: () => HeldStretch,
  gaps: Gap[] | undefined,
): Promise<{ figures: ProbeFigures; activationGaps: Gap[] }> {
  const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  // Polled, not activate()d: the probe must not start OpenSpec Loop earlier than the workbench would.
  const api = await waitFor(() => extension.isActive && extension.exports, 'OpenSpec Loop to activate', 120_000, 20);
  const passes = new PassLog(api);
  try {
    const { startedAt, activatedMs } = api.activation;
    await passes.covering(0);
    const activationStretch = {
      ...activation(),
      totalMs: performance.timeOrigin + performance.now() - startedAt,
    };
    const activationGaps = [...(gaps ?? [])];
    const modelsReadyMs = await api.activation.modelsReadyMs;
    const othersActive = vscode.extensions.all
      .filter((other) => other.isActive && other.id !== EXTENSION_ID && other.id !== PROBE_ID)
      .map((other) => other.id);

    await waitFor(() => existsSync(join(dir, PAINTED_FILE)), 'the bench to see the first rows', 300_000, 100);
    // A first start writes the code cache a while after the model is ready; not during the phases below.
    await api.activation.codeCacheSaved;
    await delay(QUIET_MS);
    // Refresh re-reads every file; with nothing changed on disk it reports nothing, so it ends with the re-read.
    const refresh = await stretch(async () => {
      await vscode.commands.executeCommand('openspecLoop.refresh');
    }, gaps);

    const folder = api.models.folders[0];
    if (!folder) throw new Error('OpenSpec Loop has no model of the opened folder');
    const touched = folder.workspace.changes.slice(0, BURST_FILES).map((change) => change.id);
    const burst = await stretch(async () => {
      const since = passes.count;
      // fs.promises runs the writes on libuv's pool: the host thread sees their callbacks and the watcher's events.
      await Promise.all(
        touched.map(async (id) => {
          const file = join(folder.root, 'openspec', 'changes', id, 'tasks.md');
          await fsp.writeFile(file, (await fsp.readFile(file, 'utf8')).replace('- [ ] 2.1', '- [x] 2.1'));
        }),
      );
      await passes.covering(since, touched);
    }, gaps);
    const figures = {
      startedAt,
      activatedMs,
      modelsReadyMs,
      codeCache: api.activation.codeCache,
      bundleCompileMs: api.activation.bundleCompileMs,
      bundleRunMs: api.activation.bundleRunMs,
      composeMs: api.activation.composeMs,
      heartbeatLateMs: Math.max(0, heartbeatAt - startedAt),
      othersActive,
      activation: activationStretch,
      refresh,
      burst,
    };
    return { figures, activationGaps };
  } finally {
    passes.dispose();
  }
}

/** Runs `body` under a heartbeat that keeps beating TAIL_MS after it, for the work it set off. */
async function stretch(body: () => Promise<unknown>, gaps?: Gap[]): Promise<Stretch> {
  const held = heldStretches('timer', gaps);
  const start = performance.now();
  await body();
  const totalMs = performance.now() - start;
  await delay(TAIL_MS);
  return { ...held(), totalMs };
}

/** Every validation pass OpenSpec Loop published, from its first on (its own history is bounded). */
class PassLog {
  private readonly passes: ValidationPass[];
  private readonly subscription: vscode.Disposable;

  constructor(api: OpenSpecLoopApi) {
    this.passes = [...api.validation.recent()];
    this.subscription = api.validation.onDidValidate((pass) => this.passes.push(pass));
  }

  get count(): number {
    return this.passes.length;
  }

  /** Resolves once the passes after the first `since` include a full one or, given `changes`, cover them all. */
  async covering(since: number, changes?: readonly string[]): Promise<void> {
    const covered = (): boolean => {
      const passes = this.passes.slice(since);
      if (passes.some((pass) => pass.scope.all)) return true;
      const validated = new Set(passes.flatMap((pass) => pass.scope.changes));
      return changes !== undefined && changes.every((id) => validated.has(id));
    };
    await waitFor(covered, 'the validation passes to finish', 300_000, 20);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/**
 * The extension a script belongs to: the probe's own code (compiled in the repository's out/, which is also under
 * OpenSpec Loop's development folder), else the extension whose folder holds it.
 */
function extensionOfScript(url: string): string | undefined {
  if (url.includes('/out/test/')) return PROBE_ID;
  let owner: { id: string; length: number } | undefined;
  for (const extension of vscode.extensions.all) {
    const folder = vscode.Uri.file(extension.extensionPath).toString() + '/';
    if (url.startsWith(folder) && folder.length > (owner?.length ?? 0))
      owner = { id: extension.id, length: folder.length };
  }
  return owner?.id;
}

/**
 * With OPENSPEC_LOOP_HOST_PROFILE=<file>, profiles the host thread (a sampling CPU profile, DevTools' format) from
 * the probe's start; `save` writes it (each round overwrites it), and the heartbeats' long gaps, on the profile's
 * clock, beside it as `<file>.gaps.json`. What to read when a block is over its target: the samples inside a long
 * gap name what held the thread. With ATTRIBUTION_ENV set instead, the profile is only kept for `blockOwners`.
 */
function startProfile(): { gaps: Gap[]; save: () => Promise<CpuProfile> } | undefined {
  const file = process.env['OPENSPEC_LOOP_HOST_PROFILE'];
  if (!file && !process.env[ATTRIBUTION_ENV]) return undefined;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  const started = post('Profiler.enable')
    .then(() => post('Profiler.setSamplingInterval', { interval: 1000 }))
    .then(() => post('Profiler.start'));
  const gaps: Gap[] = [];
  const save = async () => {
    await started;
    const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    if (file) {
      writeFileSync(file, JSON.stringify(profile));
      writeFileSync(`${file}.gaps.json`, JSON.stringify(gaps));
    }
    return profile;
  };
  return { gaps, save };
}
