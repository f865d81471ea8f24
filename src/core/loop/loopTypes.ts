import type { Proposal } from '../ai/improve/improveDocument';
import type { AutoAcceptBlock } from '../ai/improve/proposalCheck';
import type { ReviewFinding } from '../ai/review/findingSchema';
import type { DecisionKind } from '../feedback/feedbackData';

/**
 * The improvement loop's vocabulary: the steps of its per-change state machine, what each iteration keeps,
 * and the host that judges and writes proposals (the editor with a diff and an undoable edit, the CLI with
 * an atomic file write).
 */
export type LoopStep =
  'reviewing' | 'proposing' | 'awaitingDecision' | 'applying' | 'validating' | 'done' | 'stopped' | 'failed';

export type LoopOutcome = 'converged' | 'stopped' | 'failed';

/**
 * Why the loop ended: `converged` is the only success; `error` carries the failure in the message. `timeBudget`,
 * `cancelled` and `error` leave the run resumable.
 */
export type LoopReason = 'converged' | 'noImprovement' | 'maxIterations' | 'timeBudget' | 'cancelled' | 'error';

export interface FindingCounts {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
}

/** `openspec validate <change>` in short: whether it passes and how many issues of each level it reports. */
export interface ValidationSummary {
  readonly valid: boolean;
  readonly errors: number;
  readonly warnings: number;
}

export interface LoopDecision {
  readonly decision: DecisionKind;
  /** The user's edited text, for `acceptedEdited`; the proposed text is applied when it is missing. */
  readonly text?: string;
}

/** What happened to one proposal; `unchanged` is a proposal the model made without changing anything. */
export interface ProposalRecord {
  readonly id: string;
  readonly file: string;
  readonly requirement?: string;
  readonly summary: string;
  readonly baseHash: string;
  readonly proposedHash: string;
  readonly newErrors: number;
  /** What the impact check found that a person must see ("removes ## Impact and 2 tasks"); absent when nothing. */
  readonly impact?: string;
  decision?: DecisionKind | 'unchanged';
  /** Why auto-accept left this proposal to a person (or, headless, rejected it). */
  blocked?: AutoAcceptBlock;
  /** True when the loop accepted it by itself (`autoAccept`). */
  auto?: boolean;
  /** sha256 of the text that was (or was to be) written. */
  appliedHash?: string;
  result?: 'applied' | 'stale';
}

export interface IterationRecord {
  readonly iteration: number;
  /** The review's findings at the start of the iteration. */
  findings: FindingCounts;
  /** Validation of the change as the review saw it. */
  validation: ValidationSummary;
  readonly proposals: ProposalRecord[];
  /** Validation after this iteration's accepted proposals were applied. */
  validationAfter?: ValidationSummary;
}

export interface LoopReport {
  readonly runId: string;
  readonly change: string;
  readonly outcome: LoopOutcome;
  readonly reason: LoopReason;
  /** One sentence for the user: what ended the loop. */
  readonly message: string;
  readonly iterations: readonly IterationRecord[];
}

export interface LoopEvent {
  readonly runId: string;
  readonly change: string;
  readonly iteration: number;
  readonly step: LoopStep;
  readonly findings?: FindingCounts;
  readonly validation?: ValidationSummary;
  readonly file?: string;
  readonly message?: string;
}

export interface DecisionContext {
  readonly change: string;
  readonly iteration: number;
  /** The findings this proposal answers. */
  readonly findings: readonly ReviewFinding[];
  /**
   * Set when auto-accept is on but this proposal may not be auto-accepted: it adds validation errors, destroys
   * what its findings did not ask to remove, or carries text that is no part of the document. A headless host
   * (CI with --auto-accept) answers such a proposal with `rejected`.
   */
  readonly autoAcceptBlocked?: AutoAcceptBlock;
  readonly signal?: AbortSignal;
}

/** The loop's judge and writer, injected by the shell. */
export interface LoopHost {
  /** Shows the proposal (a diff) and waits for the user's decision. */
  decide(proposal: Proposal, context: DecisionContext): Promise<LoopDecision>;
  /**
   * Writes `text` to the proposal's file only while the file still holds the text the proposal was made from,
   * as one step through the host's FileWriter (`applyProposal`: an atomic write, an undoable WorkspaceEdit);
   * answers `stale` and writes nothing otherwise.
   */
  apply(proposal: Proposal, text: string): Promise<'applied' | 'stale'>;
  onEvent?(event: LoopEvent): void;
}
