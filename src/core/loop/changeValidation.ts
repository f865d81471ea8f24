import type { FileSystem } from '../fs/fileSystem';
import { makeRoot } from '../validation/projectRoot';
import type { ValidationIssue } from '../validation/types';
import { validateItems } from '../validation/validateItems';
import { summarizeValidation } from './findingGroups';
import type { ValidationSummary } from './loopTypes';

export interface ChangeValidation {
  readonly summary: ValidationSummary;
  readonly issues: readonly ValidationIssue[];
}

/** `openspec validate <change> --type change` (not strict), read afresh each time: files change between calls. */
export async function validateChange(fs: FileSystem, root: string, changeId: string): Promise<ChangeValidation> {
  const run = await validateItems(
    fs,
    makeRoot(root, 'nearest'),
    { kind: 'items', names: [changeId], type: 'change' },
    { strict: false },
  );
  const item = run.items[0];
  const issues = item?.issues ?? [];
  return { summary: summarizeValidation(item?.valid ?? false, issues), issues };
}

/** Whether `now` is better than `before`: fewer errors, or passing where it failed. */
export function validationImproved(before: ValidationSummary, now: ValidationSummary): boolean {
  return now.errors < before.errors || (now.valid && !before.valid);
}
