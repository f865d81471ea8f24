import { posix as path } from 'node:path';
import * as vscode from 'vscode';
import { VALIDATION_SOURCE } from '../../core/diagnostics/locatedFinding';
import type { Change } from '../../core/openspec/model';
import { toPosix } from '../../node/nodeFileSystem';
import { rememberedFor } from '../../core/weakMemo';

export type ChangeVerdict = 'errors' | 'warnings' | 'valid';

/**
 * A change's `openspec validate` state, read from the Problems panel (the diagnostics of its files under
 * the `openspec` source), so the tree always agrees with what the user sees there. Our own advisory checks
 * do not count, as they do not count for the CLI.
 */
export function changeVerdict(change: Change): ChangeVerdict {
  const worst = worstSeverities();
  let verdict: ChangeVerdict = 'valid';
  for (const key of rememberedFor(fileKeys, change, keysOfFiles)) {
    const severity = worst.get(key);
    if (severity === 'errors') return 'errors';
    if (severity === 'warnings') verdict = 'warnings';
  }
  return verdict;
}

/** A change's files as diagnostics keys, made once per parsed change: a redraw asks for them 1,000 times. */
const fileKeys = new WeakMap<Change, readonly string[]>();

function keysOfFiles(change: Change): readonly string[] {
  const files = [
    change.proposal?.path,
    change.design?.path,
    change.tasks?.path,
    path.join(change.dir, '.openspec.yaml'),
    ...change.deltas.map((delta) => delta.path),
  ];
  return files.filter((file) => file !== undefined).map(pathKey);
}

type Severity = Exclude<ChangeVerdict, 'valid'>;

/** The worst `openspec` severity per file, kept up to date from the diagnostics events while tracked. */
let tracked: Map<string, Severity> | undefined;
let severities: Map<string, Severity> | undefined;

/**
 * Keeps the worst `openspec` severity of every file from the diagnostics events, asking the host only for the
 * files each event names. Without it, each redraw read every diagnostic of the window, tens of ms with a
 * thousand changes' worth of warnings.
 */
export function trackValidationSeverities(): vscode.Disposable {
  const map = readAllSeverities();
  tracked = map;
  const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
    for (const uri of event.uris) {
      if (uri.scheme !== 'file') continue;
      const worst = worstOf(vscode.languages.getDiagnostics(uri));
      if (worst) map.set(pathKey(uri.fsPath), worst);
      else map.delete(pathKey(uri.fsPath));
    }
  });
  return new vscode.Disposable(() => {
    subscription.dispose();
    if (tracked === map) tracked = undefined;
  });
}

/**
 * The tracked severities or, untracked, those of one read of all diagnostics kept for the rest of this turn of
 * the event loop: a redraw asks for every change row in one turn, and asking the host file by file (five or
 * more per change) held its thread for tens of ms at 1,000 changes.
 */
function worstSeverities(): ReadonlyMap<string, Severity> {
  if (tracked) return tracked;
  if (severities) return severities;
  severities = readAllSeverities();
  setImmediate(() => (severities = undefined));
  return severities;
}

function readAllSeverities(): Map<string, Severity> {
  const built = new Map<string, Severity>();
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const worst = uri.scheme === 'file' ? worstOf(diagnostics) : undefined;
    if (worst) built.set(pathKey(uri.fsPath), worst);
  }
  return built;
}

function worstOf(diagnostics: readonly vscode.Diagnostic[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== VALIDATION_SOURCE) continue;
    if (diagnostic.severity === vscode.DiagnosticSeverity.Error) return 'errors';
    if (diagnostic.severity === vscode.DiagnosticSeverity.Warning) worst = 'warnings';
  }
  return worst;
}

/** A core (POSIX) path and a file URI's fsPath compare equal: forward slashes, a lower-case drive letter. */
function pathKey(file: string): string {
  return toPosix(file).replace(/^[A-Z]:/, (drive) => drive.toLowerCase());
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
