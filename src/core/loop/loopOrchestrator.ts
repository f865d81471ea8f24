import { randomUUID } from 'node:crypto';
import type { ChatModel } from '../ai/chatModel';
import type { FileSystem } from '../fs/fileSystem';
import type { Logger } from '../logger';
import { loopEnding, type LoopEnding } from './loopEnding';
import { runIteration, validateAfterEdits } from './loopIteration';
import { LoopJournal, MemoryJournalStore, type JournalStore } from './loopJournal';
import { LoopRun } from './loopRun';
import type { IterationRecord, LoopHost, LoopReport, LoopStep } from './loopTypes';
import { decideAndApply } from './proposalStep';
import type { ResumeState } from './resumeState';

export interface LoopDependencies {
  readonly model: ChatModel;
  readonly fs: FileSystem;
  /** The project folder (the one containing `openspec/`). */
  readonly root: string;
  readonly host: LoopHost;
  /** Where transitions are journalled; a memory store when absent (such a run cannot be resumed). */
  readonly journalStore?: JournalStore;
  /** Milliseconds since the epoch, for journal timestamps. */
  readonly now?: () => number;
  readonly newRunId?: () => string;
  readonly logger?: Logger;
}

export interface LoopOptions {
  /** Review rounds at most (default 5); a resumed run keeps its own unless this is given. */
  readonly maxIterations?: number;
  /** Accept proposals that add no validation errors without asking (the `openspecLoop.loop.autoAccept` setting). */
  readonly autoAccept?: boolean;
  /** Stop: the loop ends `stopped`/`cancelled` with every file as of the last accepted step. */
  readonly signal?: AbortSignal;
  /** Learned instructions passed to every review. */
  readonly lessons?: readonly string[];
  /**
   * Wall-clock budget in milliseconds, counted from this call (a resumed run gets a fresh one). Once spent, the
   * loop stops at the next step boundary (before a review or a proposal), never between a decision and its write.
   */
  readonly timeBudgetMs?: number;
}

export const DEFAULT_MAX_ITERATIONS = 5;
/** The most iterations a run may be given, wherever it starts (the setting's maximum says the same). */
export const MAX_ITERATIONS = 20;

/**
 * The improvement loop for one change: review → propose (one document at a time, most severe first) →
 * await the decision → apply → validate → next iteration, until it converges, stops improving, reaches the
 * iteration limit, is cancelled, or fails. Every transition is journalled so a crashed run can resume.
 */
export class LoopOrchestrator {
  private current: LoopRun | undefined;

  constructor(private readonly deps: LoopDependencies) {}

  /** The step the running loop is in; `done` before any run. */
  get step(): LoopStep {
    return this.current?.step ?? 'done';
  }

  /** The iterations of the current run so far, copied: what a live view shows while the loop runs. */
  get iterations(): IterationRecord[] {
    return this.current?.iterations.map(copyRecord) ?? [];
  }

  async run(changeId: string, options: LoopOptions = {}): Promise<LoopReport> {
    const run = this.newRun(
      this.deps.newRunId?.() ?? randomUUID(),
      changeId,
      options,
      options.maxIterations ?? DEFAULT_MAX_ITERATIONS,
      options.autoAccept ?? false,
    );
    await run.journal.record(1, 'reviewing', {
      event: 'started',
      maxIterations: run.settings.maxIterations,
      autoAccept: run.settings.autoAccept,
    });
    return this.drive(run, 1, () => this.iterateFrom(run, 1));
  }

  /**
   * Continues a journalled run: a proposal whose file already holds its applied text is never written again,
   * one whose file changed since it was proposed is dropped, and the rest are judged (or, when accepted
   * before the crash, written) before the interrupted iteration is validated and the loop goes on.
   */
  async resume(state: ResumeState, options: LoopOptions = {}): Promise<LoopReport> {
    if (!state.resumable) throw new Error(`The last loop run of "${state.change}" ended and cannot be resumed.`);
    const run = this.newRun(
      state.runId,
      state.change,
      options,
      options.maxIterations ?? state.maxIterations,
      options.autoAccept ?? state.autoAccept,
    );
    run.iterations.push(
      ...state.iterations
        .filter((record) => state.reviewComplete || record.iteration < state.iteration)
        .map(copyRecord),
    );
    await run.journal.record(state.iteration, 'reviewing', {
      event: 'started',
      maxIterations: run.settings.maxIterations,
      autoAccept: run.settings.autoAccept,
      resumed: true,
    });
    // What the file hashes told is journalled, so a later resume reads it instead of guessing again: a proposal
    // found stale now stays dropped even if its file goes back to the text it was made for.
    for (const [resolved, result] of [
      ...state.applied.map((entry) => [entry, 'applied'] as const),
      ...state.stale.map((entry) => [entry, 'stale'] as const),
    ]) {
      if (resolved.journalled) continue;
      const { proposalId, file, baseHash, appliedHash } = resolved;
      await run.journal.record(resolved.iteration, 'applying', {
        event: 'applied',
        proposalId,
        file,
        baseHash,
        appliedHash,
        result,
      });
    }
    return this.drive(run, state.iteration, async () => {
      const interrupted = state.reviewComplete
        ? run.iterations.find((record) => record.iteration === state.iteration)
        : undefined;
      if (!interrupted) return this.iterateFrom(run, state.iteration);
      for (const pending of state.pending) {
        const record = interrupted.proposals.find(
          (candidate) => candidate.file === pending.proposal.file && candidate.baseHash === pending.proposal.baseHash,
        );
        if (!record) continue;
        const taken = pending.decision ? { decision: pending.decision, auto: pending.auto ?? false } : undefined;
        await decideAndApply(run, state.iteration, record, pending.proposal, [], taken);
      }
      if (!interrupted.validationAfter) await validateAfterEdits(run, interrupted);
      return this.iterateFrom(run, state.iteration + 1);
    });
  }

  private async iterateFrom(run: LoopRun, first: number): Promise<LoopEnding> {
    for (let iteration = first; ; iteration++) {
      if (iteration > run.settings.maxIterations) return loopEnding(run, iteration - 1, 'maxIterations');
      if (run.budgetSpent()) return loopEnding(run, Math.max(1, iteration - 1), 'timeBudget');
      const ending = await runIteration(run, iteration);
      if (ending) return ending;
    }
  }

  /** Runs `body` and journals how the run ended; a cancelled or failed run stays resumable. */
  private async drive(run: LoopRun, firstIteration: number, body: () => Promise<LoopEnding>): Promise<LoopReport> {
    this.current = run;
    let ending: LoopEnding;
    try {
      ending = await body();
    } catch (error) {
      const reached = Math.max(run.iteration, firstIteration);
      ending = run.settings.signal?.aborted
        ? loopEnding(run, reached, 'cancelled')
        : loopEnding(run, reached, 'error', error);
      if (ending.reason === 'error') this.deps.logger?.error(ending.message, error);
    }
    run.enter(ending.iteration, ending.step, { message: ending.message });
    await run.journal.record(ending.iteration, ending.step, {
      event: 'finished',
      outcome: ending.outcome,
      reason: ending.reason,
      message: ending.message,
    });
    return {
      runId: run.journal.runId,
      change: run.change,
      outcome: ending.outcome,
      reason: ending.reason,
      message: ending.message,
      iterations: run.iterations,
    };
  }

  private newRun(
    runId: string,
    changeId: string,
    options: LoopOptions,
    maxIterations: number,
    autoAccept: boolean,
  ): LoopRun {
    const journal = new LoopJournal(this.deps.journalStore ?? new MemoryJournalStore(), runId, changeId, this.deps.now);
    const now = this.deps.now ?? Date.now;
    const budget = options.timeBudgetMs;
    return new LoopRun(this.deps.model, this.deps.fs, this.deps.root, this.deps.host, journal, {
      maxIterations: Math.max(1, Math.floor(maxIterations)),
      autoAccept,
      signal: options.signal,
      lessons: options.lessons ?? [],
      logger: this.deps.logger,
      now,
      ...(budget !== undefined && budget > 0 ? { deadline: now() + budget, timeBudgetMs: budget } : {}),
    });
  }
}

function copyRecord(record: IterationRecord): IterationRecord {
  return { ...record, proposals: record.proposals.map((proposal) => ({ ...proposal })) };
}
