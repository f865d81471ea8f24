import * as path from 'node:path';
import * as vscode from 'vscode';
import { sha256 } from '../../core/ai/improve/improveDocument';
import type { FindingToFix } from '../../core/ai/improve/improveInstructions';
import { isEmptyEdit, summarizeEdit } from '../../core/feedback/editSummary';
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
  /** The findings a proposal answered, by proposal id, so its decision records their categories and messages. */
  private readonly findings = new Map<string, readonly FindingToFix[]>();
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
      (error: unknown) =>
        logger.error('The feedback memory could not be read; decisions are not remembered this session', error),
    );
  }

  /** Records every Accept and Reject of `proposals` from now on; an edited Accept keeps what the user changed. */
  follow(proposals: ProposalStore): void {
    this.subscription?.dispose();
    this.subscription = proposals.onDidDecide(({ entry, decision, text }) => {
      const { proposal } = entry;
      const findings = this.findings.get(entry.id) ?? [];
      this.findings.delete(entry.id);
      const edit =
        decision === 'acceptedEdited' && text !== undefined
          ? summarizeEdit(proposal.baseText, proposal.proposedText, text)
          : undefined;
      this.store
        ?.record({
          changeId: entry.changeId,
          file: proposal.file,
          ...(proposal.requirement ? { requirement: proposal.requirement } : {}),
          decision,
          categories: findings.flatMap((finding) => (finding.category ? [finding.category] : [])),
          findingMessages: findings.map((finding) => finding.message),
          proposalHash: sha256(proposal.proposedText),
          ...(edit && !isEmptyEdit(edit) ? { editedDiffSummary: edit } : {}),
        })
        .then(() => this.emitter.fire())
        .catch((error: unknown) => this.logger.error('A decision could not be remembered', error));
    });
  }

  /** Remembers which findings a pending proposal answers, so its decision is recorded with their categories. */
  noteFindings(proposalId: string, findings: readonly FindingToFix[]): void {
    if (findings.length > 0) this.findings.set(proposalId, findings);
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
