import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { LoopOrchestrator } from '../../core/loop/loopOrchestrator';
import type { LoopReport } from '../../core/loop/loopTypes';
import { FileJournalStore } from '../../node/journalFile';
import type { AiOutcome, AiRunner } from '../ai/aiRunner';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import { resolveChange } from '../compare/changeArgument';
import type { OpenSpecModels } from '../model/openSpecModels';
import { editorLoopHost } from './editorLoopHost';
import type { FeedbackMemory } from './feedbackMemory';
import type { LoopHistory } from './loopHistory';

export interface LoopDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
  readonly runner: AiRunner;
  readonly proposals: ProposalStore;
  readonly feedback: FeedbackMemory;
  readonly history: LoopHistory;
  /** The extension's storage for this workspace: the journal lives there, never in the user's repository. */
  readonly storageDir: string;
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
  const disposable = vscode.commands.registerCommand('openspecLoop.runLoop', async (argument?: unknown): Promise<AiOutcome<LoopReport> | undefined> => {
    await models.ready;
    const found = await resolveChange(models, argument);
    if (!found) return undefined;
    const { folder, change } = found;
    const settings = vscode.workspace.getConfiguration('openspecLoop.loop');
    const outcome = await deps.runner.run({
      title: `Improvement loop on ${change.id}`,
      key: `loop:${folder.root}:${change.id}`,
      run: (model, context) =>
        new LoopOrchestrator({ model, fs: folder.fs, root: folder.root, host: editorLoopHost(deps.proposals, deps.feedback, context.report), journalStore: journal, logger }).run(
          change.id,
          {
            maxIterations: settings.get<number>('maxIterations', 5),
            autoAccept: settings.get<boolean>('autoAccept', false),
            signal: context.signal,
            lessons: deps.feedback.lessons(),
          },
        ),
    });
    if (outcome.ok) {
      await deps.history.remember(outcome.value);
      const report = outcome.value;
      const show = report.outcome === 'converged' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      void show(`Improvement loop on ${change.id}: ${report.message}`);
    }
    return outcome;
  });
  return { journalPath, disposable };
}
