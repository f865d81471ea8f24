import type { Lesson } from './feedbackData';
import { MAX_LESSONS } from './lessonLimits';

/**
 * The lessons to keep: every user lesson as it is, then the distilled ones (strongest first) in the slots
 * left under the cap. A distilled lesson the user deleted, or that shares an id with a lesson the user edited,
 * is not brought back. A distilled lesson whose text and evidence did not change keeps its `updatedAt`.
 */
export function mergeLessons(
  current: readonly Lesson[],
  distilled: readonly Lesson[],
  deletedIds: readonly string[],
  cap = MAX_LESSONS,
): Lesson[] {
  const userLessons = current.filter((lesson) => lesson.source === 'user');
  const taken = new Set([...deletedIds, ...userLessons.map((lesson) => lesson.id)]);
  const previous = new Map(current.map((lesson) => [lesson.id, lesson]));
  const fresh = distilled
    .filter((lesson) => !taken.has(lesson.id))
    .slice(0, Math.max(0, cap - userLessons.length))
    .map((lesson) => {
      const before = previous.get(lesson.id);
      const unchanged =
        before &&
        before.text === lesson.text &&
        before.evidence.accepted === lesson.evidence.accepted &&
        before.evidence.rejected === lesson.evidence.rejected;
      return unchanged ? before : lesson;
    });
  return [...userLessons, ...fresh];
}
