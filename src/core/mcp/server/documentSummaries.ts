import type { Change, MarkdownDocument, ProposalDocument, Requirement, TasksDocument } from '../../openspec/model';

/**
 * The parsed view of each document an agent asks for. It does not repeat the raw markdown as well: an answer
 * would carry every word twice (get_spec and get_change give the markdown instead with `format: "markdown"`,
 * and the resources always do). Lines are 1-based here, as an agent quotes them (`file:line`); the model underneath counts from 0.
 */
export function requirementSummary(requirement: Requirement) {
  return {
    name: requirement.name,
    line: requirement.headerLine + 1,
    body: requirement.body,
    scenarios: requirement.scenarios.map((scenario) => ({
      name: scenario.name,
      line: scenario.headerLine + 1,
      text: scenario.text,
    })),
    ...(requirement.reason !== undefined ? { reason: requirement.reason } : {}),
    ...(requirement.migration !== undefined ? { migration: requirement.migration } : {}),
  };
}

export type RequirementSummary = ReturnType<typeof requirementSummary>;

export function proposalSummary(proposal: ProposalDocument, file: string) {
  return {
    file,
    ...(proposal.title !== undefined ? { title: proposal.title } : {}),
    ...(proposal.why ? { why: proposal.why.body } : {}),
    ...(proposal.whatChanges ? { whatChanges: proposal.whatChanges.body } : {}),
    ...(proposal.impact ? { impact: proposal.impact.body } : {}),
    newCapabilities: proposal.newCapabilities.map((capability) => capability.name),
    modifiedCapabilities: proposal.modifiedCapabilities.map((capability) => capability.name),
  };
}

export function tasksSummary(tasks: TasksDocument, file: string) {
  return {
    file,
    completed: tasks.completed,
    total: tasks.total,
    groups: tasks.groups.map((group) => ({
      ...(group.number !== undefined ? { number: group.number } : {}),
      title: group.title,
      line: group.headerLine + 1,
    })),
    tasks: tasks.tasks.map((task) => ({
      ...(task.id !== undefined ? { id: task.id } : {}),
      text: task.text,
      done: task.done,
      line: task.line + 1,
      ...(task.group >= 0 ? { group: tasks.groups[task.group]?.title ?? '' } : {}),
    })),
  };
}

/** A document as the markdown it is, for `format: "markdown"` and for design.md, which has no parsed form. */
export function markdownView(document: MarkdownDocument, file: string) {
  return { file, text: document.text };
}

export type ChangeStatus = 'no-tasks' | 'complete' | 'in-progress';

/** The status `openspec list` shows. */
export function changeStatus(change: Change): ChangeStatus {
  const total = change.tasks?.total ?? 0;
  const completed = change.tasks?.completed ?? 0;
  return total === 0 ? 'no-tasks' : completed === total ? 'complete' : 'in-progress';
}
