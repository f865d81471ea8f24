import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { Logger } from '../../core/logger';
import { LoopOrchestrator } from '../../core/loop/loopOrchestrator';
import type { LoopEvent, LoopReport } from '../../core/loop/loopTypes';
import { FileJournalStore } from '../../node/journalFile';
import type { AiOutcome, AiRunContext, AiRunner } from '../ai/aiRunner';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import { changeFromArgument } from '../model/changeArgument';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import type { ChatModel } from '../../core/ai/chatModel';
import { whenTrusted } from '../workspaceTrust';
import { discardRun, findInterruptedRun, type InterruptedRun } from './resumeOffer';
import { editorLoopHost } from './editorLoopHost';
import type { FeedbackMemory } from './feedbackMemory';
import type { LoopHistory } from './loopHistory';

export interface LoopDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
  /** Accepted proposals are written through it. */
  readonly writer: FileWriter;
  readonly runner: AiRunner;
  readonly proposals: ProposalStore;
  readonly feedback: FeedbackMemory;
  readonly history: LoopHistory;
  /** The extension's storage for this workspace: the journal lives there, never in the user's repository. */
  readonly storageDir: string;
  readonly workspaceState: vscode.Memento;
}

/**
 * "Run Improvement Loop": review → improve → validate until the change is clean, no iteration helps, the
 * iteration bound is reached or the user cancels. Each proposal waits for the user's Accept or Reject (or
 * is accepted by itself when `openspecLoop.loop.autoAccept` allows and it adds no validation error); every
 * step is journalled with the hashes of what it read and wrote.
 */
export function registerLoop(deps: LoopDeps): { journalPath: string; disposable: vscode.Disposable } {
  const { models, logger } = deps;
  const journalPath = path.join(deps.storageDir, 'loop-journal.jsonl');
  const journal = new FileJournalStore(journalPath);
  const settings = () => vscode.workspace.getConfiguration('openspecLoop.loop');
  // Read at each start, so a resume gets a fresh budget of the current setting.
  const timeBudget = (): { timeBudgetMs?: number } => {
    const minutes = settings().get<number>('timeBudgetMinutes', 0);
    return Number.isFinite(minutes) && minutes > 0 ? { timeBudgetMs: minutes * 60_000 } : {};
  };
  const finish = async (changeId: string, outcome: AiOutcome<LoopReport>) => {
    if (!outcome.ok) return;
    await deps.history.remember(outcome.value);
    const report = outcome.value;
    const show =
      report.outcome === 'converged' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(`Improvement loop on ${changeId}: ${report.message}`);
  };
  /**
   * Runs `body` with an orchestrator whose every step shows in the explorer's "Loop" node, which can also stop
   * it; stopping is the same as Cancel in the progress notification.
   */
  const tracked = async (
    changeId: string,
    folder: FolderModel,
    model: ChatModel,
    context: AiRunContext,
    body: (orchestrator: LoopOrchestrator, signal: AbortSignal) => Promise<LoopReport>,
  ) => {
    const stop = new AbortController();
    const host = editorLoopHost(deps.proposals, deps.feedback, deps.writer, context.report);
    let latest: LoopEvent | undefined;
    const orchestrator = new LoopOrchestrator({
      model,
      fs: folder.fs,
      root: folder.root,
      host: {
        ...host,
        onEvent: (event) => {
          host.onEvent?.(event);
          latest = event;
          deps.history.changed();
        },
      },
      journalStore: journal,
      logger,
    });
    const shown = deps.history.track(changeId, {
      get latest() {
        return latest;
      },
      iterations: () => orchestrator.iterations,
      stop: () => stop.abort(new Error('Stopped by the user')),
    });
    try {
      return await body(orchestrator, AbortSignal.any([context.signal, stop.signal]));
    } finally {
      shown.dispose();
    }
  };

  const resume = async (interrupted: InterruptedRun) => {
    const { folder, state } = interrupted;
    const outcome = await deps.runner.run({
      title: `Improvement loop on ${state.change} (resumed)`,
      key: `loop:${folder.root}:${state.change}`,
      run: (model, context) =>
        tracked(state.change, folder, model, context, (orchestrator, signal) =>
          orchestrator.resume(state, { signal, lessons: deps.feedback.lessons(folder), ...timeBudget() }),
        ),
    });
    await finish(state.change, outcome);
  };
  // Resuming runs the model, so the offer waits for a trusted workspace (and comes when trust is granted).
  const offerResume = () =>
    void models.ready.then(async () => {
      const interrupted = await findInterruptedRun(journalPath, models, deps.workspaceState, logger);
      if (!interrupted) return;
      const { state } = interrupted;
      const written =
        state.applied.length > 0
          ? ` ${state.applied.length} accepted edit(s) are already in the files and will not be applied again.`
          : '';
      const choice = await vscode.window.showInformationMessage(
        `The improvement loop on ${state.change} was interrupted in iteration ${state.iteration}.${written} Resume it?`,
        'Resume',
        'Discard',
      );
      if (choice === 'Resume') await resume(interrupted);
      if (choice === 'Discard') await discardRun(deps.workspaceState, state.runId);
    });
  const resumeOffer = whenTrusted(offerResume);

  const disposable = vscode.commands.registerCommand(
    'openspecLoop.runLoop',
    async (argument?: unknown): Promise<AiOutcome<LoopReport> | undefined> => {
      if (!deps.runner.available('Run Improvement Loop')) return undefined;
      await models.ready;
      const found = await changeFromArgument(models, argument);
      if (!found) return undefined;
      const { folder, change } = found;
      const outcome = await deps.runner.run({
        title: `Improvement loop on ${change.id}`,
        key: `loop:${folder.root}:${change.id}`,
        run: (model, context) =>
          tracked(change.id, folder, model, context, (orchestrator, signal) =>
            orchestrator.run(change.id, {
              maxIterations: settings().get<number>('maxIterations', 5),
              autoAccept: settings().get<boolean>('autoAccept', false),
              ...timeBudget(),
              signal,
              lessons: deps.feedback.lessons(folder),
            }),
          ),
      });
      await finish(change.id, outcome);
      return outcome;
    },
  );
  const stopLoop = vscode.commands.registerCommand(
    'openspecLoop.stopLoop',
    (node?: { running?: { changeId: string } }) => {
      const changeId = node?.running?.changeId;
      const running = changeId ? deps.history.running(changeId) : undefined;
      running?.stop();
      return running !== undefined;
    },
  );
  return { journalPath, disposable: vscode.Disposable.from(disposable, stopLoop, resumeOffer) };
}
