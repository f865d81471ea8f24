import type { DeltaPlan } from './deltaSpecParser';
import { MarkdownParser } from './markdownParser';
import { MIN_PURPOSE_LENGTH, PURPOSE_PLACEHOLDER_PREFIX, PURPOSE_PLACEHOLDER_SUFFIX } from './messages';
import { SpecMergeError } from './specMergeError';
import { findMainSpecStructureIssues } from './specStructure';

/** The main spec archive creates for a new capability: the delta's Purpose when it reads cleanly, else a placeholder. */
export function newSpecSkeleton(
  plan: DeltaPlan,
  specId: string,
  changeName: string,
  deltaPurpose: string | undefined,
  warnings: string[],
): string {
  if (plan.modified.length > 0 || plan.renamed.length > 0) {
    throw new SpecMergeError(
      'missing-main-spec',
      `${specId}: target spec does not exist; only ADDED requirements are allowed for new specs. MODIFIED and RENAMED operations require an existing spec.`,
    );
  }
  if (plan.removed.length > 0) {
    warnings.push(
      `${specId} - ${plan.removed.length} REMOVED requirement(s) ignored for new spec (nothing to remove).`,
    );
  }
  const skeleton = buildSpecSkeleton(specId, changeName, deltaPurpose);
  if (!deltaPurpose) return skeleton;
  const overview = readableOverview(skeleton, specId);
  if (overview === undefined) {
    warnings.push(
      `${specId} - delta Purpose ignored (it would leave the new spec unreadable); wrote the placeholder Purpose instead.`,
    );
    return buildSpecSkeleton(specId, changeName);
  }
  if (overview.length < MIN_PURPOSE_LENGTH) {
    warnings.push(
      `${specId} - carried Purpose is under ${MIN_PURPOSE_LENGTH} characters; openspec validate --strict reports it as too brief.`,
    );
  }
  return skeleton;
}

export function buildSpecSkeleton(specId: string, changeName: string, purpose?: string): string {
  const purposeBody = purpose?.trim() || `${PURPOSE_PLACEHOLDER_PREFIX}${changeName}${PURPOSE_PLACEHOLDER_SUFFIX}`;
  return `# ${specId} Specification\n\n## Purpose\n${purposeBody}\n\n## Requirements\n`;
}

/**
 * The Purpose `validate` would read from a new main spec, or undefined when carrying the delta's Purpose
 * over would leave a spec the readers cannot handle (a comment opener, a stray header, no Requirements).
 */
function readableOverview(skeleton: string, specId: string): string | undefined {
  if (skeleton.includes('<!--')) return undefined;
  if (findMainSpecStructureIssues(skeleton).length > 0) return undefined;
  try {
    return new MarkdownParser(skeleton).parseSpec(specId).overview.trim() || undefined;
  } catch {
    return undefined;
  }
}
