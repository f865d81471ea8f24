import * as vscode from 'vscode';
import { classifyDocument } from '../../core/openspec/documentPaths';
import type { Change } from '../../core/openspec/model';
import { toPosix } from '../../node/nodeFileSystem';
import { anyEvent } from '../anyEvent';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';

/**
 * CodeLens on OpenSpec files, from the cached model (no parsing here): proposal.md gets Validate, Compare,
 * Show in Explorer, Archive (once every task is done), Review and Improve with AI; each delta requirement gets "Compare with current spec" and
 * "Improve with AI"; tasks.md gets its progress and
 * a Mark done / Mark not done on every task. In Restricted Mode only the lenses that read are shown (the AI ones
 * come when trust is granted).
 */
export class SpecCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly models: OpenSpecModels) {
    this.onDidChangeCodeLenses = anyEvent(
      models.onDidChange,
      models.onDidRemoveFolder,
      vscode.workspace.onDidGrantWorkspaceTrust,
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const folder = this.models.folderFor(document.uri);
    if (!folder || document.uri.scheme !== 'file') return [];
    const file = toPosix(document.uri.fsPath);
    const role = classifyDocument(folder.workspace.openspecDir, file);
    if (role.kind !== 'proposal' && role.kind !== 'tasks' && role.kind !== 'delta') return [];
    const change = (role.archived ? folder.workspace.archive : folder.workspace.changes).find(
      (candidate) => candidate.id === role.changeId,
    );
    if (!change) return [];
    if (role.kind === 'tasks')
      return [...taskLenses(document, change), ...(role.archived ? [] : archiveLens(folder, change))];
    if (role.archived) return [];
    const ai = vscode.workspace.isTrusted;
    if (role.kind === 'proposal') return proposalLenses(folder, change, document.uri, ai);
    return deltaLenses(folder, change, file, document.uri, ai);
  }
}

const top = new vscode.Range(0, 0, 0, 0);

function proposalLenses(folder: FolderModel, change: Change, uri: vscode.Uri, ai: boolean): vscode.CodeLens[] {
  // The folder too: another workspace folder may have a change of the same id.
  const target = { changeId: change.id, folder: folder.root };
  const reading = [
    new vscode.CodeLens(top, {
      title: 'Validate',
      command: 'openspecLoop.validateChange',
      arguments: [target],
      tooltip: 'Run openspec validate on this change',
    }),
    new vscode.CodeLens(top, {
      title: 'Compare with specs',
      command: 'openspecLoop.compareChange',
      arguments: [target],
      tooltip: 'Main specs now against what archive would write',
    }),
    new vscode.CodeLens(top, {
      title: 'Show in explorer',
      command: 'openspecLoop.revealChange',
      arguments: [target],
      tooltip: 'Select this change in the OpenSpec Changes view',
    }),
    ...archiveLens(folder, change),
  ];
  if (!ai) return reading;
  return [
    ...reading,
    new vscode.CodeLens(top, {
      title: 'Review with AI',
      command: 'openspecLoop.reviewWithAi',
      arguments: [target],
      tooltip: 'Review the whole change with the local model (LM Studio)',
    }),
    new vscode.CodeLens(top, {
      title: 'Improve with AI',
      command: 'openspecLoop.improveWithAi',
      arguments: [{ uri }],
      tooltip: 'Propose a better proposal.md, shown as a diff to accept or reject',
    }),
    new vscode.CodeLens(top, {
      title: 'Run Improvement Loop',
      command: 'openspecLoop.runLoop',
      arguments: [target],
      tooltip: 'Review, improve and validate until the change is clean; you judge each proposal',
    }),
  ];
}

function deltaLenses(
  folder: FolderModel,
  change: Change,
  file: string,
  uri: vscode.Uri,
  ai: boolean,
): vscode.CodeLens[] {
  const delta = change.deltas.find((candidate) => candidate.path === file);
  if (!delta) return [];
  const hasMain = folder.workspace.specs.some((spec) => spec.capability === delta.capability);
  return delta.deltaSections.flatMap((section) =>
    section.requirements.flatMap((requirement) => {
      const at = new vscode.Range(requirement.headerLine, 0, requirement.headerLine, 0);
      const compare = new vscode.CodeLens(at, {
        title: hasMain ? 'Compare with current spec' : 'Compare (new capability)',
        command: 'openspecLoop.compareRequirement',
        arguments: [
          { changeId: change.id, folder: folder.root, capability: delta.capability, requirement: requirement.name },
        ],
      });
      // A REMOVED entry has no text of its own to improve.
      if (section.operation === 'REMOVED' || !ai) return [compare];
      const improve = new vscode.CodeLens(at, {
        title: 'Improve with AI',
        command: 'openspecLoop.improveWithAi',
        arguments: [{ uri, requirement: requirement.name }],
        tooltip: 'Propose a better version of this requirement, shown as a diff to accept or reject',
      });
      return [compare, improve];
    }),
  );
}

function taskLenses(document: vscode.TextDocument, change: Change): vscode.CodeLens[] {
  const tasks = change.tasks;
  if (!tasks) return [];
  const summary = new vscode.CodeLens(top, { title: `${tasks.completed}/${tasks.total} tasks done`, command: '' });
  const perTask = tasks.tasks
    .filter((task) => task.line < document.lineCount)
    .map(
      (task) =>
        new vscode.CodeLens(new vscode.Range(task.line, 0, task.line, 0), {
          title: task.done ? 'Mark not done' : 'Mark done',
          command: 'openspecLoop.toggleTask',
          arguments: [{ uri: document.uri.toString(), line: task.line, done: !task.done }],
        }),
    );
  return [summary, ...perTask];
}

export function registerCodeLens(deps: { models: OpenSpecModels }): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(
    { scheme: 'file', pattern: '**/openspec/**/*.md' },
    new SpecCodeLensProvider(deps.models),
  );
}

/**
 * "Archive change" once every task is done: the step that closes the cycle. With open tasks the command stays
 * in the palette and the change's menu, where its confirmation says how many are open.
 */
function archiveLens(folder: FolderModel, change: Change): vscode.CodeLens[] {
  const tasks = change.tasks;
  if (tasks && tasks.completed < tasks.total) return [];
  return [
    new vscode.CodeLens(top, {
      title: 'Archive change',
      command: 'openspecLoop.archiveChange',
      arguments: [{ changeId: change.id, folder: folder.root }],
      tooltip: 'Merge the delta specs into the main specs and move the change to the archive (preview first)',
    }),
  ];
}
