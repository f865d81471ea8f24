import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { Logger } from '../../core/logger';
import { RUN_JOURNALS_FOLDER } from '../../core/loop/journalRuns';
import { describeRunningLoop, type RunningLoop } from '../../core/loop/runningLoops';
import { RunJournals } from '../../node/runJournals';
import type { AiRunner } from '../ai/aiRunner';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import { changeFromArgument } from '../model/changeArgument';
import type { OpenSpecModels } from '../model/openSpecModels';
import { inBackground } from '../background';
import { whenTrusted } from '../workspaceTrust';
import { EditorLoopRuns, type LoopCommandResult } from './editorLoopRuns';
import type { FeedbackMemory } from './feedbackMemory';
import type { LoopHistory } from './loopHistory';
import { findInterruptedRuns, offerToResume, pickRuns, type InterruptedRun } from './resumeOffer';

export interface LoopDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
  /** Accepted proposals are written through it. */
  readonly writer: FileWriter;
  readonly runner: AiRunner;
  readonly proposals: ProposalStore;
  readonly feedback: FeedbackMemory;
  readonly history: LoopHistory;
  /** The extension's storage for this workspace: the journals live there, never in the user's repository. */
  readonly storageDir: string;
  readonly workspaceState: vscode.Memento;
}

/** What tests and other extensions reach of the loop. */
export interface LoopHandle {
  /** The folder of the run journals: `<folder-key>/<change>-<runId>.jsonl`. */
  readonly journalsDir: string;
  /** The interrupted runs as the resume offer would list them now. */
  interrupted(): Promise<InterruptedRun[]>;
  /** What clicking Resume on an offered run does. */
  resume(run: InterruptedRun): Promise<LoopCommandResult>;
}

/** The journal every run shared before each had its own; its interrupted run is moved into the new layout. */
const LEGACY_JOURNAL = 'loop-journal.jsonl';
const LEGACY_DISCARDED_KEY = 'openspecLoop.discardedLoopRuns';
const RUNNING_CONTEXT = 'openspecLoop.loopRunning';

/**
 * "Run Improvement Loop": review → improve → validate until the change is clean, no iteration helps, the
 * iteration bound is reached or the user cancels, one run per change per folder. Each proposal waits for the
 * user's Accept or Reject (or is accepted by itself when `openspecLoop.loop.autoAccept` allows and it adds no
 * validation error); every step of a run is journalled in the run's own file. On activation, every
 * interrupted run is offered in one notification.
 */
export function registerLoop(deps: LoopDeps): { handle: LoopHandle; disposable: vscode.Disposable } {
  const { models, logger } = deps;
  const journals = new RunJournals(path.join(deps.storageDir, RUN_JOURNALS_FOLDER));
  const settings = () => vscode.workspace.getConfiguration('openspecLoop.loop');
  const runs = new EditorLoopRuns({
    ...deps,
    journals,
    settings: () => ({
      maxIterations: settings().get<number>('maxIterations', 5),
      autoAccept: settings().get<boolean>('autoAccept', false),
    }),
    timeBudget: () => {
      const minutes = settings().get<number>('timeBudgetMinutes', 0);
      return Number.isFinite(minutes) && minutes > 0 ? { timeBudgetMs: minutes * 60_000 } : {};
    },
  });
  const interrupted = () => findInterruptedRuns(journals, models, logger);
  const choices = {
    // Each in parallel, as the user would start them: different changes never wait for each other.
    resume: async (picked: readonly InterruptedRun[]) =>
      void (await Promise.all(picked.map((run) => runs.resume(run)))),
    discard: async (picked: readonly InterruptedRun[]) => {
      for (const run of picked) {
        const refused = await journals.discard(run.folder.root, run.run.change, run.journalPath);
        if (refused) logger.info(`Not discarded: process ${refused.heldBy.pid} goes on with ${run.journalPath}`);
      }
    },
  };

  // Resuming runs the model, so the offer waits for a trusted workspace (and comes when trust is granted).
  const offerResume = () =>
    inBackground(logger, 'offering the interrupted improvement loops', async () => {
      await models.ready;
      const legacy = path.join(deps.storageDir, LEGACY_JOURNAL);
      const discarded = deps.workspaceState.get<string[]>(LEGACY_DISCARDED_KEY, []);
      await journals
        .adoptLegacyJournal(
          legacy,
          (change) => models.folders.find((folder) => folder.workspace.changes.some((c) => c.id === change))?.root,
          (runId) => discarded.includes(runId),
        )
        .catch((error: unknown) =>
          logger.warn(`The old improvement loop journal could not be moved: ${String(error)}`),
        );
      await offerToResume(await interrupted(), choices);
    });

  const updateRunning = () =>
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, deps.history.runs.all().length > 0);
  const disposable = vscode.Disposable.from(
    whenTrusted(offerResume),
    deps.history.onDidChange(updateRunning),
    vscode.commands.registerCommand(
      'openspecLoop.runLoop',
      async (argument?: unknown): Promise<LoopCommandResult | undefined> => {
        if (!deps.runner.available('Run Improvement Loop')) return undefined;
        await models.ready;
        const found = await changeFromArgument(models, argument);
        return found ? runs.start(found.folder, found.change.id) : undefined;
      },
    ),
    vscode.commands.registerCommand('openspecLoop.stopLoop', async (node?: unknown) => {
      const running = await runningFor(deps, node);
      running?.stop();
      return running !== undefined;
    }),
    vscode.commands.registerCommand('openspecLoop.resumeLoop', async () => {
      if (!deps.runner.available('Resume Interrupted Improvement Loop')) return;
      await models.ready;
      const found = await interrupted();
      if (found.length === 0) {
        void vscode.window.showInformationMessage('No interrupted improvement loop to resume.');
        return;
      }
      const picked = found.length === 1 ? found : await pickRuns(found);
      await choices.resume(picked);
    }),
  );
  return {
    handle: { journalsDir: journals.dir, interrupted, resume: (run) => runs.resume(run) },
    disposable,
  };
}

/**
 * The running loop a Stop means: the tree node's (its folder and change), else the only one running, else the
 * one the user picks.
 */
async function runningFor(deps: LoopDeps, node: unknown): Promise<RunningLoop | undefined> {
  const all = deps.history.runs.all();
  const target = node as { folder?: { root?: unknown }; running?: { changeId?: unknown } } | undefined;
  const root = target?.folder?.root;
  const changeId = target?.running?.changeId;
  if (typeof root === 'string' && typeof changeId === 'string') return deps.history.runs.get(root, changeId);
  if (all.length <= 1) return all[0];
  const folderName = (loop: RunningLoop) =>
    deps.models.folders.find((folder) => folder.root === loop.root)?.folder.name ?? loop.root;
  const picked = await vscode.window.showQuickPick(
    all.map((loop) => ({ label: loop.change, description: folderName(loop), detail: describeRunningLoop(loop), loop })),
    { title: 'Stop which improvement loop?' },
  );
  return picked?.loop;
}
