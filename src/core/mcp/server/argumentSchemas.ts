import { z } from 'zod';

/**
 * Bounds on what an agent may send. A longer value can name nothing that exists (folder names stop at 255
 * bytes), and unbounded text costs work that stalls every other caller: the "Did you mean" search over a
 * 100 KB name, a 5 MB description echoed into a prompt. The SDK answers a value past a bound with
 * -32602 and the bound it broke, before any work is done.
 */
export const ARGUMENT_LIMITS = {
  /** A change id or one segment of a capability path: a folder name. */
  name: 255,
  /** A capability path (`audit/log`) or a file path inside a change. */
  path: 1024,
  /** Words to search for. */
  query: 500,
  /** An agent's own words: a question, an instruction, what a delta should do. */
  prose: 4000,
  /** Names in one validate call: more than a project has items. */
  items: 1000,
} as const;

export const changeIdArgument = z.string().min(1).max(ARGUMENT_LIMITS.name);
export const capabilityArgument = z.string().min(1).max(ARGUMENT_LIMITS.path);
export const changeFileArgument = z.string().min(1).max(ARGUMENT_LIMITS.path);
export const proseArgument = z.string().max(ARGUMENT_LIMITS.prose);
export const itemNamesArgument = z.array(z.string().max(ARGUMENT_LIMITS.path)).max(ARGUMENT_LIMITS.items);
/** A requirement's name, as after `### Requirement:`. */
export const requirementArgument = z.string().min(1).max(ARGUMENT_LIMITS.prose);

export const ANSWER_FORMATS = ['parsed', 'markdown'] as const;
export type AnswerFormat = (typeof ANSWER_FORMATS)[number];

/** Parsed (the default) or the markdown as written; both page by requirement. */
export const formatArgument = z
  .enum(ANSWER_FORMATS)
  .optional()
  .describe(
    '"parsed" (default): sections, requirements and scenarios as JSON; "markdown": the file as written. Both page by requirement.',
  );
