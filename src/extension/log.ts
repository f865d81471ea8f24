import * as vscode from 'vscode';
import type { Logger } from '../core/logger';

export interface LogRegistration {
  readonly logger: Logger;
  readonly channel: vscode.LogOutputChannel;
  readonly disposable: vscode.Disposable;
}

/** The "OpenSpec Loop" log channel, the core's Logger backed by it, and the "OpenSpec: Show Log" command. */
export function registerLog(): LogRegistration {
  const channel = vscode.window.createOutputChannel('OpenSpec Loop', { log: true });
  const logger: Logger = {
    debug: (message) => channel.debug(message),
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message, error) =>
      channel.error(error instanceof Error ? `${message}: ${error.stack ?? error.message}` : message),
  };
  const command = vscode.commands.registerCommand('openspecLoop.showLog', () => channel.show(true));
  return { logger, channel, disposable: vscode.Disposable.from(channel, command) };
}
