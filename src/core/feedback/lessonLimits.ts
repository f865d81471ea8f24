/** Bounds that keep the feedback memory, and the prompts it feeds, from growing without end. */
export const MAX_DECISIONS = 500;
export const MAX_LESSONS = 12;
export const MAX_LESSON_LENGTH = 300;
/** Deleted lesson ids remembered; the oldest tombstones go first, long after their evidence has aged out. */
export const MAX_TOMBSTONES = 200;
export const MAX_FINDING_MESSAGES = 5;
export const MAX_FINDING_MESSAGE_LENGTH = 200;

/** Shortens text to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Why a lesson text cannot be kept as written, or undefined when it is fine (for the edit box's validation). */
export function lessonTextProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'A lesson cannot be empty.';
  if (trimmed.length > MAX_LESSON_LENGTH)
    return `A lesson can be at most ${MAX_LESSON_LENGTH} characters (this one has ${trimmed.length}).`;
  return undefined;
}
