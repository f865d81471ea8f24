import * as vscode from 'vscode';
import type { ArchivedChange, Change, DeltaOperation } from '../../core/openspec/model';
import type { FolderModel } from '../model/openSpecModels';
import type { ChangeNode, ExplorerNode, RequirementNode, TaskNode } from './explorerNodes';
import { changeTooltip, taskLabel } from './labels';
import { aiGroupItem, loopIterationItem, loopRunItem, proposalItem, reviewFindingItem } from './aiTreeItems';
import { changeVerdict, verdictIcon, verdictLabel, type ChangeVerdict } from './changeVerdict';
import { counted } from '../../core/counted';

const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;

const OPERATION_ICONS: Record<DeltaOperation, string> = {
  ADDED: 'diff-added',
  MODIFIED: 'diff-modified',
  REMOVED: 'diff-removed',
  RENAMED: 'diff-renamed',
};

/** The command every node runs when clicked: its file, with the cursor on the node's line. */
export function openAt(folder: FolderModel, path: string, line: number): vscode.Command {
  const position = new vscode.Position(line, 0);
  const options: vscode.TextDocumentShowOptions = { selection: new vscode.Range(position, position), preview: true };
  return { title: 'Open', command: 'vscode.open', arguments: [folder.toUri(path), options] };
}

function item(
  node: ExplorerNode,
  label: string,
  collapsible: vscode.TreeItemCollapsibleState,
  contextValue: string,
): vscode.TreeItem {
  const treeItem = new vscode.TreeItem(label, collapsible);
  treeItem.id = node.id;
  treeItem.contextValue = contextValue;
  return treeItem;
}

/**
 * Builds the TreeItem of a node from the snapshot it carries. `change`: the resolved change of a change node;
 * `aiCount`: the findings or proposals of an AI group node, which the tree provider reads from the AI features;
 * `verdict`: an active change's validation state, which decides its icon.
 */
export function toTreeItem(
  node: ExplorerNode,
  change: Change | undefined,
  aiCount = 0,
  verdict: ChangeVerdict = 'valid',
): vscode.TreeItem {
  switch (node.kind) {
    case 'workspaceFolder': {
      const treeItem = item(node, node.folder.folder.name, Expanded, 'workspaceFolder');
      treeItem.iconPath = vscode.ThemeIcon.Folder;
      treeItem.resourceUri = node.folder.folder.uri;
      return treeItem;
    }
    case 'change':
      return changeItem(node, change, verdict);
    case 'listedChange': {
      const treeItem = item(node, node.changeId, None, 'listedChange');
      treeItem.description = 'reading…';
      // Still: a thousand spinning rows keep the workbench repainting while the models are read.
      treeItem.iconPath = new vscode.ThemeIcon('circle-large-outline');
      return treeItem;
    }
    case 'proposal':
    case 'design': {
      const treeItem = item(node, node.kind === 'proposal' ? 'Proposal' : 'Design', None, node.kind);
      treeItem.iconPath = new vscode.ThemeIcon(node.kind === 'proposal' ? 'lightbulb' : 'symbol-structure');
      treeItem.command = openAt(node.folder, node.path, 0);
      return treeItem;
    }
    case 'tasks': {
      const { completed, total } = node.document;
      const treeItem = item(node, 'Tasks', total > 0 ? Collapsed : None, 'tasks');
      treeItem.description = `${completed}/${total}`;
      treeItem.iconPath = new vscode.ThemeIcon('checklist');
      treeItem.command = openAt(node.folder, node.document.path, 0);
      return treeItem;
    }
    case 'taskGroup': {
      const group = node.document.groups[node.group];
      const tasks = node.document.tasks.filter((task) => task.group === node.group);
      const label = group ? (group.number ? `${group.number}. ${group.title}` : group.title) : '';
      const treeItem = item(node, label, tasks.length > 0 ? Expanded : None, 'taskGroup');
      treeItem.description = `${tasks.filter((task) => task.done).length}/${tasks.length}`;
      treeItem.command = openAt(node.folder, node.document.path, group?.headerLine ?? 0);
      return treeItem;
    }
    case 'task':
      return taskItem(node);
    case 'delta': {
      const treeItem = item(node, node.document.capability, Collapsed, 'delta');
      treeItem.description = node.document.deltaSections.map((section) => section.operation.toLowerCase()).join(', ');
      treeItem.iconPath = new vscode.ThemeIcon('symbol-file');
      treeItem.command = openAt(node.folder, node.document.path, 0);
      return treeItem;
    }
    case 'requirement':
      return requirementItem(node);
    case 'scenario': {
      const treeItem = item(node, node.scenario.name, None, 'scenario');
      treeItem.iconPath = new vscode.ThemeIcon('beaker');
      treeItem.tooltip = node.scenario.text;
      treeItem.command = openAt(node.folder, node.path, node.scenario.headerLine);
      return treeItem;
    }
    case 'capabilityFolder': {
      const treeItem = item(node, node.prefix.split('/').pop() ?? node.prefix, Collapsed, 'capabilityFolder');
      treeItem.iconPath = vscode.ThemeIcon.Folder;
      return treeItem;
    }
    case 'reviewFinding':
      return reviewFindingItem(node);
    case 'aiProposal':
      return proposalItem(node);
    case 'loopRun':
      return loopRunItem(node);
    case 'loopIteration':
      return loopIterationItem(node);
    case 'review':
    case 'proposals':
      return aiGroupItem(node, aiCount);
    case 'spec': {
      const { document } = node;
      const treeItem = item(node, document.capability.split('/').pop() ?? document.capability, Collapsed, 'spec');
      treeItem.description = `${counted(document.requirements.length, 'requirement')}`;
      treeItem.tooltip = document.purpose?.body || document.capability;
      treeItem.iconPath = new vscode.ThemeIcon('book');
      treeItem.command = openAt(node.folder, document.path, 0);
      return treeItem;
    }
  }
}

/** A change's hover: what it is about, its progress and, for an active change, its validation verdict. */
function changeItemTooltip(node: ChangeNode, change: Change): vscode.MarkdownString {
  const tooltip = changeTooltip(change, (change as ArchivedChange).archivedOn);
  if (!node.archived) tooltip.appendMarkdown(`\n\n${verdictLabel(changeVerdict(change))}`);
  return tooltip;
}

function changeItem(node: ChangeNode, change: Change | undefined, verdict: ChangeVerdict): vscode.TreeItem {
  const archived = change as ArchivedChange | undefined;
  const label = node.archived ? (archived?.changeId ?? node.changeId) : node.changeId;
  const treeItem = item(node, label, Collapsed, node.archived ? 'archivedChange' : 'change');
  if (!change) return treeItem;
  const tasks = change.tasks;
  if (node.archived) treeItem.description = archived?.archivedOn ?? '';
  else if (tasks && tasks.total > 0) treeItem.description = `${tasks.completed}/${tasks.total}`;
  // The tooltip waits for a hover and the click's command for a click (changeRowDetails, through
  // resolveTreeItem): the host parses every Markdown tooltip and converts every command's URI it is handed, and at
  // 1,000 changes doing so for each redraw held its thread for tens of ms.
  treeItem.iconPath = node.archived ? new vscode.ThemeIcon('archive') : verdictIcon(verdict);
  return treeItem;
}

/**
 * What a change row gets when it is first hovered or clicked (VS Code asks once per item, for whichever comes
 * first): its tooltip, and the click that opens its proposal (else its tasks, design or first delta).
 */
export function changeRowDetails(node: ChangeNode, change: Change): Pick<vscode.TreeItem, 'tooltip' | 'command'> {
  const first = change.proposal ?? change.tasks ?? change.design ?? change.deltas[0];
  return {
    tooltip: changeItemTooltip(node, change),
    ...(first ? { command: openAt(node.folder, first.path, 0) } : {}),
  };
}

function taskItem(node: TaskNode): vscode.TreeItem {
  const { task } = node;
  const treeItem = item(node, taskLabel(task), None, 'task');
  treeItem.checkboxState = task.done ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
  treeItem.tooltip = task.text;
  treeItem.command = openAt(node.folder, node.document.path, task.line);
  return treeItem;
}

function requirementItem(node: RequirementNode): vscode.TreeItem {
  const scenarios = node.requirement?.scenarios.length ?? 0;
  const treeItem = item(node, node.name, scenarios > 0 ? Collapsed : None, 'requirement');
  treeItem.iconPath = new vscode.ThemeIcon(node.operation ? OPERATION_ICONS[node.operation] : 'symbol-property');
  if (node.renamedFrom !== undefined) treeItem.description = `was ${node.renamedFrom}`;
  else if (node.operation) treeItem.description = node.operation.toLowerCase();
  const body = node.requirement?.body;
  if (body) treeItem.tooltip = body;
  treeItem.command = openAt(node.folder, node.path, node.line);
  return treeItem;
}
