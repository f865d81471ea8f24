import { diffLines } from '../ai/improve/unifiedDiff';
import type { EditSummary } from './feedbackData';

const MAX_LINES = 8;
const MAX_LINE_LENGTH = 160;

/**
 * What the user changed in a proposal before accepting it. The interesting part is `restored`: lines the
 * proposal took out of the file and the user put back are the project's conventions the model keeps breaking.
 * Lines compare trimmed, blank lines are ignored, and each list is bounded so the history stays small.
 */
export function summarizeEdit(baseText: string, proposedText: string, acceptedText: string): EditSummary {
  const base = lines(baseText);
  const proposed = lines(proposedText);
  const accepted = lines(acceptedText);
  const droppedByProposal = new Set(changed(base, proposed, 'removed'));
  const baseLines = new Set(base);
  const userAdded = changed(proposed, accepted, 'added');
  return {
    restored: bounded(userAdded.filter((line) => droppedByProposal.has(line))),
    added: bounded(userAdded.filter((line) => !baseLines.has(line))),
    removed: bounded(changed(proposed, accepted, 'removed')),
  };
}

/** True when the summary records nothing (the user saved the proposal as it was, give or take blank lines). */
export function isEmptyEdit(summary: EditSummary): boolean {
  return summary.restored.length === 0 && summary.added.length === 0 && summary.removed.length === 0;
}

function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.trim());
}

function changed(before: readonly string[], after: readonly string[], kind: 'added' | 'removed'): string[] {
  return diffLines(before, after).flatMap((edit) => {
    if (edit.kind !== kind) return [];
    const line = kind === 'added' ? after[edit.newIndex] : before[edit.oldIndex];
    return line ? [line] : [];
  });
}

function bounded(list: readonly string[]): string[] {
  return [...new Set(list)]
    .slice(0, MAX_LINES)
    .map((line) => (line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH - 1)}…` : line));
}
