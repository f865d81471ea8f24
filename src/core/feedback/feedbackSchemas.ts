import { z } from 'zod';
import { REVIEW_CATEGORIES } from '../ai/review/findingSchema';
import type { EditSummary, FeedbackData, FeedbackDecision, Lesson } from './feedbackData';

/**
 * The shapes of feedbackData.ts as schemas, to check a stored file the user (or a crash) may have damaged.
 * Each is typed by the interface it checks, so the two cannot drift apart.
 */
const editSummarySchema: z.ZodType<EditSummary> = z.object({
  restored: z.array(z.string()),
  added: z.array(z.string()),
  removed: z.array(z.string()),
});

const feedbackDecisionSchema: z.ZodType<FeedbackDecision> = z.object({
  at: z.string(),
  changeId: z.string(),
  file: z.string(),
  requirement: z.string().optional(),
  decision: z.enum(['accepted', 'rejected', 'acceptedEdited']),
  categories: z.array(z.enum(REVIEW_CATEGORIES)),
  findingMessages: z.array(z.string()),
  proposalHash: z.string(),
  editedDiffSummary: editSummarySchema.optional(),
});

const lessonSchema: z.ZodType<Lesson> = z.object({
  id: z.string(),
  text: z.string(),
  evidence: z.object({ accepted: z.number().int().nonnegative(), rejected: z.number().int().nonnegative() }),
  source: z.enum(['distilled', 'user']),
  updatedAt: z.string(),
});

/** A stored record's entries that match, each list on its own: a bad entry is dropped, not the whole history. */
export function parseFeedbackRecord(record: Record<string, unknown>): FeedbackData {
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
