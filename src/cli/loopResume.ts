import { readFile } from 'node:fs/promises';
import { posix as path } from 'node:path';
import type { FileSystem } from '../core/fs/fileSystem';
import { parseJournal } from '../core/loop/journalEntries';
import { journalledFiles, resumeState, type ResolvedProposal, type ResumeState } from '../core/loop/resumeState';
import { CommandRefusal } from './aiFailure';

/** The --journal file: `name` as the user wrote it (for messages), `path` resolved to a native path. */
export interface JournalFile {
  readonly name: string;
  readonly path: string;
}

/**
 * The run the journal ends with, ready to go on: refused (exit 2, one line) when the journal is missing or
 * empty, when its last run is of another change, or when that run ended for good. Files are read relative
 * to the project root, as the journal names them, so the base and applied hashes can tell what was written.
 */
export async function interruptedRun(fs: FileSystem, root: string, journal: JournalFile, change: string): Promise<ResumeState> {
  const lines = await journalLines(journal);
  const last = parseJournal(lines).at(-1);
  if (!last) throw nothingToResume(`${journal.name} holds no loop run.`, 'Give --journal the file the interrupted run wrote.');
  if (last.change !== change) {
    throw new CommandRefusal(
      'otherChange',
      `the last run in ${journal.name} is for change ${last.change}, not ${change}.`,
      `Resume it with "openspec-loop loop ${last.change} --journal ${journal.name} --resume", or run ${change} without --resume.`,
    );
  }
  const currentTexts: Record<string, string | undefined> = {};
  for (const file of journalledFiles(lines)) currentTexts[file] = await fs.readFile(path.join(root, file)).catch(() => undefined);
  const state = resumeState(lines, currentTexts);
  if (!state.resumable) {
    const ending = last.event === 'finished' ? `finished (${last.reason})` : 'cannot be resumed';
    throw nothingToResume(`the last run in ${journal.name} ${ending}.`, `Run without --resume to start a new run of ${change}.`);
  }
  return state;
}

/** What the resume starts from, in one line: what is never written again, what went stale, what is still to do. */
export function resumeLine(state: ResumeState): string {
  const parts = [`resuming run ${state.runId} of ${state.change} in iteration ${state.iteration}`];
  parts.push(state.applied.length > 0 ? `already written, not written again: ${files(state.applied)}` : 'nothing written yet');
  if (state.stale.length > 0) parts.push(`changed since proposed, not written: ${files(state.stale)}`);
  // The resume acts only on the proposals of the interrupted iteration, once its review was journalled.
  const acted = state.pending.filter((pending) => state.reviewComplete && pending.iteration === state.iteration);
  const accepted = acted.filter((pending) => pending.decision !== undefined);
  const undecided = acted.filter((pending) => pending.decision === undefined);
  if (accepted.length > 0) parts.push(`accepted, written now: ${files(accepted.map((pending) => pending.proposal))}`);
  if (undecided.length > 0) parts.push(`proposed, decided again: ${files(undecided.map((pending) => pending.proposal))}`);
  return parts.join('; ');
}

async function journalLines(journal: JournalFile): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(journal.path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw nothingToResume(`${journal.name} does not exist.`, 'Give --journal the file the interrupted run wrote.');
  }
  return text.split('\n').filter((line) => line.trim() !== '');
}

function nothingToResume(why: string, hint: string): CommandRefusal {
  return new CommandRefusal('nothingToResume', `nothing to resume: ${why}`, hint);
}

function files(proposals: ReadonlyArray<Pick<ResolvedProposal, 'file'>>): string {
  return [...new Set(proposals.map((proposal) => proposal.file))].join(', ');
}
