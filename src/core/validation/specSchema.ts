import { z } from 'zod';
import { VALIDATION_MESSAGES } from './messages';

/**
 * The shape checks `openspec validate <spec>` runs on a parsed main spec, with its messages. The SHALL/MUST
 * check is not here: it needs the header and body apart, which the parsed `text` no longer has.
 */
export const ScenarioSchema = z.object({
  rawText: z.string().min(1, VALIDATION_MESSAGES.SCENARIO_EMPTY),
});

export const RequirementSchema = z.object({
  text: z.string().min(1, VALIDATION_MESSAGES.REQUIREMENT_EMPTY),
  scenarios: z.array(ScenarioSchema).min(1, VALIDATION_MESSAGES.REQUIREMENT_NO_SCENARIOS),
});

export const SpecSchema = z.object({
  name: z.string().min(1, VALIDATION_MESSAGES.SPEC_NAME_EMPTY),
  overview: z.string().min(1, VALIDATION_MESSAGES.SPEC_PURPOSE_EMPTY),
  requirements: z.array(RequirementSchema).min(1, VALIDATION_MESSAGES.SPEC_NO_REQUIREMENTS),
  metadata: z
    .object({
      version: z.string().default('1.0.0'),
      format: z.literal('openspec'),
      sourcePath: z.string().optional(),
    })
    .optional(),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type Requirement = z.infer<typeof RequirementSchema>;
export type Spec = z.infer<typeof SpecSchema>;
