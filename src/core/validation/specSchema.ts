import type { ParsedSpec } from './markdownParser';
import { VALIDATION_MESSAGES } from './messages';

/** One finding of the shape check: the dotted path into the parsed spec and the message. */
export interface ShapeIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * The shape checks `openspec validate <spec>` runs on a parsed main spec (its zod schema: a name, a purpose and
 * at least one requirement, each with text and at least one scenario, each scenario with text), with its
 * messages, paths and order. Written out rather than run through zod: it is the same handful of emptiness
 * checks, and on a large project the schema machinery cost more than the rest of the spec's checks. The
 * SHALL/MUST check is not here: it needs the header and body apart, which the parsed `text` no longer has.
 */
export function specShapeIssues(spec: ParsedSpec): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  if (spec.name.length === 0) issues.push({ path: 'name', message: VALIDATION_MESSAGES.SPEC_NAME_EMPTY });
  if (spec.overview.length === 0) issues.push({ path: 'overview', message: VALIDATION_MESSAGES.SPEC_PURPOSE_EMPTY });
  if (spec.requirements.length === 0)
    issues.push({ path: 'requirements', message: VALIDATION_MESSAGES.SPEC_NO_REQUIREMENTS });
  spec.requirements.forEach((requirement, index) => {
    const at = `requirements.${index}`;
    if (requirement.text.length === 0)
      issues.push({ path: `${at}.text`, message: VALIDATION_MESSAGES.REQUIREMENT_EMPTY });
    requirement.scenarios.forEach((scenario, scenarioIndex) => {
      if (scenario.rawText.length === 0)
        issues.push({ path: `${at}.scenarios.${scenarioIndex}.rawText`, message: VALIDATION_MESSAGES.SCENARIO_EMPTY });
    });
    if (requirement.scenarios.length === 0)
      issues.push({ path: `${at}.scenarios`, message: VALIDATION_MESSAGES.REQUIREMENT_NO_SCENARIOS });
  });
  return issues;
}
