import * as vscode from 'vscode';
import { LINT_SOURCE } from '../../core/lint/finding';
import { VALIDATION_SOURCE } from '../../core/diagnostics/locatedFinding';
import type { Logger } from '../../core/logger';
import type { FolderModel, ModelChange, OpenSpecModels } from '../model/openSpecModels';
import { DiagnosticStore } from './diagnosticStore';
import { FolderValidation, type ValidationScope } from './folderValidation';

/** Long enough to skip most keystrokes of a word, short enough to feel live. */
const TYPING_DELAY_MS = 300;
const EVERYTHING: ValidationScope = { all: true, changes: [], specs: [] };

export interface DiagnosticsDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
}

/**
 * Problems-panel diagnostics for every OpenSpec folder: the `openspec validate` verdicts under `openspec`,
 * our own checks under `openspec-loop`. The whole workspace is validated once the models are ready; after
 * that only the changes and specs an edit or a file event touched, typing debounced.
 */
export function registerDiagnostics(deps: DiagnosticsDeps): vscode.Disposable {
  const stores = { cli: new DiagnosticStore(VALIDATION_SOURCE), lint: new DiagnosticStore(LINT_SOURCE) };
  const validations = new Map<string, FolderValidation>();
  let started = false;

  const validationFor = (folder: FolderModel): { validation: FolderValidation; isNew: boolean } => {
    const existing = validations.get(folder.root);
    if (existing) return { validation: existing, isNew: false };
    const validation = new FolderValidation(folder, stores, deps.logger);
    validations.set(folder.root, validation);
    return { validation, isNew: true };
  };

  const onChange = (change: ModelChange): void => {
    if (!started) return;
    const { validation, isNew } = validationFor(change.folder);
    const { delta } = change;
    const scope: ValidationScope = isNew || delta.config ? EVERYTHING : { all: false, changes: delta.changes, specs: delta.specs };
    if (!scope.all && scope.changes.length === 0 && scope.specs.length === 0) return;
    validation.request(scope, change.fromDisk ? 0 : TYPING_DELAY_MS);
  };
  const subscription = deps.models.onDidChange(onChange);

  deps.models.ready.then(
    () => {
      started = true;
      for (const folder of deps.models.folders) validationFor(folder).validation.request(EVERYTHING, 0);
    },
    (error: unknown) => deps.logger.error('OpenSpec models failed to load; no diagnostics', error),
  );

  return new vscode.Disposable(() => {
    subscription.dispose();
    for (const validation of validations.values()) validation.dispose();
    validations.clear();
    stores.cli.dispose();
    stores.lint.dispose();
  });
}
