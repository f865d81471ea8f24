import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { FileSystem } from '../core/fs/fileSystem';
import type { Logger } from '../core/logger';
import { journalRuns, latestRunOf } from '../core/loop/journalRuns';
import { resumeStateNow, type ResolvedProposal, type ResumeState } from '../core/loop/resumeState';
import { acquireJournalLock, journalLockHolder, type JournalLock, type JournalLockHolder } from '../node/journalLock';
import type { RunJournals, RunLocks } from '../node/runJournals';
import { CommandRefusal } from './aiFailure';

/** The run's journal: `name` as the user sees it (for messages), `path` resolved to a native path. */
export interface JournalFile {
  readonly name: string;
  readonly path: string;
  /** How the command was told of it, to repeat in a hint: `--journal run.jsonl`, `--journal-dir .loop`. */
  readonly option: string;
}

/**
 * The run of `change` the journal holds, ready to go on: refused (exit 2, one line) when the journal is missing
 * or empty, when it holds no run of the change, or when the change's last run in it ended for good. A journal
 * may hold runs of several changes, one after the other: each change's last run is the one resumed. Files are
 * read relative to the project root, as the journal names them, so the base and applied hashes can tell what
 * was written.
 */
export async function interruptedRun(
  fs: FileSystem,
  root: string,
  journal: JournalFile,
  change: string,
): Promise<ResumeState> {
  const lines = await journalLines(journal);
  const runs = journalRuns(lines);
  const last = runs.at(-1);
  if (!last)
    throw nothingToResume(`${journal.name} holds no loop run.`, 'Give --journal the file the interrupted run wrote.');
  const run = latestRunOf(runs, change);
  if (!run) {
    const changes = [...new Set(runs.map((candidate) => candidate.change))].join(', ');
    throw new CommandRefusal(
      'otherChange',
      `${journal.name} holds no run of ${change}, only of ${changes}.`,
      `Resume one of those with "openspec-loop loop ${last.change} ${journal.option} --resume", or run ${change} without --resume.`,
    );
  }
  const state = await resumeStateNow(fs, root, lines, run.runId);
  if (!state.resumable) {
    const ending = run.ended ? `finished (${run.ended.reason})` : 'cannot be resumed';
    throw nothingToResume(
      `the last run of ${change} in ${journal.name} ${ending}.`,
      `Run without --resume to start a new run of ${change}.`,
    );
  }
  return state;
}

/**
 * The journal of the last run of `change` in a --journal-dir, for --resume: refused (exit 2) when the
 * directory holds none for this project.
 */
export async function journalInDirectory(
  journals: RunJournals,
  root: string,
  change: string,
  name: (path: string) => string,
): Promise<JournalFile> {
  const latest = latestRunOf(
    (await journals.list(root)).map((journal) => ({ ...journal.run, path: journal.path })),
    change,
  );
  if (!latest)
    throw nothingToResume(
      `${name(journals.dir)} holds no run of ${change} for this project.`,
      'Give --journal-dir the directory the interrupted run used.',
    );
  return { name: name(latest.path), path: latest.path, option: `--journal-dir ${name(journals.dir)}` };
}

/**
 * Refuses (exit 2, one line) while a live process holds the journal's lock: a second run with the same
 * journal (a --resume in another terminal while the first still runs) must not interleave with it. Reads
 * only, so the command can make its other checks before it takes the lock, and a refused command leaves
 * even a stale lock as it was.
 */
export async function refuseIfJournalInUse(journal: JournalFile): Promise<void> {
  const holder = await journalLockHolder(journal.path);
  if (holder) throw journalInUse(journal, holder);
}

/**
 * Takes the journal's lock for the rest of the command; a stale lock, left by a killed run, is taken over
 * (said with --verbose). A resume never creates the journal's folder.
 */
export async function lockJournal(journal: JournalFile, resume: boolean, logger: Logger): Promise<JournalLock> {
  let result: Awaited<ReturnType<typeof acquireJournalLock>>;
  try {
    result = await acquireJournalLock(journal.path, { createDirectory: !resume });
  } catch (error) {
    if (resume && (error as NodeJS.ErrnoException).code === 'ENOENT') throw journalMissing(journal);
    throw error;
  }
  if ('heldBy' in result) throw journalInUse(journal, result.heldBy);
  const stale = result.tookOver;
  if (stale === 'unreadable') logger.info(`took over ${journal.name}.lock: it was unreadable`);
  else if (stale)
    logger.info(`took over ${journal.name}.lock: process ${stale.pid} that held it since ${stale.startedAt} is gone`);
  return result;
}

/**
 * Takes the locks of a run in a --journal-dir: the change's, so a second run of the change on this project is
 * refused (exit 2) whichever terminal starts it, and the journal's.
 */
export async function lockRunInDirectory(
  journals: RunJournals,
  root: string,
  change: string,
  journal: JournalFile,
): Promise<RunLocks> {
  const locks = await journals.lockRun(root, change, journal.path);
  if (!('heldBy' in locks)) return locks;
  throw locks.what === 'journal' ? journalInUse(journal, locks.heldBy) : changeInUse(change, journal, locks.heldBy);
}

/** Refuses (exit 2) while another process runs `change` on this project with the same --journal-dir. Reads only. */
export async function refuseIfChangeRunning(
  journals: RunJournals,
  root: string,
  change: string,
  journal: JournalFile,
): Promise<void> {
  const holder = await journals.changeHolder(root, change);
  if (holder) throw changeInUse(change, journal, holder);
}

function changeInUse(
  change: string,
  journal: JournalFile,
  { pid, host, startedAt }: JournalLockHolder,
): CommandRefusal {
  const who = host === hostname() ? `process ${pid}` : `process ${pid} on ${host}`;
  return new CommandRefusal(
    'runInProgress',
    `another openspec-loop run of ${change} is going on this project with ${journal.option} (${who}, since ${startedAt});`,
    'wait for it to end: one run per change at a time.',
  );
}

function journalInUse(journal: JournalFile, { pid, host, startedAt }: JournalLockHolder): CommandRefusal {
  const who = host === hostname() ? `process ${pid}` : `process ${pid} on ${host}`;
  return new CommandRefusal(
    'journalInUse',
    `another openspec-loop run is using ${journal.name} (${who}, since ${startedAt});`,
    `wait for it to end, or delete ${journal.name}.lock if that process is gone.`,
  );
}

/** What the resume starts from, in one line: what is never written again, what went stale, what is still to do. */
export function resumeLine(state: ResumeState): string {
  const parts = [`resuming run ${state.runId} of ${state.change} in iteration ${state.iteration}`];
  parts.push(
    state.applied.length > 0 ? `already written, not written again: ${files(state.applied)}` : 'nothing written yet',
  );
  if (state.stale.length > 0) parts.push(`changed since proposed, not written: ${files(state.stale)}`);
  // The resume acts only on the proposals of the interrupted iteration, once its review was journalled.
  const acted = state.pending.filter((pending) => state.reviewComplete && pending.iteration === state.iteration);
  const accepted = acted.filter((pending) => pending.decision !== undefined);
  const undecided = acted.filter((pending) => pending.decision === undefined);
  if (accepted.length > 0) parts.push(`accepted, written now: ${files(accepted.map((pending) => pending.proposal))}`);
  if (undecided.length > 0)
    parts.push(`proposed, decided again: ${files(undecided.map((pending) => pending.proposal))}`);
  return parts.join('; ');
}

async function journalLines(journal: JournalFile): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(journal.path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw journalMissing(journal);
  }
  return text.split('\n').filter((line) => line.trim() !== '');
}

function journalMissing(journal: JournalFile): CommandRefusal {
  return nothingToResume(`${journal.name} does not exist.`, 'Give --journal the file the interrupted run wrote.');
}

function nothingToResume(why: string, hint: string): CommandRefusal {
  return new CommandRefusal('nothingToResume', `nothing to resume: ${why}`, hint);
}

function files(proposals: ReadonlyArray<Pick<ResolvedProposal, 'file'>>): string {
  return [...new Set(proposals.map((proposal) => proposal.file))].join(', ');
}
