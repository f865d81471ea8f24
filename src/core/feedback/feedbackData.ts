import { z } from 'zod';
import { REVIEW_CATEGORIES } from '../ai/review/findingSchema';

/**
 * What the feedback memory keeps per workspace: the user's decisions on proposals and the lessons drawn from
 * them. The shape is validated whenever it is loaded, because it lives in a file the user (or a crash) may
 * have damaged; a bad entry is dropped on its own rather than costing the whole history.
 */

/** What the user changed in a proposal before accepting it, line by line (trimmed, bounded). */
export const editSummarySchema = z.object({
  /** Lines of the original file that the proposal removed and the user put back. */
  restored: z.array(z.string()),
  /** Lines the user wrote that were in neither the original nor the proposal. */
  added: z.array(z.string()),
  /** Lines of the proposal the user deleted. */
  removed: z.array(z.string()),
});

export const feedbackDecisionSchema = z.object({
  /** ISO 8601 time of the decision. */
  at: z.string(),
  changeId: z.string(),
  /** Workspace-relative path of the proposal's file. */
  file: z.string(),
  requirement: z.string().optional(),
  decision: z.enum(['accepted', 'rejected', 'acceptedEdited']),
  /** The categories of the findings the proposal answered; empty for a free instruction. */
  categories: z.array(z.enum(REVIEW_CATEGORIES)),
  /** The findings' messages, shortened. */
  findingMessages: z.array(z.string()),
  /** sha256 of the proposed text, to tell one proposal from another. */
  proposalHash: z.string(),
  editedDiffSummary: editSummarySchema.optional(),
});

export const lessonSchema = z.object({
  /** Distilled lessons have ids derived from what they are about, so distillation updates them in place. */
  id: z.string(),
  text: z.string(),
  evidence: z.object({ accepted: z.number().int().nonnegative(), rejected: z.number().int().nonnegative() }),
  /** 'user' lessons were written or edited by the user; distillation never touches them. */
  source: z.enum(['distilled', 'user']),
  updatedAt: z.string(),
});

export type EditSummary = z.infer<typeof editSummarySchema>;
export type FeedbackDecision = z.infer<typeof feedbackDecisionSchema>;
export type DecisionKind = FeedbackDecision['decision'];
export type Lesson = z.infer<typeof lessonSchema>;

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
  const record = raw as Record<string, unknown>;
  return {
    version: 1,
    decisions: validEntries(record.decisions, feedbackDecisionSchema),
    lessons: validEntries(record.lessons, lessonSchema),
    deletedLessonIds: validEntries(record.deletedLessonIds, z.string()),
  };
}

function validEntries<T>(list: unknown, schema: z.ZodType<T>): T[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => {
    const parsed = schema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}
