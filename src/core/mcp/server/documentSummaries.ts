import type {
  Change,
  DeltaSpecDocument,
  MainSpecDocument,
  ProposalDocument,
  Requirement,
  TasksDocument,
} from '../../openspec/model';
import { boundText } from './toolResults';

/**
 * The parsed view of each document an agent asks for, next to its raw text. Lines are 1-based here, as an
 * agent quotes them (`file:line`); the model underneath counts from 0.
 */
export function requirementSummary(requirement: Requirement) {
  return {
    name: requirement.name,
    line: requirement.headerLine + 1,
    body: requirement.body,
    scenarios: requirement.scenarios.map((scenario) => scenario.name),
  };
}

export function proposalSummary(proposal: ProposalDocument, file: string) {
  return {
    file,
    ...(proposal.title !== undefined ? { title: proposal.title } : {}),
    ...(proposal.why ? { why: proposal.why.body } : {}),
    ...(proposal.whatChanges ? { whatChanges: proposal.whatChanges.body } : {}),
    ...(proposal.impact ? { impact: proposal.impact.body } : {}),
    newCapabilities: proposal.newCapabilities.map((capability) => capability.name),
    modifiedCapabilities: proposal.modifiedCapabilities.map((capability) => capability.name),
    text: boundText(proposal.text),
  };
}

export function tasksSummary(tasks: TasksDocument, file: string, withText: boolean) {
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
    ...(withText ? { text: boundText(tasks.text) } : {}),
  };
}

export function deltaSummary(delta: DeltaSpecDocument, file: string) {
  return {
    capability: delta.capability,
    file,
    sections: delta.deltaSections.map((section) => ({
      operation: section.operation,
      requirements: section.requirements.map(requirementSummary),
      renames: section.renames.map((rename) => ({ from: rename.from, to: rename.to })),
    })),
    text: boundText(delta.text),
  };
}

export function specSummary(spec: MainSpecDocument, file: string) {
  return {
    capability: spec.capability,
    file,
    ...(spec.title !== undefined ? { title: spec.title } : {}),
    ...(spec.purpose ? { purpose: spec.purpose.body } : {}),
    requirements: spec.requirements.map(requirementSummary),
    text: boundText(spec.text),
  };
}

export type ChangeStatus = 'no-tasks' | 'complete' | 'in-progress';

/** The status `openspec list` shows. */
export function changeStatus(change: Change): ChangeStatus {
  const total = change.tasks?.total ?? 0;
  const completed = change.tasks?.completed ?? 0;
  return total === 0 ? 'no-tasks' : completed === total ? 'complete' : 'in-progress';
}
