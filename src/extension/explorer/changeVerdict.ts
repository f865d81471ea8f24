import { posix as path } from 'node:path';
import * as vscode from 'vscode';
import { VALIDATION_SOURCE } from '../../core/diagnostics/locatedFinding';
import type { Change } from '../../core/openspec/model';
import type { FolderModel } from '../model/openSpecModels';

export type ChangeVerdict = 'errors' | 'warnings' | 'valid';

/**
 * A change's `openspec validate` state, read from the Problems panel (the diagnostics of its files under
 * the `openspec` source), so the tree always agrees with what the user sees there. Our own advisory checks
 * do not count, as they do not count for the CLI.
 */
export function changeVerdict(folder: FolderModel, change: Change): ChangeVerdict {
  const files = [
    change.proposal?.path,
    change.design?.path,
    change.tasks?.path,
    path.join(change.dir, '.openspec.yaml'),
    ...change.deltas.map((delta) => delta.path),
  ];
  let verdict: ChangeVerdict = 'valid';
  for (const file of files) {
    if (!file) continue;
    for (const diagnostic of vscode.languages.getDiagnostics(folder.toUri(file))) {
      if (diagnostic.source !== VALIDATION_SOURCE) continue;
      if (diagnostic.severity === vscode.DiagnosticSeverity.Error) return 'errors';
      if (diagnostic.severity === vscode.DiagnosticSeverity.Warning) verdict = 'warnings';
    }
  }
  return verdict;
}

const ICONS: Record<ChangeVerdict, vscode.ThemeIcon> = {
  errors: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  warnings: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  valid: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
};

const LABELS: Record<ChangeVerdict, string> = {
  errors: 'openspec validate: errors (see Problems)',
  warnings: 'openspec validate: valid, with warnings',
  valid: 'openspec validate: valid',
};

export function verdictIcon(verdict: ChangeVerdict): vscode.ThemeIcon {
  return ICONS[verdict];
}

export function verdictLabel(verdict: ChangeVerdict): string {
  return LABELS[verdict];
}
