import * as path from 'node:path';
import * as vscode from 'vscode';
import { sha256 } from '../../core/hash';
import type { FindingToFix } from '../../core/ai/improve/improveInstructions';
import { isEmptyEdit, summarizeEdit } from '../../core/feedback/editSummary';
import type { FeedbackPersistence, Lesson } from '../../core/feedback/feedbackData';
import { FeedbackStore, lessonsForPrompt } from '../../core/feedback/feedbackStore';
import type { Logger } from '../../core/logger';
import { JsonFileFeedbackPersistence } from '../../node/feedbackFile';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';

/** Where a folder's memory is kept in the extension's storage for this workspace. */
export interface FeedbackStorage {
  readonly dir: string;
  /**
   * True when the storage belongs to a workspace (a .code-workspace, which may hold several folders) rather
   * than to one folder: each folder then gets a file of its own.
   */
  readonly perWorkspace: boolean;
}

/**
 * What the user decided on AI proposals, kept per workspace folder in the extension's storage (never in the
 * repository), and the lessons drawn from it, which review and improve prompts of that folder include. Folders
 * are separate projects, so one folder's decisions never steer another's prompts. A folder's memory is read
 * when its model appears and let go when the folder leaves the workspace (its file stays for its return).
 */
export class FeedbackMemory implements vscode.Disposable {
  private readonly stores = new Map<string, FeedbackStore>();
  private readonly opening = new Map<string, Promise<void>>();
  /** The findings a proposal answered, by proposal id, so its decision records their categories and messages. */
  private readonly findings = new Map<string, readonly FindingToFix[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the lessons may have changed: a decision recorded, a lesson added, edited or deleted, a folder read or gone. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly storage: FeedbackStorage,
    private readonly models: OpenSpecModels,
    private readonly logger: Logger,
  ) {
    this.subscriptions.push(
      models.onDidChange((change) => void this.open(change.folder)),
      models.onDidRemoveFolder((folder) => this.forget(folder)),
    );
    void models.ready.then(() => Promise.all(models.folders.map((folder) => this.open(folder))));
  }

  /** Records every Accept and Reject of `proposals` from now on, in the memory of the proposal's folder. */
  follow(proposals: ProposalStore): void {
    this.subscriptions.push(
      proposals.onDidDecide(({ entry, decision, text }) => {
        const { proposal } = entry;
        const findings = this.findings.get(entry.id) ?? [];
        this.findings.delete(entry.id);
        const folder = this.models.folders.find((candidate) => isInside(candidate.root, proposal.absolutePath));
        const store = folder ? this.stores.get(folder.root) : undefined;
        if (!store) {
          this.logger.info(`The decision on ${proposal.file} is not remembered: its folder is no longer open.`);
          return;
        }
        const edit =
          decision === 'acceptedEdited' && text !== undefined
            ? summarizeEdit(proposal.baseText, proposal.proposedText, text)
            : undefined;
        store
          .record({
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
      }),
    );
  }

  /** Remembers which findings a pending proposal answers, so its decision is recorded with their categories. */
  noteFindings(proposalId: string, findings: readonly FindingToFix[]): void {
    if (findings.length > 0) this.findings.set(proposalId, findings);
  }

  /** The lessons for the prompts of `folder`'s changes. */
  lessons(folder: FolderModel): string[] {
    const store = this.stores.get(folder.root);
    return store ? lessonsForPrompt(store) : [];
  }

  /** `folder`'s lessons with their ids, user ones first, for the Lessons view. */
  lessonEntries(folder: FolderModel): readonly Lesson[] {
    return this.stores.get(folder.root)?.lessons() ?? [];
  }

  async addLesson(folder: FolderModel, text: string): Promise<void> {
    await (await this.required(folder)).addLesson(text);
    this.emitter.fire();
  }

  async editLesson(folder: FolderModel, id: string, text: string): Promise<void> {
    await (await this.required(folder)).editLesson(id, text);
    this.emitter.fire();
  }

  async deleteLesson(folder: FolderModel, id: string): Promise<void> {
    await (await this.required(folder)).deleteLesson(id);
    this.emitter.fire();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.emitter.dispose();
  }

  private open(folder: FolderModel): Promise<void> {
    const { root } = folder;
    if (this.stores.has(root)) return Promise.resolve();
    const pending =
      this.opening.get(root) ??
      FeedbackStore.open(this.persistence(root), { logger: this.logger })
        .then(
          (store) => {
            // A folder removed while its file was read has nothing to remember.
            if (!this.models.folders.some((candidate) => candidate.root === root)) return;
            this.stores.set(root, store);
            this.emitter.fire();
          },
          (error: unknown) =>
            this.logger.error(
              `The feedback memory of ${root} could not be read; decisions are not remembered this session`,
              error,
            ),
        )
        .finally(() => this.opening.delete(root));
    this.opening.set(root, pending);
    return pending;
  }

  private forget(folder: FolderModel): void {
    if (this.stores.delete(folder.root)) this.emitter.fire();
  }

  /**
   * A folder's own storage holds one `feedback.json`; a workspace's holds one file per folder. Such a file
   * starts from the workspace-wide `feedback.json` an earlier version kept, so no lesson is lost on the way.
   */
  private persistence(root: string): FeedbackPersistence {
    const shared = new JsonFileFeedbackPersistence(path.join(this.storage.dir, 'feedback.json'));
    if (!this.storage.perWorkspace) return shared;
    const key = sha256(root).slice(0, 16);
    const own = new JsonFileFeedbackPersistence(path.join(this.storage.dir, 'feedback', `${key}.json`));
    return { load: async () => (await own.load()) ?? (await shared.load()), save: (data) => own.save(data) };
  }

  private async required(folder: FolderModel): Promise<FeedbackStore> {
    await this.open(folder);
    const store = this.stores.get(folder.root);
    if (!store) throw new Error(`The feedback memory of ${folder.folder.name} could not be read; see the log.`);
    return store;
  }
}

function isInside(root: string, file: string): boolean {
  return file.startsWith(`${root}/`);
}
