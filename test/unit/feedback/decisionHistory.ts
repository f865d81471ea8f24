import type { ReviewCategory } from '../../../src/core/ai/review/findingSchema';
import type { DecisionKind } from '../../../src/core/feedback/feedbackData';
import type { NewDecision } from '../../../src/core/feedback/feedbackStore';

let counter = 0;

/** One decision on a proposal for `file` answering findings of `categories`, at a distinct minute. */
export function decision(
  kind: DecisionKind,
  categories: ReviewCategory[],
  extra: Partial<NewDecision> = {},
): NewDecision & { at: string } {
  counter++;
  return {
    changeId: 'add-note-tags',
    file: 'openspec/changes/add-note-tags/specs/tags/spec.md',
    decision: kind,
    categories,
    findingMessages: [`finding ${counter}`],
    proposalHash: `hash-${counter}`,
    ...extra,
    at: extra.at ?? new Date(Date.UTC(2025, 0, 1, 0, counter)).toISOString(),
  };
}

/** A fixed clock for the store. */
export const fixedNow = (): Date => new Date('2025-06-01T12:00:00.000Z');
