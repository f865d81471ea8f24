import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReviewCategory } from '../../core/ai/review/findingSchema';
import type { Lesson } from '../../core/feedback/feedbackData';
import { FeedbackStore, lessonsForPrompt } from '../../core/feedback/feedbackStore';
import type { Logger } from '../../core/logger';
import { JsonFileFeedbackPersistence } from '../../node/feedbackFile';
import type { ProposalStore } from '../ai/proposals/proposalStore';

/**
 * What the user decided on AI proposals, kept in the extension's storage for this workspace (never in the
 * repository), and the lessons drawn from it, which review and improve prompts include.
 */
export class FeedbackMemory implements vscode.Disposable {
  private store: FeedbackStore | undefined;
  /** The findings a loop proposal answered, by proposal id, so its decision records their categories. */
  private readonly categories = new Map<string, readonly ReviewCategory[]>();
  private subscription: vscode.Disposable | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the lessons may have changed: a decision recorded, a lesson added, edited or deleted. */
  readonly onDidChange = this.emitter.event;

  constructor(
    storageDir: string,
    private readonly logger: Logger,
  ) {
    FeedbackStore.open(new JsonFileFeedbackPersistence(path.join(storageDir, 'feedback.json')), { logger }).then(
      (store) => {
        this.store = store;
        this.emitter.fire();
      },
      (error: unknown) => logger.error('The feedback memory could not be read; decisions are not remembered this session', error),
    );
  }

  /** Records every Accept and Reject of `proposals` from now on. */
  follow(proposals: ProposalStore): void {
    this.subscription?.dispose();
    this.subscription = proposals.onDidDecide(({ entry, decision }) => {
      const { proposal } = entry;
      this.store
        ?.record({
          changeId: entry.changeId,
          file: proposal.file,
          ...(proposal.requirement ? { requirement: proposal.requirement } : {}),
          decision,
          categories: [...(this.categories.get(entry.id) ?? [])],
          findingMessages: [],
          proposalHash: proposal.baseHash,
        })
        .then(() => this.emitter.fire())
        .catch((error: unknown) => this.logger.error('A decision could not be remembered', error));
      this.categories.delete(entry.id);
    });
  }

  /** Remembers which finding categories a pending proposal answers. */
  noteCategories(proposalId: string, categories: readonly ReviewCategory[]): void {
    this.categories.set(proposalId, [...new Set(categories)]);
  }

  lessons(): string[] {
    return this.store ? lessonsForPrompt(this.store) : [];
  }

  /** The lessons with their ids, user ones first, for the Lessons view. */
  lessonEntries(): readonly Lesson[] {
    return this.store?.lessons() ?? [];
  }

  async addLesson(text: string): Promise<void> {
    await this.required().addLesson(text);
    this.emitter.fire();
  }

  async editLesson(id: string, text: string): Promise<void> {
    await this.required().editLesson(id, text);
    this.emitter.fire();
  }

  async deleteLesson(id: string): Promise<void> {
    await this.required().deleteLesson(id);
    this.emitter.fire();
  }

  private required(): FeedbackStore {
    if (!this.store) throw new Error('The feedback memory is not loaded yet; try again in a moment.');
    return this.store;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.emitter.dispose();
  }
}
