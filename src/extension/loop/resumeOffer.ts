import * as vscode from 'vscode';
import { endedForGood, journalRuns, latestRunOf, type JournalledRun } from '../../core/loop/journalRuns';
import { resumeStateNow, type ResumeState } from '../../core/loop/resumeState';
import type { Logger } from '../../core/logger';
import { FileJournalStore } from '../../node/journalFile';
import type { RunJournals } from '../../node/runJournals';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { errorMessage } from '../../core/errorMessage';
import { compareText } from '../../core/compareText';

/** A run that was cut off (the window closed or crashed mid-loop), as found when it was offered. */
export interface InterruptedRun {
  readonly folder: FolderModel;
  readonly journalPath: string;
  readonly run: JournalledRun;
  /** How it would resume as found; Resume reads the journal and the files again. */
  readonly state: ResumeState;
}

/**
 * Every run cut off in the middle, in every folder, newest first: the last run of each change whose journal
 * does not end with how it finished. A run that finished, even by Cancel, a run superseded by a newer run of its
 * change, a run another window or the CLI is going on with, and a run of a change that is gone are not offered.
 */
export async function findInterruptedRuns(
  journals: RunJournals,
  models: OpenSpecModels,
  logger: Logger,
): Promise<InterruptedRun[]> {
  const found: InterruptedRun[] = [];
  for (const folder of models.folders) {
    for (const journal of await journals.latestRuns(folder.root)) {
      const { run } = journal;
      if (run.ended || !folder.workspace.changes.some((change) => change.id === run.change)) continue;
      if (await journals.changeHolder(folder.root, run.change)) continue;
      try {
        const state = await resumeStateNow(folder.fs, folder.root, journal.lines, run.runId);
        if (state.resumable) found.push({ folder, journalPath: journal.path, run, state });
      } catch (error) {
        logger.warn(
          `The improvement loop journal ${journal.path} could not be read for a resume: ${errorMessage(error)}`,
        );
      }
    }
  }
  return found.sort((a, b) => compareText(b.run.lastAt, a.run.lastAt));
}

/**
 * The run's resume state from its journal and the files as they are now, or the sentence that says why it is
 * no longer resumable: what the user sees when an offer went stale before they clicked Resume.
 */
export async function recheckRun(journals: RunJournals, offered: InterruptedRun): Promise<ResumeState | string> {
  const { folder } = offered;
  const where = `${offered.run.change} in ${folder.folder.name}`;
  const lines = await new FileJournalStore(offered.journalPath).readAll();
  const run = journalRuns(lines).find((candidate) => candidate.runId === offered.run.runId);
  if (!run)
    return `The interrupted improvement loop on ${where} is gone: its journal was removed (discarded in another window?). Nothing was resumed.`;
  if (!folder.workspace.changes.some((change) => change.id === run.change))
    return `The change ${run.change} is no longer in ${folder.folder.name} (archived or removed): its interrupted improvement loop cannot be resumed.`;
  if (run.ended && endedForGood(run))
    return `The improvement loop on ${where} has ended since it was offered (${run.ended.message}): it is not resumed again.`;
  const latest = latestRunOf(
    (await journals.list(folder.root)).map((journal) => journal.run),
    run.change,
  );
  if (latest && latest.runId !== run.runId)
    return `A newer improvement loop on ${where} was started at ${when(latest.startedAt)}: the interrupted one is superseded and was not resumed.`;
  const state = await resumeStateNow(folder.fs, folder.root, lines, run.runId);
  return state.resumable
    ? state
    : `The improvement loop on ${where} cannot be resumed: its journal holds nothing to go on from.`;
}

/** What happens to the runs the user picks. */
export interface ResumeChoices {
  resume(runs: readonly InterruptedRun[]): Promise<void>;
  discard(runs: readonly InterruptedRun[]): Promise<void>;
}

/** One notification for every interrupted run: Resume / Discard for one, a pick list for several. */
export async function offerToResume(runs: readonly InterruptedRun[], choices: ResumeChoices): Promise<void> {
  const [only] = runs;
  if (!only) return;
  if (runs.length === 1) {
    const choice = await vscode.window.showInformationMessage(
      `The improvement loop on ${only.run.change} in ${only.folder.folder.name} was interrupted in iteration ${only.run.iteration} (${when(only.run.lastAt)}).${consequences(only.state)} Resume it?`,
      'Resume',
      'Discard',
    );
    if (choice === 'Resume') await choices.resume(runs);
    if (choice === 'Discard') await choices.discard(runs);
    return;
  }
  const list = runs.map(
    (run) => `${run.run.change} in ${run.folder.folder.name} (iteration ${run.run.iteration}, ${when(run.run.lastAt)})`,
  );
  const choice = await vscode.window.showInformationMessage(
    `${runs.length} improvement loops were interrupted: ${list.join('; ')}. Resume them?`,
    'Resume…',
    'Discard All',
  );
  if (choice === 'Resume…') {
    const picked = await pickRuns(runs);
    if (picked.length > 0) await choices.resume(picked);
  }
  if (choice === 'Discard All') await choices.discard(runs);
}

/** The interrupted runs to resume, all checked to start with. */
export async function pickRuns(runs: readonly InterruptedRun[]): Promise<InterruptedRun[]> {
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({
      label: run.run.change,
      description: run.folder.folder.name,
      detail: `interrupted in iteration ${run.run.iteration}, ${when(run.run.lastAt)}.${consequences(run.state)}`,
      picked: true,
      run,
    })),
    { title: 'Resume which interrupted improvement loops?', canPickMany: true, ignoreFocusOut: true },
  );
  return (picked ?? []).map((item) => item.run);
}

/** What a resume will not do again and what it will drop, as found now. */
function consequences(state: ResumeState): string {
  const written =
    state.applied.length > 0
      ? ` ${state.applied.length} accepted edit(s) are already in the files and will not be applied again.`
      : '';
  const stale =
    state.stale.length > 0
      ? ` ${state.stale.length} proposal(s) whose file changed since will be dropped and proposed afresh.`
      : '';
  return `${written}${stale}`;
}

function when(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toLocaleString();
}
