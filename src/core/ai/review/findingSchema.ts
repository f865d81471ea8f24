import { z } from 'zod';

export const REVIEW_SEVERITIES = ['error', 'warning', 'info'] as const;

/**
 * A closed set, so findings can be grouped, filtered and learned from. Each says what kind of fix it needs;
 * `format` covers what `openspec validate` would also catch, for when the model notices it first.
 */
export const REVIEW_CATEGORIES = [
  'ambiguity',
  'missing-scenario',
  'untestable',
  'contradiction',
  'coverage',
  'inconsistency-with-specs',
  'format',
  'scope',
  'other',
] as const;

export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];
export type ReviewCategory = (typeof REVIEW_CATEGORIES)[number];

const CATEGORY_MEANING =
  'ambiguity: vague or subjective wording (fast, appropriate, etc.), unclear actor or condition. ' +
  'missing-scenario: a requirement lacks a failure, edge or boundary scenario it needs. ' +
  'untestable: a THEN that cannot be observed or checked. ' +
  'contradiction: two statements in the change cannot both hold. ' +
  'coverage: something one document promises is missing from another (a capability without a delta spec, a requirement without tasks, a task without a requirement). ' +
  'inconsistency-with-specs: a delta disagrees with the current main spec (MODIFIED text that does not match, ADDED duplicating an existing requirement, REMOVED of a requirement that does not exist). ' +
  'format: OpenSpec format problems (no SHALL/MUST, scenario not WHEN/THEN, wrong headers). ' +
  'scope: the change does more or less than its proposal says, or a BREAKING change is not marked. ' +
  'other: anything else worth fixing.';

/**
 * One finding as the model writes it. Optional fields are nullable too: local models often write `null`
 * rather than leave a key out, and that should not cost a repair round.
 */
export const modelFindingSchema = z.object({
  severity: z
    .enum(REVIEW_SEVERITIES)
    .describe(
      'error: wrong, contradictory or not implementable as written; warning: likely to cause a defect or misunderstanding; info: an improvement',
    ),
  category: z.enum(REVIEW_CATEGORIES).describe(CATEGORY_MEANING),
  file: z
    .string()
    .describe(
      'The file the finding is about, exactly as in its <file path="..."> label, e.g. openspec/changes/<id>/proposal.md',
    ),
  line: z.number().int().nullish().describe('The 1-based line number shown before the line in the listing'),
  requirement: z
    .string()
    .nullish()
    .describe('The requirement name after "### Requirement:" when the finding is about one requirement'),
  message: z.string().min(1).describe('What is wrong and why it matters, in one or two sentences'),
  suggestion: z.string().nullish().describe('A concrete fix: the sentence, scenario or step to write instead'),
});

export const reviewAnswerSchema = z.object({
  findings: z
    .array(modelFindingSchema)
    .describe('Every problem found, most severe first; an empty list when the change is sound'),
});

export type ModelFinding = z.infer<typeof modelFindingSchema>;

/** A finding anchored in the workspace: the path is normalised and the line, when present, lies in the file. */
export interface ReviewFinding {
  readonly severity: ReviewSeverity;
  readonly category: ReviewCategory;
  /** Workspace-relative, e.g. `openspec/changes/add-tags/specs/tags/spec.md`. */
  readonly file: string;
  /** 1-based. */
  readonly line?: number;
  readonly requirement?: string;
  readonly message: string;
  readonly suggestion?: string;
}
