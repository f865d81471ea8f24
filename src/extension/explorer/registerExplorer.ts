import * as vscode from 'vscode';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { Logger } from '../../core/logger';
import { changeFromArgument } from '../model/changeArgument';
import type { AiTreeSource } from './aiChildren';
import type { OpenSpecModels } from '../model/openSpecModels';
import type { ExplorerNode, ViewKind } from './explorerNodes';
import { ExplorerTreeProvider } from './explorerTreeProvider';
import { toggleTask } from './toggleTask';
import { trackValidationSeverities } from './changeVerdict';

const VIEWS: readonly ViewKind[] = ['changes', 'specs', 'archive'];
/** Drives the "no OpenSpec folder" welcome of the Changes view. */
const HAS_FOLDER_CONTEXT = 'openspecLoop.hasOpenSpecFolder';

export interface ExplorerDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
  /** Writes the task checkboxes ticked in the tree. */
  readonly writer: FileWriter;
  /** Review findings and pending proposals, shown under each change. */
  readonly ai?: AiTreeSource;
  /** Told once the Changes view has had its first rows: the models' first scan waits for it (firstRows.ts). */
  readonly firstRowsAnswered?: () => void;
}

/** The Changes, Specs and Archive views, their task checkboxes, Refresh, and Show Change in Explorer. */
export function registerExplorer(deps: ExplorerDeps): vscode.Disposable {
  const { models, logger } = deps;
  const providers = VIEWS.map((view) =>
    view === 'changes'
      ? new ExplorerTreeProvider(models, view, deps.ai, deps.firstRowsAnswered)
      : new ExplorerTreeProvider(models, view),
  );
  // Before the redraws that read them: the severities are brought up to date by the same events.
  const disposables: vscode.Disposable[] = [trackValidationSeverities(), ...providers];
  const treeViews = new Map<ViewKind, vscode.TreeView<ExplorerNode>>();
  for (const provider of providers) {
    // Checkboxes are tasks, not a hierarchy: checking a group must not check its tasks.
    const treeView = vscode.window.createTreeView(`openspecLoop.${provider.view}`, {
      treeDataProvider: provider,
      showCollapseAll: true,
      manageCheckboxStateManually: true,
    });
    treeViews.set(provider.view, treeView);
    disposables.push(
      treeView,
      treeView.onDidChangeCheckboxState((event) => void toggleCheckedTasks(event, provider, deps.writer, logger)),
    );
  }
  const updateContext = () =>
    void vscode.commands.executeCommand('setContext', HAS_FOLDER_CONTEXT, models.folders.length > 0);
  disposables.push(
    models.onDidChange((change) => {
      updateContext();
      for (const provider of providers) provider.update(change);
    }),
    // A folder that left the workspace takes its node (or, down to one folder, the grouping) with it.
    models.onDidRemoveFolder(() => {
      updateContext();
      for (const provider of providers) provider.refreshAll();
    }),
    // Change icons show the validation state, read from the Problems panel: redraw when it changes.
    onDiagnosticsOfChanges(models, () => providers.find((provider) => provider.view === 'changes')?.redrawVerdicts()),
    ...(deps.ai
      ? [deps.ai.onDidChange(() => providers.find((provider) => provider.view === 'changes')?.refreshAll())]
      : []),
    vscode.commands.registerCommand('openspecLoop.revealChange', async (argument: unknown) => {
      const changes = providers.find((provider) => provider.view === 'changes');
      const treeView = treeViews.get('changes');
      const target = await changeFromArgument(models, argument);
      if (!changes || !treeView || !target) return false;
      await treeView.reveal(changes.nodeForChange(target.folder, target.change.id, false), {
        select: true,
        focus: true,
        expand: true,
      });
      return true;
    }),
    // The re-read announces what it found changed (see workspaceDelta.ts), and the views redraw those rows.
    vscode.commands.registerCommand('openspecLoop.refresh', async () => {
      await models.refresh();
      updateContext();
    }),
  );
  models.ready.then(updateContext, (error: unknown) => logger.error('The OpenSpec folders could not be read', error));
  return vscode.Disposable.from(...disposables);
}

/** Calls `redraw` (at most every 250 ms) when diagnostics change on files under a folder's `openspec/changes`. */
function onDiagnosticsOfChanges(models: OpenSpecModels, redraw: () => void): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
    const touchesChanges = event.uris.some((uri) =>
      models.folders.some((folder) =>
        uri.fsPath.startsWith(folder.toUri(`${folder.workspace.openspecDir}/changes/`).fsPath),
      ),
    );
    if (!touchesChanges || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      redraw();
    }, 250);
  });
  return new vscode.Disposable(() => {
    if (timer) clearTimeout(timer);
    subscription.dispose();
  });
}

async function toggleCheckedTasks(
  event: vscode.TreeCheckboxChangeEvent<ExplorerNode>,
  provider: ExplorerTreeProvider,
  writer: FileWriter,
  logger: Logger,
): Promise<void> {
  let notToggled = false;
  for (const [node, state] of event.items) {
    if (node.kind !== 'task') continue;
    const uri = node.folder.toUri(node.document.path);
    try {
      const result = await toggleTask(writer, uri, node.task, state === vscode.TreeItemCheckboxState.Checked);
      if (result === 'stale' || result === 'failed') {
        notToggled = true;
        logger.warn(`Task on line ${node.task.line + 1} of ${uri.toString()} not toggled: ${result}`);
      }
    } catch (error) {
      notToggled = true;
      logger.error(`Task on line ${node.task.line + 1} of ${uri.toString()} not toggled`, error);
    }
  }
  // The checkbox already shows the new state; redraw from the model so it shows the file's truth again.
  if (notToggled) {
    provider.refreshAll();
    void vscode.window.showWarningMessage(
      'The task could not be toggled: tasks.md may have changed since the tree was drawn. See the OpenSpec Loop log.',
    );
  }
}
