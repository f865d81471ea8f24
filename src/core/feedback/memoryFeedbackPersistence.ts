import type { FeedbackData, FeedbackPersistence } from './feedbackData';

/** Keeps the data in memory (tests, and a workspace without storage); every save is a deep copy. */
export class MemoryFeedbackPersistence implements FeedbackPersistence {
  saves = 0;

  constructor(private data: FeedbackData | undefined = undefined) {}

  async load(): Promise<FeedbackData | undefined> {
    return this.data ? structuredClone(this.data) : undefined;
  }

  async save(data: FeedbackData): Promise<void> {
    this.data = structuredClone(data);
    this.saves++;
  }

  /** What was saved last, for tests to inspect. */
  get stored(): FeedbackData | undefined {
    return this.data;
  }
}
