import type { AutoAcceptBlock, ProposalCheck } from '../ai/improve/proposalCheck';
import type { ProposalValidation } from '../ai/improve/proposalValidation';
import type { DecisionKind } from '../feedback/feedbackData';
import type { FindingCounts, LoopOutcome, LoopReason, LoopStep, ValidationSummary } from './loopTypes';

/**
 * One line of the loop journal (JSONL). Every line names its run, change, iteration and step, so a crash at
 * any point leaves enough to tell what was read, proposed, decided and written. Hashes are sha256 hex.
 */
export type JournalEvent =
  | {
      readonly event: 'started';
      readonly maxIterations: number;
      readonly autoAccept: boolean;
      readonly resumed?: boolean;
    }
  /** `read`: workspace-relative path → hash of every change document the review saw. */
  | { readonly event: 'reviewed'; readonly findings: FindingCounts; readonly read: Readonly<Record<string, string>> }
  | { readonly event: 'validated'; readonly validation: ValidationSummary }
  | { readonly event: 'proposed'; readonly proposal: StoredProposal }
  | {
      readonly event: 'decided';
      readonly proposalId: string;
      readonly decision: DecisionKind;
      readonly auto: boolean;
      /** Hash of the text to write, when accepted. */
      readonly appliedHash?: string;
      /** The user's edited text (acceptedEdited), kept so a resume can still write it. */
      readonly text?: string;
      /** Why auto-accept did not take it, and the impact that made it so. */
      readonly blocked?: AutoAcceptBlock;
      readonly impact?: string;
    }
  | {
      readonly event: 'applied';
      readonly proposalId: string;
      readonly file: string;
      readonly baseHash: string;
      readonly appliedHash: string;
      readonly result: 'applied' | 'stale';
    }
  | {
      readonly event: 'finished';
      readonly outcome: LoopOutcome;
      readonly reason: LoopReason;
      readonly message: string;
    };

/** A proposal as journalled: enough to offer or write it again after a crash without asking the model. */
export interface StoredProposal {
  readonly id: string;
  readonly file: string;
  readonly absolutePath: string;
  readonly requirement?: string;
  readonly summary: string;
  readonly changed: boolean;
  readonly baseHash: string;
  readonly proposedHash: string;
  readonly proposedText: string;
  readonly validation: ProposalValidation;
  /** Absent in journals written before the impact check existed: it is then made again from the texts. */
  readonly check?: ProposalCheck;
  readonly model: string;
}

export type JournalEntry = JournalEvent & {
  /** ISO 8601 time from the injected clock. */
  readonly at: string;
  readonly run: string;
  readonly change: string;
  readonly iteration: number;
  readonly step: LoopStep;
};

/** The entries that parse; a torn last line (the process died mid-write) and foreign lines are skipped. */
export function parseJournal(lines: readonly string[]): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as Partial<JournalEntry> | null;
      if (
        value &&
        typeof value.event === 'string' &&
        typeof value.run === 'string' &&
        typeof value.iteration === 'number'
      )
        entries.push(value as JournalEntry);
    } catch {
      continue;
    }
  }
  return entries;
}
