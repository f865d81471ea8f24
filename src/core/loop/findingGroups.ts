import type { ReviewFinding, ReviewSeverity } from '../ai/review/findingSchema';
import type { ValidationIssue } from '../validation/types';
import type { FindingCounts, ValidationSummary } from './loopTypes';

/** The findings about one document, which one proposal answers. */
export interface FindingGroup {
  readonly file: string;
  readonly findings: readonly ReviewFinding[];
}

const RANK: Record<ReviewSeverity, number> = { error: 0, warning: 1, info: 2 };

export function countFindings(findings: readonly ReviewFinding[]): FindingCounts {
  return {
    error: findings.filter((finding) => finding.severity === 'error').length,
    warning: findings.filter((finding) => finding.severity === 'warning').length,
    info: findings.filter((finding) => finding.severity === 'info').length,
  };
}

/** Errors and warnings: what must be gone for the loop to converge (info findings are suggestions). */
export function blockingCount(counts: FindingCounts): number {
  return counts.error + counts.warning;
}

export function summarizeValidation(valid: boolean, issues: readonly ValidationIssue[]): ValidationSummary {
  return {
    valid,
    errors: issues.filter((issue) => issue.level === 'ERROR').length,
    warnings: issues.filter((issue) => issue.level === 'WARNING').length,
  };
}

/**
 * The error and warning findings grouped by document, most severe document first: more errors first, then
 * more warnings, then the order the review named them. Info findings ride along with a document that is
 * being rewritten anyway, but never cause a rewrite on their own.
 */
export function groupBySeverity(findings: readonly ReviewFinding[]): FindingGroup[] {
  const byFile = new Map<string, ReviewFinding[]>();
  for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  const groups = [...byFile.entries()]
    .map(([file, found], order) => ({
      file,
      order,
      counts: countFindings(found),
      findings: [...found].sort((a, b) => RANK[a.severity] - RANK[b.severity]),
    }))
    .filter((group) => blockingCount(group.counts) > 0);
  groups.sort((a, b) => b.counts.error - a.counts.error || b.counts.warning - a.counts.warning || a.order - b.order);
  return groups.map(({ file, findings: found }) => ({ file, findings: found }));
}

/**
 * `openspec validate` issues as findings on the delta spec they name (paths are relative to the change's
 * specs/ folder), so a validation error the review missed still gets a proposal.
 */
export function validationFindings(changeId: string, issues: readonly ValidationIssue[]): ReviewFinding[] {
  return issues
    .filter((issue) => issue.level !== 'INFO' && /(^|\/)spec\.md$/.test(issue.path))
    .map((issue) => ({
      severity: issue.level === 'ERROR' ? ('error' as const) : ('warning' as const),
      category: 'format' as const,
      file: `openspec/changes/${changeId}/specs/${issue.path}`,
      ...(issue.line !== undefined ? { line: issue.line } : {}),
      message: `openspec validate: ${issue.message}`,
    }));
}

/** Adds validation findings to the review's, leaving out any the review already reported in the same words. */
export function withValidationFindings(
  review: readonly ReviewFinding[],
  validation: readonly ReviewFinding[],
): ReviewFinding[] {
  const seen = new Set(review.map((finding) => `${finding.file}\u0000${finding.message}`));
  return [...review, ...validation.filter((finding) => !seen.has(`${finding.file}\u0000${finding.message}`))];
}
