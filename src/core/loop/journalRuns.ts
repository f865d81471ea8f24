import { sha256 } from '../hash';
import { parseJournal, type JournalEntry } from './journalEntries';
import type { LoopOutcome, LoopReason } from './loopTypes';

/** The folder, under a journal directory, that holds one journal per run: `<folder-key>/<change>-<runId>.jsonl`. */
export const RUN_JOURNALS_FOLDER = 'loop-journals';

/** What a journal tells of one of its runs, without replaying it. */
export interface JournalledRun {
  readonly runId: string;
  readonly change: string;
  /** When the run was first started (ISO 8601, the journal's clock). */
  readonly startedAt: string;
  /** The time of its last line: for an interrupted run, about when it was cut off. */
  readonly lastAt: string;
  /** The last iteration it reached. */
  readonly iteration: number;
  /** How it ended, when its last line says so; undefined for a run cut off by a crash, a kill or a reload. */
  readonly ended?: { readonly outcome: LoopOutcome; readonly reason: LoopReason; readonly message: string };
}

const FINAL_REASONS: ReadonlySet<LoopReason> = new Set(['converged', 'noImprovement', 'maxIterations']);

/** Converged, stopped improving or reached its limit: such a run is never resumed. */
export function isFinalReason(reason: LoopReason): boolean {
  return FINAL_REASONS.has(reason);
}

/** Whether `run` ended for good; a run that was cancelled, failed or ran out of time may be resumed. */
export function endedForGood(run: JournalledRun): boolean {
  return run.ended !== undefined && isFinalReason(run.ended.reason);
}

/**
 * The runs a journal holds, in the order they first appear. A journal written before each run had its own file
 * holds several; one of the per-run layout holds one.
 */
export function journalRuns(lines: readonly string[]): JournalledRun[] {
  const byRun = new Map<string, JournalEntry[]>();
  for (const entry of parseJournal(lines)) {
    const entries = byRun.get(entry.run);
    if (entries) entries.push(entry);
    else byRun.set(entry.run, [entry]);
  }
  return [...byRun.entries()].flatMap(([runId, entries]) => {
    const first = entries[0];
    const last = entries.at(-1);
    if (!first || !last) return [];
    return [
      {
        runId,
        change: first.change,
        startedAt: first.at,
        lastAt: last.at,
        iteration: Math.max(1, ...entries.map((entry) => entry.iteration)),
        ...(last.event === 'finished'
          ? { ended: { outcome: last.outcome, reason: last.reason, message: last.message } }
          : {}),
      },
    ];
  });
}

/** The run of `change` started last, if any: an older one was superseded when the newer one started. */
export function latestRunOf<T extends JournalledRun>(runs: readonly T[], change: string): T | undefined {
  let latest: T | undefined;
  for (const run of runs)
    if (run.change === change && (latest === undefined || run.startedAt >= latest.startedAt)) latest = run;
  return latest;
}

/**
 * The name of a project folder's journal folder: readable (the folder's name) and unique (a hash of its path),
 * so the same change id in two workspace folders never shares a journal.
 */
export function folderKey(root: string): string {
  const name =
    root
      .split('/')
      .filter((part) => part !== '')
      .at(-1) ?? 'root';
  return `${safeName(name)}-${sha256(root).slice(0, 12)}`;
}

/** The file name of one run's journal in its folder's journal folder. */
export function runJournalName(change: string, runId: string): string {
  return `${safeName(change)}-${safeName(runId)}.jsonl`;
}

/**
 * What the lock of a change's runs in its folder's journal folder is named after: `<change>.lock` says which
 * process runs the change now.
 */
export function changeLockBase(change: string): string {
  return safeName(change);
}

/** Change ids follow OpenSpec's kebab-case; anything else a folder may be named is kept out of the path. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
}
