import type { JournalEntry, JournalEvent } from './journalEntries';
import type { LoopStep } from './loopTypes';

/**
 * Where journal lines go: append-only, one JSON object per line. The extension keeps it in workspace
 * storage (never in the user's repository); the CLI in a file it names.
 */
export interface JournalStore {
  /** Appends one line (without its newline); resolves once the line is durable. */
  append(line: string): Promise<void>;
  /** Every line written so far, oldest first. */
  readAll(): Promise<string[]>;
}

/** A store in memory, for tests and for runs nobody needs to resume. */
export class MemoryJournalStore implements JournalStore {
  readonly lines: string[] = [];

  async append(line: string): Promise<void> {
    this.lines.push(line);
  }

  async readAll(): Promise<string[]> {
    return [...this.lines];
  }
}

/** Appends one run's transitions, each stamped with the run, change, iteration, step and the clock's time. */
export class LoopJournal {
  constructor(
    private readonly store: JournalStore,
    readonly runId: string,
    readonly change: string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(iteration: number, step: LoopStep, event: JournalEvent): Promise<void> {
    const entry = {
      at: new Date(this.now()).toISOString(),
      run: this.runId,
      change: this.change,
      iteration,
      step,
      ...event,
    } as JournalEntry;
    await this.store.append(JSON.stringify(entry));
  }
}
