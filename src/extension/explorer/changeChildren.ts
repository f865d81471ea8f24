import type { Change, DeltaSpecDocument, Requirement, TasksDocument } from '../../core/openspec/model';
import type { FolderModel } from '../model/openSpecModels';
import type { ExplorerNode, RequirementNode, ScenarioNode, TaskNode } from './explorerNodes';
import { compareText } from '../../core/compareText';

/** Proposal, design, tasks and delta specs of a change, in the order the workflow writes them. */
export function changeChildren(folder: FolderModel, parentId: string, change: Change): ExplorerNode[] {
  const nodes: ExplorerNode[] = [];
  if (change.proposal) nodes.push({ kind: 'proposal', id: `${parentId}/proposal`, folder, path: change.proposal.path });
  if (change.design) nodes.push({ kind: 'design', id: `${parentId}/design`, folder, path: change.design.path });
  if (change.tasks) nodes.push({ kind: 'tasks', id: `${parentId}/tasks`, folder, document: change.tasks });
  const deltas = [...change.deltas].sort((a, b) => compareText(a.capability, b.capability));
  for (const document of deltas)
    nodes.push({ kind: 'delta', id: `${parentId}/delta:${document.capability}`, folder, document });
  return nodes;
}

/** The groups of tasks.md (tasks above the first group first), or its tasks when it has no groups. */
export function tasksChildren(folder: FolderModel, parentId: string, document: TasksDocument): ExplorerNode[] {
  if (document.groups.length === 0) return taskNodes(folder, parentId, document, -1);
  const ungrouped = taskNodes(folder, parentId, document, -1);
  const groups = document.groups.map((_group, index): ExplorerNode => ({
    kind: 'taskGroup',
    id: `${parentId}/group:${index}`,
    folder,
    document,
    group: index,
  }));
  return [...ungrouped, ...groups];
}

export function taskNodes(folder: FolderModel, parentId: string, document: TasksDocument, group: number): TaskNode[] {
  return document.tasks
    .map((task, index) => ({ task, index }))
    .filter(({ task }) => task.group === group)
    .map(({ task, index }) => ({ kind: 'task', id: `${parentId}/task:${index}`, folder, document, task }));
}

/** Every requirement a delta spec touches, section by section; RENAMED entries become one node each. */
export function deltaChildren(folder: FolderModel, parentId: string, document: DeltaSpecDocument): RequirementNode[] {
  const nodes: RequirementNode[] = [];
  for (const section of document.deltaSections) {
    for (const requirement of section.requirements) {
      nodes.push(
        requirementNode(
          folder,
          `${parentId}/${section.operation}:${nodes.length}`,
          document.path,
          requirement,
          section.operation,
        ),
      );
    }
    for (const rename of section.renames) {
      nodes.push({
        kind: 'requirement',
        id: `${parentId}/${section.operation}:${nodes.length}`,
        folder,
        path: document.path,
        name: rename.to,
        line: rename.toLine ?? rename.fromLine,
        operation: section.operation,
        renamedFrom: rename.from,
      });
    }
  }
  return nodes;
}

export function requirementNode(
  folder: FolderModel,
  id: string,
  path: string,
  requirement: Requirement,
  operation?: RequirementNode['operation'],
): RequirementNode {
  return {
    kind: 'requirement',
    id,
    folder,
    path,
    name: requirement.name,
    line: requirement.headerLine,
    requirement,
    ...(operation ? { operation } : {}),
  };
}

export function scenarioNodes(node: RequirementNode): ScenarioNode[] {
  return (node.requirement?.scenarios ?? []).map((scenario, index) => ({
    kind: 'scenario',
    id: `${node.id}/scenario:${index}`,
    folder: node.folder,
    path: node.path,
    scenario,
  }));
}
