import * as vscode from 'vscode';
import { LINT_SOURCE } from '../../core/lint/finding';
import { VALIDATION_SOURCE } from '../../core/diagnostics/locatedFinding';
import type { Logger } from '../../core/logger';
import type { FolderModel, ModelChange, OpenSpecModels } from '../model/openSpecModels';
import { DiagnosticStore } from './diagnosticStore';
import { FolderValidation, type ValidationPass, type ValidationScope } from './folderValidation';

/** Long enough to skip most keystrokes of a word, short enough to feel live. */
const TYPING_DELAY_MS = 300;
const EVERYTHING: ValidationScope = { all: true, changes: [], specs: [] };
/** Enough to find the pass a test waits for among the ones an edit's neighbours caused. */
const PASSES_KEPT = 100;

export interface DiagnosticsDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
}

/** The validation passes that completed, for tests to wait on before asserting that a file has no findings. */
export interface ValidationPasses {
  /** The latest passes of every folder, oldest first (a bounded history). */
  readonly recent: () => readonly ValidationPass[];
  readonly onDidValidate: vscode.Event<ValidationPass>;
}

/**
 * Problems-panel diagnostics for every OpenSpec folder: the `openspec validate` verdicts under `openspec`,
 * our own checks under `openspec-loop`. The whole workspace is validated once the models are ready; after
 * that only the changes and specs an edit or a file event touched, typing debounced.
 */
export function registerDiagnostics(deps: DiagnosticsDeps): {
  passes: ValidationPasses;
  disposable: vscode.Disposable;
} {
  const stores = { cli: new DiagnosticStore(VALIDATION_SOURCE), lint: new DiagnosticStore(LINT_SOURCE) };
  const validated = new vscode.EventEmitter<ValidationPass>();
  let recent: ValidationPass[] = [];
  const onDidValidate = (pass: ValidationPass): void => {
    recent = [...recent, pass].slice(-PASSES_KEPT);
    validated.fire(pass);
  };
  const validations = new Map<string, FolderValidation>();
  let started = false;

  const validationFor = (folder: FolderModel): { validation: FolderValidation; isNew: boolean } => {
    const existing = validations.get(folder.root);
    if (existing) return { validation: existing, isNew: false };
    const validation = new FolderValidation(folder, stores, deps.logger, onDidValidate);
    validations.set(folder.root, validation);
    return { validation, isNew: true };
  };

  const onChange = (change: ModelChange): void => {
    if (!started) return;
    const { validation, isNew } = validationFor(change.folder);
    const { delta } = change;
    const scope: ValidationScope =
      isNew || delta.config ? EVERYTHING : { all: false, changes: delta.changes, specs: delta.specs };
    if (!scope.all && scope.changes.length === 0 && scope.specs.length === 0) return;
    validation.request(scope, change.fromDisk ? 0 : TYPING_DELAY_MS);
  };
  const subscription = deps.models.onDidChange(onChange);
  const removal = deps.models.onDidRemoveFolder((folder) => {
    validations.get(folder.root)?.dispose();
    validations.delete(folder.root);
  });

  deps.models.ready.then(
    () => {
      started = true;
      for (const folder of deps.models.folders) validationFor(folder).validation.request(EVERYTHING, 0);
    },
    (error: unknown) => deps.logger.error('OpenSpec models failed to load; no diagnostics', error),
  );

  const disposable = new vscode.Disposable(() => {
    subscription.dispose();
    removal.dispose();
    for (const validation of validations.values()) validation.dispose();
    validations.clear();
    stores.cli.dispose();
    stores.lint.dispose();
    validated.dispose();
  });
  return { passes: { recent: () => recent, onDidValidate: validated.event }, disposable };
}
