import type { ChatModel } from '../ai/chatModel';
import type { FileSystem } from '../fs/fileSystem';
import type { Logger } from '../logger';
import type { LoopJournal } from './loopJournal';
import type { FindingCounts, IterationRecord, LoopHost, LoopStep, ValidationSummary } from './loopTypes';

/** What one run of the loop works with and keeps while it runs. */
export class LoopRun {
  readonly iterations: IterationRecord[] = [];
  step: LoopStep = 'reviewing';
  /** The iteration the loop is in (the last one entered). */
  iteration = 0;

  constructor(
    readonly model: ChatModel,
    readonly fs: FileSystem,
    readonly root: string,
    readonly host: LoopHost,
    readonly journal: LoopJournal,
    readonly settings: {
      readonly maxIterations: number;
      readonly autoAccept: boolean;
      readonly signal: AbortSignal | undefined;
      readonly lessons: readonly string[];
      readonly logger: Logger | undefined;
      readonly now: () => number;
      /** When the time budget runs out (milliseconds since the epoch); no budget when absent. */
      readonly deadline?: number;
      readonly timeBudgetMs?: number;
    },
  ) {}

  get change(): string {
    return this.journal.change;
  }

  /** Moves to `step` and tells the host; a host whose progress display throws does not stop the loop. */
  enter(
    iteration: number,
    step: LoopStep,
    detail: { findings?: FindingCounts; validation?: ValidationSummary; file?: string; message?: string } = {},
  ): void {
    this.step = step;
    this.iteration = iteration;
    try {
      this.host.onEvent?.({ runId: this.journal.runId, change: this.change, iteration, step, ...detail });
    } catch (error) {
      this.settings.logger?.warn(`Loop progress display failed: ${String(error)}`);
    }
  }

  /** True once the time budget is spent; asked only at step boundaries. */
  budgetSpent(): boolean {
    return this.settings.deadline !== undefined && this.settings.now() >= this.settings.deadline;
  }

  /** Stops between steps when the user asked to; never between a write and its journal line. */
  checkCancelled(): void {
    this.settings.signal?.throwIfAborted();
  }
}
