import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJournal } from '../core/loop/journalEntries';
import {
  changeLockBase,
  folderKey,
  journalRuns,
  latestRunOf,
  runJournalName,
  type JournalledRun,
} from '../core/loop/journalRuns';
import { FileJournalStore } from './journalFile';
import { acquireJournalLock, journalLockHolder, type JournalLock, type JournalLockHolder } from './journalLock';

/** One run and the journal file it is in. */
export interface RunJournal {
  readonly path: string;
  readonly lines: readonly string[];
  readonly run: JournalledRun;
}

/** The locks a run holds while it goes on: its change's (one run per change per folder) and its journal's. */
export interface RunLocks {
  release(): Promise<void>;
}

/** Why a run could not take its locks: who holds which. */
export interface RunLocksRefused {
  readonly heldBy: JournalLockHolder;
  /** `change`: another run of the change in this folder is going; `journal`: another process uses the journal. */
  readonly what: 'change' | 'journal';
}

/**
 * A directory of loop journals, one file per run: `<dir>/<folder-key>/<change>-<runId>.jsonl`, where the
 * folder key is the project folder's name and a hash of its path. Runs never share a file, so two runs never
 * interleave, and every run of every change can be found again. The extension keeps one in its storage for the
 * workspace; `openspec-loop loop --journal-dir` uses the same layout.
 */
export class RunJournals {
  constructor(
    /** A native path. */
    readonly dir: string,
  ) {}

  /** The journal of a new run. */
  pathFor(root: string, change: string, runId: string): string {
    return join(this.folderDir(root), runJournalName(change, runId));
  }

  /** Every run journalled for the project folder `root`, each with its file. */
  async list(root: string): Promise<RunJournal[]> {
    let names: string[];
    try {
      names = await readdir(this.folderDir(root));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const journals: RunJournal[] = [];
    for (const name of names.filter((candidate) => candidate.endsWith('.jsonl')).sort()) {
      const path = join(this.folderDir(root), name);
      const lines = await new FileJournalStore(path).readAll();
      for (const run of journalRuns(lines)) journals.push({ path, lines, run });
    }
    return journals;
  }

  /** The run of each change started last: an older run of a change was superseded when the newer one started. */
  async latestRuns(root: string): Promise<RunJournal[]> {
    const journals = await this.list(root);
    const changes = [...new Set(journals.map((journal) => journal.run.change))];
    return changes.flatMap((change) => {
      const latest = latestRunOf(
        journals.map((journal) => ({ ...journal.run, journal })),
        change,
      );
      return latest ? [latest.journal] : [];
    });
  }

  /** The live process running `change` in the project folder `root`, if any. */
  changeHolder(root: string, change: string): Promise<JournalLockHolder | undefined> {
    return journalLockHolder(this.changeLockPath(root, change));
  }

  /**
   * Takes the locks of a run of `change` in `root` that journals to `journalPath`: the change's first, so a
   * second run of the change in this folder is refused whichever process starts it, then the journal's, which
   * `openspec-loop loop --journal <file>` takes too. A lock left by a process that died is taken over.
   */
  async lockRun(root: string, change: string, journalPath: string): Promise<RunLocks | RunLocksRefused> {
    const changeLock = await acquireJournalLock(this.changeLockPath(root, change), { createDirectory: true });
    if ('heldBy' in changeLock) return { heldBy: changeLock.heldBy, what: 'change' };
    let journalLock: JournalLock | { heldBy: JournalLockHolder };
    try {
      journalLock = await acquireJournalLock(journalPath, { createDirectory: true });
    } catch (error) {
      await changeLock.release();
      throw error;
    }
    if ('heldBy' in journalLock) {
      await changeLock.release();
      return { heldBy: journalLock.heldBy, what: 'journal' };
    }
    const held = journalLock;
    return {
      release: async () => {
        await held.release();
        await changeLock.release();
      },
    };
  }

  /** Forgets a run: its journal is removed (under its locks, so never while another process goes on with it). */
  async discard(root: string, change: string, journalPath: string): Promise<RunLocksRefused | undefined> {
    const locks = await this.lockRun(root, change, journalPath);
    if ('heldBy' in locks) return locks;
    try {
      await rm(journalPath, { force: true });
    } finally {
      await locks.release();
    }
    return undefined;
  }

  /**
   * Moves the interrupted run of a journal from before each run had its own file into this layout, once: that
   * file held every run of the workspace, and only its last run could still be resumed. `rootOf` names the
   * project folder of a change (undefined: no open folder has it, and the file waits for a later start);
   * `discarded` tells the runs the user chose not to resume. The old file is removed afterwards.
   */
  async adoptLegacyJournal(
    legacyPath: string,
    rootOf: (change: string) => string | undefined,
    discarded: (runId: string) => boolean,
  ): Promise<void> {
    const lines = await new FileJournalStore(legacyPath).readAll();
    if (lines.length === 0) return;
    const lastRunId = parseJournal(lines).at(-1)?.run;
    const last = journalRuns(lines).find((run) => run.runId === lastRunId);
    if (last && last.ended === undefined && !discarded(last.runId)) {
      const root = rootOf(last.change);
      if (root === undefined) return;
      const target = this.pathFor(root, last.change, last.runId);
      // A copy cut short by a crash is made again from the start: the old file goes only once the copy is whole.
      await rm(target, { force: true });
      const store = new FileJournalStore(target);
      for (const line of lines) if (parseJournal([line])[0]?.run === last.runId) await store.append(line);
    }
    await rm(legacyPath, { force: true });
  }

  private folderDir(root: string): string {
    return join(this.dir, folderKey(root));
  }

  private changeLockPath(root: string, change: string): string {
    return join(this.folderDir(root), changeLockBase(change));
  }
}
