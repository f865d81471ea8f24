import * as vscode from 'vscode';
import { registerLog } from './log';

/** Composes the feature modules; each owns its registrations through the Disposable it returns. */
export function activate(context: vscode.ExtensionContext): void {
  const log = registerLog();
  context.subscriptions.push(log.disposable);
  log.logger.info(`OpenSpec Loop ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {}
