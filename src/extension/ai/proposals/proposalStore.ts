import * as vscode from 'vscode';
import type { Proposal } from '../../../core/ai/improve/improveDocument';
import type { DecisionKind } from '../../../core/feedback/feedbackData';
import type { LoopDecision } from '../../../core/loop/loopTypes';

/** A proposal waiting for the user's decision, with what it belongs to. */
export interface PendingProposal {
  readonly id: string;
  readonly changeId: string;
  readonly proposal: Proposal;
  readonly createdAt: number;
  /** A proposal of the improvement loop: the loop applies it once accepted, and waits for the decision. */
  readonly fromLoop?: boolean;
  /** The proposal as the user edited and saved it in the diff; Accept writes this instead of the model's text. */
  readonly editedText?: string;
  readonly editedAt?: number;
}

/** A decision with the proposal it is about; `text` is the user's version for `acceptedEdited`. */
export interface ProposalDecision extends LoopDecision {
  readonly entry: PendingProposal;
}

const STATE_KEY = 'openspecLoop.pendingProposals';
/** Older proposals go first: each holds two copies of a document, and nobody judges fifty at once. */
const MAX_PENDING = 50;

/**
 * Pending AI proposals. They live in the workspace's state, so closing the diff tab or reloading the window
 * does not lose them; they leave only by Accept or Reject.
 */
export class ProposalStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly decisions = new vscode.EventEmitter<ProposalDecision>();
  /** Every Accept and Reject, for the loop waiting on its proposal and for the feedback memory. */
  readonly onDidDecide = this.decisions.event;
  private pending: PendingProposal[];
  private sequence = 0;
  /** Loop proposals waiting for their decision, by id. */
  private readonly waiting = new Map<string, (decision: LoopDecision) => void>();

  constructor(private readonly state: vscode.Memento) {
    this.pending = state.get<PendingProposal[]>(STATE_KEY, []);
  }

  get all(): readonly PendingProposal[] {
    return this.pending;
  }

  get(id: string): PendingProposal | undefined {
    return this.pending.find((entry) => entry.id === id);
  }

  forChange(changeId: string): PendingProposal[] {
    return this.pending.filter((entry) => entry.changeId === changeId);
  }

  async add(changeId: string, proposal: Proposal): Promise<PendingProposal> {
    return this.list({ id: this.newId(), changeId, proposal, createdAt: Date.now() });
  }

  /**
   * Lists a loop proposal and returns the decision to wait for. The waiter is in place before the proposal is
   * listed: an Accept may come from the explorer the moment it shows there.
   */
  async addForDecision(
    changeId: string,
    proposal: Proposal,
  ): Promise<{ entry: PendingProposal; decision: Promise<LoopDecision> }> {
    // A resumed run proposes again what the interrupted one did: the entry kept from then (with any edit the
    // user saved in it) is taken over instead of listing the same proposal twice.
    const kept = this.pending.find(
      (candidate) =>
        candidate.fromLoop &&
        candidate.changeId === changeId &&
        !this.waiting.has(candidate.id) &&
        sameProposal(candidate.proposal, proposal),
    );
    const entry: PendingProposal = kept ?? {
      id: this.newId(),
      changeId,
      proposal,
      createdAt: Date.now(),
      fromLoop: true,
    };
    const decision = new Promise<LoopDecision>((resolve) => this.waiting.set(entry.id, resolve));
    if (kept) this.emitter.fire();
    else await this.list(entry);
    return { entry, decision };
  }

  /**
   * Whether a running loop waits for this proposal's decision. A loop proposal kept from an earlier session has
   * no loop behind it any more: it is accepted like any other proposal, or superseded by a resumed run.
   */
  isAwaited(id: string): boolean {
    return this.waiting.has(id);
  }

  async remove(id: string): Promise<PendingProposal | undefined> {
    const entry = this.get(id);
    this.waiting.delete(id);
    if (!entry) return undefined;
    this.pending = this.pending.filter((candidate) => candidate.id !== id);
    await this.save();
    return entry;
  }

  /** Keeps the user's edit of a proposal with it, so it survives closing the diff and reloading the window. */
  async edit(id: string, text: string): Promise<void> {
    if (!this.get(id)) return;
    this.pending = this.pending.map((entry) =>
      entry.id === id ? { ...entry, editedText: text, editedAt: Date.now() } : entry,
    );
    await this.save();
  }

  /** Removes a proposal the user decided on and tells whoever waits for it; `text` is the edited version accepted. */
  async decide(id: string, decision: DecisionKind, text?: string): Promise<void> {
    const waiter = this.waiting.get(id);
    const entry = await this.remove(id);
    if (!entry) return;
    const outcome: LoopDecision =
      decision === 'acceptedEdited' && text !== undefined ? { decision, text } : { decision };
    waiter?.(outcome);
    this.decisions.fire({ entry, ...outcome });
  }

  private newId(): string {
    return `${Date.now().toString(36)}-${++this.sequence}`;
  }

  private async list(entry: PendingProposal): Promise<PendingProposal> {
    this.pending = [...this.pending, entry].slice(-MAX_PENDING);
    await this.save();
    return entry;
  }

  dispose(): void {
    this.emitter.dispose();
    this.decisions.dispose();
  }

  private async save(): Promise<void> {
    await this.state.update(STATE_KEY, this.pending);
    this.emitter.fire();
  }
}

function sameProposal(a: Proposal, b: Proposal): boolean {
  return a.file === b.file && a.baseHash === b.baseHash && a.proposedText === b.proposedText;
}
