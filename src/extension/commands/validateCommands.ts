import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { makeRoot } from '../../core/validation/projectRoot';
import { validateItems, type ValidationRun } from '../../core/validation/validateItems';
import { changeFromArgument } from '../model/changeArgument';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { errorMessage } from '../../core/errorMessage';
import { counted } from '../../core/counted';

const SHOW_PROBLEMS = 'Show Problems';

/**
 * "Validate Change" and "Validate All": `openspec validate` on what the editors show (unsaved text
 * included), one summary message, details in the Problems panel, which the diagnostics keep current.
 * Both resolve to the runs, so tests and agents can read the verdicts.
 */
export function registerValidateCommands(deps: { models: OpenSpecModels; logger: Logger }): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('openspecLoop.validateChange', async (argument?: unknown) => {
      await deps.models.ready;
      const found = await changeFromArgument(deps.models, argument);
      if (!found) return undefined;
      const run = await validate(deps, found.folder, { kind: 'items', names: [found.change.id], type: 'change' });
      if (run) void summarize(run, `Change '${found.change.id}'`);
      return run;
    }),
    vscode.commands.registerCommand('openspecLoop.validateAll', async () => {
      await deps.models.ready;
      if (deps.models.folders.length === 0) {
        void vscode.window.showInformationMessage('This workspace has no openspec/ folder to validate.');
        return [];
      }
      const runs = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'OpenSpec: validating' },
        () =>
          Promise.all(
            deps.models.folders.map((folder) => validate(deps, folder, { kind: 'bulk', changes: true, specs: true })),
          ),
      );
      const done = runs.filter((run): run is ValidationRun => run !== undefined);
      const items = done.flatMap((run) => run.items);
      void summarize({ ...done[0]!, items }, counted(items.length, 'item'));
      return done;
    }),
  );
}

async function validate(
  deps: { logger: Logger },
  folder: FolderModel,
  selection: Parameters<typeof validateItems>[2],
): Promise<ValidationRun | undefined> {
  try {
    return await validateItems(folder.fs, makeRoot(folder.root, 'nearest'), selection);
  } catch (error) {
    deps.logger.error(`Validation of ${folder.root} failed`, error);
    void vscode.window.showErrorMessage(
      `OpenSpec validation failed: ${errorMessage(error)}. See "OpenSpec: Show Log" for details.`,
    );
    return undefined;
  }
}

async function summarize(run: Pick<ValidationRun, 'items'>, subject: string): Promise<void> {
  const issues = run.items.flatMap((item) => item.issues);
  const errors = issues.filter((issue) => issue.level === 'ERROR').length;
  const warnings = issues.filter((issue) => issue.level === 'WARNING').length;
  const failed = run.items.filter((item) => !item.valid).length;
  if (failed === 0 && warnings === 0) {
    void vscode.window.showInformationMessage(`${subject}: valid.`);
    return;
  }
  const counts = `${counted(errors, 'error')}, ${counted(warnings, 'warning')}`;
  const text = failed === 0 ? `${subject}: valid, with ${counts}.` : `${subject}: ${failed} invalid (${counts}).`;
  const show =
    failed === 0
      ? await vscode.window.showInformationMessage(text, SHOW_PROBLEMS)
      : await vscode.window.showWarningMessage(text, SHOW_PROBLEMS);
  if (show === SHOW_PROBLEMS) await vscode.commands.executeCommand('workbench.actions.view.problems');
}
