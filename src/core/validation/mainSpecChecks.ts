import { MarkdownParser, type ParsedSpec } from './markdownParser';
import { MAX_REQUIREMENT_TEXT_LENGTH, MIN_PURPOSE_LENGTH, VALIDATION_MESSAGES } from './messages';
import { findPurposePlaceholderIssue } from './purposePlaceholder';
import { containsShallOrMust, extractRequirementBody } from './requirementText';
import { extractRequirementsSection } from './requirementsSection';
import { missingShallOrMustMessage } from './shallOrMustMessage';
import { specShapeIssues } from './specSchema';
import { findMainSpecStructureIssues } from './specStructure';
import type { ValidationIssue } from './types';
import { enrichTopLevelError, errorMessage, issue } from './validationReport';

/** Every check `openspec validate <spec>` runs on a main spec's text. Synchronous and pure. */
export function checkSpecContent(specName: string, content: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  try {
    const spec = new MarkdownParser(content).parseSpec(specName);
    for (const shape of specShapeIssues(spec)) issues.push(issue('ERROR', shape.path, shape.message));
    issues.push(...specRuleIssues(spec, content));
  } catch (error) {
    issues.push(issue('ERROR', 'file', enrichTopLevelError(errorMessage(error))));
  }
  return issues;
}

function specRuleIssues(spec: ParsedSpec, content: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const structural of findMainSpecStructureIssues(content))
    issues.push(issue('ERROR', 'file', structural.message, structural.line));
  // Checked before brevity: a hand-written "TBD" is both, and only the placeholder finding says what to do.
  const placeholder = findPurposePlaceholderIssue(spec.overview, content);
  if (placeholder)
    issues.push(issue('WARNING', 'overview', VALIDATION_MESSAGES.PURPOSE_IS_PLACEHOLDER, placeholder.line));
  else if (spec.overview.length < MIN_PURPOSE_LENGTH)
    issues.push(issue('WARNING', 'overview', VALIDATION_MESSAGES.PURPOSE_TOO_BRIEF));
  spec.requirements.forEach((requirement, index) => {
    if (requirement.text.length > MAX_REQUIREMENT_TEXT_LENGTH) {
      issues.push(issue('INFO', `requirements[${index}]`, VALIDATION_MESSAGES.REQUIREMENT_TOO_LONG));
    }
    if (requirement.scenarios.length === 0) {
      issues.push(
        issue(
          'WARNING',
          `requirements[${index}].scenarios`,
          `${VALIDATION_MESSAGES.REQUIREMENT_NO_SCENARIOS}. ${VALIDATION_MESSAGES.GUIDE_SCENARIO_FORMAT}`,
        ),
      );
    }
  });
  // The section reader folds the header into the text, so header and body are recovered from the blocks,
  // which is what lets a SHALL written only in the header get its own hint.
  extractRequirementsSection(content).bodyBlocks.forEach((block, index) => {
    const label = `Requirement "${block.name}"`;
    const requirementText = extractRequirementBody(block.raw.split('\n').slice(1));
    if (!requirementText)
      issues.push(issue('ERROR', `requirements[${index}]`, missingShallOrMustMessage(label, block.name)));
    else if (!containsShallOrMust(requirementText)) {
      issues.push(issue('WARNING', `requirements[${index}]`, missingShallOrMustMessage(label, block.name, true)));
    }
  });
  return issues;
}
