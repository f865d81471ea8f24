import { VALIDATION_MESSAGES } from './messages';
import type { IssueLevel, ValidationIssue, ValidationReport } from './types';

/** How findings become what `openspec validate` prints: issues in its JSON key order, remedies, the verdict. */

/** Strict: warnings fail too. */
export function buildReport(issues: ValidationIssue[], strictMode: boolean): ValidationReport {
  const errors = issues.filter((found) => found.level === 'ERROR').length;
  const warnings = issues.filter((found) => found.level === 'WARNING').length;
  const info = issues.filter((found) => found.level === 'INFO').length;
  return {
    valid: strictMode ? errors === 0 && warnings === 0 : errors === 0,
    issues,
    summary: { errors, warnings, info },
  };
}

/** Adds the remedy to the top-level errors that have one. */
export function enrichTopLevelError(baseMessage: string): string {
  const msg = baseMessage.trim();
  if (msg === VALIDATION_MESSAGES.CHANGE_NO_DELTAS) return `${msg}. ${VALIDATION_MESSAGES.GUIDE_NO_DELTAS}`;
  if (msg.includes('Spec must have a Purpose section') || msg.includes('Spec must have a Requirements section')) {
    return `${msg}. ${VALIDATION_MESSAGES.GUIDE_MISSING_SPEC_SECTIONS}`;
  }
  if (msg.includes('Change must have a Why section') || msg.includes('Change must have a What Changes section')) {
    return `${msg}. ${VALIDATION_MESSAGES.GUIDE_MISSING_CHANGE_SECTIONS}`;
  }
  return msg;
}

/** Key order as the CLI's JSON prints it; `line` only when there is one. */
export function issue(level: IssueLevel, issuePath: string, message: string, line?: number): ValidationIssue {
  return line === undefined ? { level, path: issuePath, message } : { level, path: issuePath, line, message };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Unknown error';
}
