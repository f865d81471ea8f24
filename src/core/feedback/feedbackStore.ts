import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import { distillLessons } from './distillLessons';
import {
  emptyFeedbackData,
  parseFeedbackData,
  type FeedbackData,
  type FeedbackDecision,
  type FeedbackPersistence,
  type Lesson,
} from './feedbackData';
import {
  clip,
  lessonTextProblem,
  MAX_DECISIONS,
  MAX_FINDING_MESSAGE_LENGTH,
  MAX_FINDING_MESSAGES,
  MAX_LESSONS,
  MAX_TOMBSTONES,
} from './lessonLimits';
import { mergeLessons } from './mergeLessons';
import { errorMessage } from '../errorMessage';

/** A decision as the caller reports it; the store stamps the time and shortens the messages. */
export type NewDecision = Omit<FeedbackDecision, 'at'> & { readonly at?: string };

export interface FeedbackStoreOptions {
  readonly maxDecisions?: number;
  readonly maxLessons?: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export class LessonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LessonError';
  }
}

/**
 * The workspace's memory of the user's decisions and the lessons drawn from them. Every change is saved at
 * once, one save after another (never two writes racing), and lessons are re-distilled after every decision.
 */
export class FeedbackStore {
  private data: FeedbackData;
  private saving: Promise<void> = Promise.resolve();
  private readonly maxDecisions: number;
  private readonly maxLessons: number;
  private readonly now: () => Date;

  private constructor(
    private readonly persistence: FeedbackPersistence,
    data: FeedbackData,
    private readonly options: FeedbackStoreOptions,
  ) {
    this.data = data;
    this.maxDecisions = options.maxDecisions ?? MAX_DECISIONS;
    this.maxLessons = options.maxLessons ?? MAX_LESSONS;
    this.now = options.now ?? (() => new Date());
  }

  /** Loads the stored data; data that cannot be read starts an empty memory (and says so in the log). */
  static async open(persistence: FeedbackPersistence, options: FeedbackStoreOptions = {}): Promise<FeedbackStore> {
    let data = emptyFeedbackData();
    try {
      const loaded = await persistence.load();
      if (loaded) data = parseFeedbackData(loaded);
    } catch (error) {
      options.logger?.warn(`The feedback history could not be read; starting a new one: ${errorMessage(error)}`);
    }
    return new FeedbackStore(persistence, data, options);
  }

  /** Oldest first. */
  decisions(): readonly FeedbackDecision[] {
    return this.data.decisions;
  }

  /** User lessons first, then distilled ones, strongest first; never more than the cap. */
  lessons(): readonly Lesson[] {
    return this.data.lessons;
  }

  async record(decision: NewDecision): Promise<FeedbackDecision> {
    const entry: FeedbackDecision = {
      ...decision,
      at: decision.at ?? this.now().toISOString(),
      categories: [...new Set(decision.categories)],
      findingMessages: decision.findingMessages
        .slice(0, MAX_FINDING_MESSAGES)
        .map((message) => clip(message, MAX_FINDING_MESSAGE_LENGTH)),
    };
    const decisions = [...this.data.decisions, entry].slice(-this.maxDecisions);
    await this.update({
      ...this.data,
      decisions,
      lessons: this.distilled(decisions, this.data.lessons, this.data.deletedLessonIds),
    });
    return entry;
  }

  /** Writes a new lesson of the user's own. */
  async addLesson(text: string): Promise<Lesson> {
    this.checkText(text);
    if (this.data.lessons.filter((lesson) => lesson.source === 'user').length >= this.maxLessons) {
      throw new LessonError(`There are already ${this.maxLessons} lessons of your own; edit or delete one first.`);
    }
    const lesson: Lesson = {
      id: `user:${randomUUID()}`,
      text: text.trim(),
      evidence: { accepted: 0, rejected: 0 },
      source: 'user',
      updatedAt: this.now().toISOString(),
    };
    await this.update({
      ...this.data,
      lessons: this.distilled(this.data.decisions, [lesson, ...this.data.lessons], this.data.deletedLessonIds),
    });
    return lesson;
  }

  /** Rewrites a lesson; from then on it is the user's and distillation leaves it alone. */
  async editLesson(id: string, text: string): Promise<Lesson> {
    this.checkText(text);
    const existing = this.data.lessons.find((lesson) => lesson.id === id);
    if (!existing) throw new LessonError(`There is no lesson "${id}".`);
    const edited: Lesson = { ...existing, text: text.trim(), source: 'user', updatedAt: this.now().toISOString() };
    const lessons = this.data.lessons.map((lesson) => (lesson.id === id ? edited : lesson));
    await this.update({
      ...this.data,
      lessons: this.distilled(this.data.decisions, lessons, this.data.deletedLessonIds),
    });
    return edited;
  }

  /** Deletes a lesson for good: its id is remembered so distillation does not bring it back. */
  async deleteLesson(id: string): Promise<void> {
    const deletedLessonIds = [...this.data.deletedLessonIds.filter((deleted) => deleted !== id), id].slice(
      -MAX_TOMBSTONES,
    );
    const remaining = this.data.lessons.filter((lesson) => lesson.id !== id);
    await this.update({
      ...this.data,
      deletedLessonIds,
      lessons: this.distilled(this.data.decisions, remaining, deletedLessonIds),
    });
  }

  private distilled(
    decisions: readonly FeedbackDecision[],
    lessons: readonly Lesson[],
    deletedIds: readonly string[],
  ): Lesson[] {
    return mergeLessons(lessons, distillLessons(decisions), deletedIds, this.maxLessons);
  }

  private checkText(text: string): void {
    const problem = lessonTextProblem(text);
    if (problem) throw new LessonError(problem);
  }

  private async update(data: FeedbackData): Promise<void> {
    this.data = data;
    const save = this.saving.then(() => this.persistence.save(data));
    // A failed save must not block the next one; the caller of this update still sees the failure.
    this.saving = save.catch((error: unknown) =>
      this.options.logger?.error('The feedback history could not be saved.', error),
    );
    await save;
  }
}

/** The lessons as prompt lines for `reviewChange` / improve: user lessons first, at most the cap. */
export function lessonsForPrompt(store: { lessons(): readonly Lesson[] }, cap = MAX_LESSONS): string[] {
  return store
    .lessons()
    .slice(0, cap)
    .map((lesson) => lesson.text.trim())
    .filter((text) => text !== '');
}
