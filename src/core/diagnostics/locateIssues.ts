import type { OpenSpecWorkspace } from '../openspec/model';
import type { ValidatedItem } from '../validation/validateItems';
import type { ValidationIssue } from '../validation/types';
import { deltaIssueLine, mainSpecIssueLine } from './issueLines';
import { changeIssueTarget, specIssueTarget, type IssueTarget } from './issueTargets';
import { lineRange, severityOf, VALIDATION_SOURCE, type LocatedFinding } from './locatedFinding';

/**
 * Places every issue of one validated change or spec on a file and a line of the editor model. The CLI's
 * own `line` wins; otherwise the quoted requirement or the named section is looked up in the model, and
 * anything left is shown on the first line of the file its path names. `workspace` should be the snapshot
 * the item was validated from, so the lines agree with the text.
 */
export function locateItemIssues(
  item: Pick<ValidatedItem, 'id' | 'type' | 'issues'>,
  workspace: OpenSpecWorkspace,
): LocatedFinding[] {
  // Many issues can land in one file: split each file's text once, not once per issue.
  const linesByFile = new Map<string, string[]>();
  const linesOf = (target: IssueTarget) => {
    if (target.text === undefined) return undefined;
    let lines = linesByFile.get(target.file);
    if (!lines) linesByFile.set(target.file, (lines = target.text.split('\n')));
    return lines;
  };
  return item.issues.map((issue) => {
    const target =
      item.type === 'change' ? changeIssueTarget(workspace, item.id, issue) : specIssueTarget(workspace, item.id);
    return {
      file: target.file,
      range: lineRange(issueLine(target, issue), linesOf(target)),
      severity: severityOf(issue.level),
      message: issue.message,
      source: VALIDATION_SOURCE,
    };
  });
}

function issueLine(target: IssueTarget, issue: ValidationIssue): number {
  if (issue.line !== undefined && issue.line >= 1) return issue.line - 1;
  if (target.delta) return deltaIssueLine(target.delta, issue) ?? 0;
  if (target.mainSpec) return mainSpecIssueLine(target.mainSpec, issue) ?? 0;
  return 0;
}
