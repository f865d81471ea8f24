import { sha256 } from '../hash';
import { posix } from 'node:path';
import type { ReviewCategory } from '../ai/review/findingSchema';
import type { FeedbackDecision, Lesson } from './feedbackData';
import { clip, MAX_LESSON_LENGTH } from './lessonLimits';
import { counted } from '../counted';
import { compareText } from '../compareText';

/** A lesson needs this many decisions behind it: one decision is a mood, not a convention. */
const MIN_REJECTED = 3;
const MIN_ACCEPTED = 3;
const REJECTED_SHARE = 0.6;
const ACCEPTED_SHARE = 0.8;
const MIN_REPEATS = 2;

/** How a reviewer should hold back on a category this team keeps rejecting. */
const RESTRAINT: Record<ReviewCategory, string> = {
  ambiguity: 'raise one only when the wording leaves the behaviour undecided, not for style',
  'missing-scenario': 'ask for a scenario only when a failure or boundary case would otherwise go unspecified',
  untestable: 'raise one only when no test could observe the THEN as written',
  contradiction: 'raise one only when both statements are quoted and cannot hold together',
  coverage: 'raise one only when a capability, requirement or task is plainly missing',
  'inconsistency-with-specs': 'raise one only when the main spec text is quoted and really differs',
  format: 'leave format problems to openspec validate unless they change the meaning',
  scope: 'raise one only when the change clearly does work its proposal does not mention',
  other: 'raise them only when they would clearly cause a defect',
};

interface Candidate {
  readonly lesson: Lesson;
  /** Orders lessons when the cap forces a choice: more, and more one-sided, evidence first. */
  readonly strength: number;
}

/**
 * Draws lessons from the decision history, strongest first. Deterministic: the same history gives the same
 * lessons, with ids derived from their subject (so they update in place) and `updatedAt` from the newest
 * decision behind each. The caller merges them with the user's lessons and tombstones.
 */
export function distillLessons(decisions: readonly FeedbackDecision[]): Lesson[] {
  const candidates = [
    ...categoryLessons(decisions),
    ...documentLessons(decisions),
    ...repeatedLineLessons(decisions, 'restored'),
    ...repeatedLineLessons(decisions, 'added'),
  ];
  return candidates
    .sort((a, b) => b.strength - a.strength || compareText(a.lesson.id, b.lesson.id))
    .map((candidate) => candidate.lesson);
}

function categoryLessons(decisions: readonly FeedbackDecision[]): Candidate[] {
  const categories = [...new Set(decisions.flatMap((decision) => decision.categories))].sort();
  return categories.flatMap((category) => {
    const related = decisions.filter((decision) => decision.categories.includes(category));
    const tally = countDecisions(related);
    const total = tally.accepted + tally.rejected;
    const updatedAt = newest(related);
    if (tally.rejected >= MIN_REJECTED && tally.rejected / total >= REJECTED_SHARE) {
      const text = `Findings of category "${category}" were rejected ${tally.rejected} of ${total} times in this project: ${RESTRAINT[category]}.`;
      return [candidate(`category-rejected:${category}`, text, tally, updatedAt)];
    }
    if (tally.accepted >= MIN_ACCEPTED && tally.accepted / total >= ACCEPTED_SHARE) {
      const text = `Findings of category "${category}" were accepted ${tally.accepted} of ${total} times in this project: keep checking for them thoroughly.`;
      return [candidate(`category-accepted:${category}`, text, tally, updatedAt)];
    }
    return [];
  });
}

/** Proposals for one kind of document (tasks.md, design.md...) that the team keeps turning down. */
function documentLessons(decisions: readonly FeedbackDecision[]): Candidate[] {
  const kinds = [...new Set(decisions.map((decision) => posix.basename(decision.file)))].sort();
  return kinds.flatMap((kind) => {
    const related = decisions.filter((decision) => posix.basename(decision.file) === kind);
    const tally = countDecisions(related);
    const total = tally.accepted + tally.rejected;
    if (tally.rejected < MIN_REJECTED || tally.rejected / total < REJECTED_SHARE) return [];
    const text = `Proposed changes to ${kind} files were rejected ${tally.rejected} of ${counted(total, 'time')}: change ${kind} only to fix clear errors, and keep its wording otherwise.`;
    return [candidate(`document-rejected:${kind}`, text, tally, newest(related))];
  });
}

/** Lines users put back (or added) after several different proposals: conventions the model keeps missing. */
function repeatedLineLessons(decisions: readonly FeedbackDecision[], kind: 'restored' | 'added'): Candidate[] {
  const byLine = new Map<string, FeedbackDecision[]>();
  for (const decision of decisions) {
    for (const line of new Set(decision.editedDiffSummary?.[kind] ?? []))
      byLine.set(line, [...(byLine.get(line) ?? []), decision]);
  }
  return [...byLine.entries()].flatMap(([line, related]) => {
    if (related.length < MIN_REPEATS) return [];
    const files = [...new Set(related.map((decision) => posix.basename(decision.file)))].join(', ');
    const quoted = clip(line, 160);
    const text =
      kind === 'restored'
        ? `Keep lines like "${quoted}" (in ${files}) as they are: the user restored this line after ${counted(related.length, 'proposal')} removed it.`
        : `The user added "${quoted}" (in ${files}) after ${counted(related.length, 'proposal')}: include such a line where it belongs.`;
    return [candidate(`${kind}:${shortHash(line)}`, text, { accepted: related.length, rejected: 0 }, newest(related))];
  });
}

function candidate(
  id: string,
  text: string,
  evidence: { accepted: number; rejected: number },
  updatedAt: string,
): Candidate {
  const total = evidence.accepted + evidence.rejected;
  const share = Math.max(evidence.accepted, evidence.rejected) / Math.max(total, 1);
  return {
    lesson: { id, text: clip(text, MAX_LESSON_LENGTH), evidence, source: 'distilled', updatedAt },
    strength: total * share,
  };
}

function countDecisions(decisions: readonly FeedbackDecision[]): { accepted: number; rejected: number } {
  const rejected = decisions.filter((decision) => decision.decision === 'rejected').length;
  return { accepted: decisions.length - rejected, rejected };
}

function newest(decisions: readonly FeedbackDecision[]): string {
  return decisions.reduce((latest, decision) => (decision.at > latest ? decision.at : latest), '');
}

function shortHash(text: string): string {
  return sha256(text).slice(0, 12);
}
