import { posix as path } from 'node:path';
import type { FileSystem } from '../../fs/fileSystem';
import { findScenarioLossIssues } from '../../validation/archiveChecks';
import { checkDeltaSpecContent } from '../../validation/deltaSpecChecks';
import type { ValidationIssue } from '../../validation/types';
import { extractNameFromPath, Validator } from '../../validation/validator';

/** `openspec validate`'s verdict on the document before and after the proposal, and what the proposal broke. */
export interface ProposalValidation {
  readonly before: readonly ValidationIssue[];
  readonly after: readonly ValidationIssue[];
  /** ERRORs in `after` that `before` did not have, compared by level and message (lines move when text changes). */
  readonly newErrors: readonly ValidationIssue[];
}

/** Which checks a document gets: a change's delta spec, a main spec, or none (proposal, design, tasks). */
export type ValidationTarget =
  | {
      readonly kind: 'delta';
      readonly file: string;
      readonly changeDir: string;
      readonly capability: string;
      readonly openspecDir: string;
    }
  | { readonly kind: 'spec'; readonly file: string }
  | { readonly kind: 'none' };

export async function validateProposal(
  fs: FileSystem,
  target: ValidationTarget,
  baseText: string,
  proposedText: string,
): Promise<ProposalValidation> {
  const [before, after] = await Promise.all([
    documentIssues(fs, target, baseText),
    documentIssues(fs, target, proposedText),
  ]);
  return { before, after, newErrors: newErrors(before, after) };
}

/** The issues `openspec validate` would report for this one document's text, read from memory. */
export async function documentIssues(
  fs: FileSystem,
  target: ValidationTarget,
  text: string,
): Promise<ValidationIssue[]> {
  switch (target.kind) {
    case 'delta': {
      const entryPath = path.relative(path.join(target.changeDir, 'specs'), target.file);
      const check = checkDeltaSpecContent(text, entryPath);
      const issues = [...check.issues, ...(check.emptiness ? [check.emptiness.issue] : [])];
      if (check.plan.modified.length > 0) {
        const mainSpec = path.join(target.openspecDir, 'specs', ...target.capability.split('/'), 'spec.md');
        // The main spec is only compared against; a path it cannot be read from leaves this check out.
        issues.push(
          ...(await findScenarioLossIssues(fs, check.plan.modified, check.plan.renamed, mainSpec, entryPath).catch(
            () => [],
          )),
        );
      }
      return issues;
    }
    case 'spec':
      return new Validator(fs).validateSpecContent(extractNameFromPath(target.file), text).issues;
    default:
      return [];
  }
}

/** ERRORs of `after` beyond those `before` already had, counting repeats (two identical errors where there was one is one new). */
export function newErrors(before: readonly ValidationIssue[], after: readonly ValidationIssue[]): ValidationIssue[] {
  const remaining = new Map<string, number>();
  for (const found of before) remaining.set(key(found), (remaining.get(key(found)) ?? 0) + 1);
  const added: ValidationIssue[] = [];
  for (const found of after) {
    if (found.level !== 'ERROR') continue;
    const left = remaining.get(key(found)) ?? 0;
    if (left > 0) remaining.set(key(found), left - 1);
    else added.push(found);
  }
  return added;
}

function key(found: ValidationIssue): string {
  return `${found.level}\u0000${found.message}`;
}
