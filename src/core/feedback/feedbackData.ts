import type { ReviewCategory } from '../ai/review/findingSchema';

/**
 * What the feedback memory keeps per workspace: the user's decisions on proposals and the lessons drawn from
 * them. The shape is validated whenever it is loaded, because it lives in a file the user (or a crash) may
 * have damaged; a bad entry is dropped on its own rather than costing the whole history.
 */

/** What the user changed in a proposal before accepting it, line by line (trimmed, bounded). */
export interface EditSummary {
  /** Lines of the original file that the proposal removed and the user put back. */
  readonly restored: string[];
  /** Lines the user wrote that were in neither the original nor the proposal. */
  readonly added: string[];
  /** Lines of the proposal the user deleted. */
  readonly removed: string[];
}

export type DecisionKind = 'accepted' | 'rejected' | 'acceptedEdited';

export interface FeedbackDecision {
  /** ISO 8601 time of the decision. */
  readonly at: string;
  readonly changeId: string;
  /** Workspace-relative path of the proposal's file. */
  readonly file: string;
  readonly requirement?: string;
  readonly decision: DecisionKind;
  /** The categories of the findings the proposal answered; empty for a free instruction. */
  readonly categories: ReviewCategory[];
  /** The findings' messages, shortened. */
  readonly findingMessages: string[];
  /** sha256 of the proposed text, to tell one proposal from another. */
  readonly proposalHash: string;
  readonly editedDiffSummary?: EditSummary;
}

export interface Lesson {
  /** Distilled lessons have ids derived from what they are about, so distillation updates them in place. */
  readonly id: string;
  readonly text: string;
  readonly evidence: { readonly accepted: number; readonly rejected: number };
  /** 'user' lessons were written or edited by the user; distillation never touches them. */
  readonly source: 'distilled' | 'user';
  readonly updatedAt: string;
}

export interface FeedbackData {
  readonly version: 1;
  /** Oldest first. */
  readonly decisions: readonly FeedbackDecision[];
  readonly lessons: readonly Lesson[];
  /** Ids of lessons the user deleted: distillation must not bring them back. */
  readonly deletedLessonIds: readonly string[];
}

/** Where the store keeps its data: a file in the extension's workspace storage, or memory in tests. */
export interface FeedbackPersistence {
  load(): Promise<FeedbackData | undefined>;
  save(data: FeedbackData): Promise<void>;
}

export function emptyFeedbackData(): FeedbackData {
  return { version: 1, decisions: [], lessons: [], deletedLessonIds: [] };
}

/** Reads stored JSON leniently: entries that do not match are dropped, anything unreadable gives empty data. */
export function parseFeedbackData(raw: unknown): FeedbackData {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return emptyFeedbackData();
  return schemas().parseFeedbackRecord(raw as Record<string, unknown>);
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** Loaded at the first parse, not with the extension: building the schemas is most of this module's cost. */
const schemas = (): typeof import('./feedbackSchemas') =>
  require('./feedbackSchemas') as typeof import('./feedbackSchemas');
/* eslint-enable @typescript-eslint/no-require-imports */
