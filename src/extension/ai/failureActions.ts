import * as vscode from 'vscode';
import type { LlmError, LlmErrorReason } from '../../core/ai/llmError';

export type FailureAction = 'Retry' | 'Select Model' | 'Set API Token' | 'Open Settings' | 'Copy Command' | 'Show Log';

/** What a user can do about each failure, best first; VS Code shows the first few as buttons. */
const ACTIONS: Record<Exclude<LlmErrorReason, 'cancelled'>, readonly FailureAction[]> = {
  unreachable: ['Retry', 'Open Settings', 'Show Log'],
  noModelLoaded: ['Retry', 'Select Model', 'Show Log'],
  modelNotFound: ['Select Model', 'Open Settings', 'Show Log'],
  contextOverflow: ['Copy Command', 'Retry', 'Show Log'],
  timeout: ['Retry', 'Open Settings', 'Show Log'],
  rateLimited: ['Retry', 'Show Log'],
  serverError: ['Retry', 'Show Log'],
  authRequired: ['Set API Token', 'Retry', 'Show Log'],
  badOutput: ['Retry', 'Show Log'],
};

export function actionsFor(error: LlmError): FailureAction[] {
  if (error.reason === 'cancelled') return [];
  const actions = ACTIONS[error.reason];
  return actions.filter((action) => action !== 'Copy Command' || loadCommandIn(error) !== undefined);
}

/** The `lms load ... --context-length N` command a context-overflow hint carries, to put on the clipboard. */
export function loadCommandIn(error: LlmError): string | undefined {
  return /`(lms load [^`]+)`/.exec(error.hint)?.[1];
}

/** Runs a chosen action; Retry is the caller's, since only it knows the operation to repeat. */
export async function performAction(action: FailureAction, error: LlmError, retry: () => unknown): Promise<void> {
  switch (action) {
    case 'Retry':
      retry();
      return;
    case 'Select Model':
      await vscode.commands.executeCommand('openspecLoop.selectModel');
      return;
    case 'Set API Token':
      await vscode.commands.executeCommand('openspecLoop.setLmStudioToken');
      return;
    case 'Open Settings':
      await vscode.commands.executeCommand('workbench.action.openSettings', settingFor(error));
      return;
    case 'Copy Command': {
      const command = loadCommandIn(error);
      if (command) {
        await vscode.env.clipboard.writeText(command);
        void vscode.window.showInformationMessage(`Copied: ${command}. Run it in a terminal, then Retry.`);
      }
      return;
    }
    case 'Show Log':
      await vscode.commands.executeCommand('openspecLoop.showLog');
      return;
  }
}

function settingFor(error: LlmError): string {
  if (error.reason === 'timeout') return 'openspecLoop.lmStudio.firstTokenTimeoutMs';
  if (error.reason === 'modelNotFound') return 'openspecLoop.lmStudio.model';
  return 'openspecLoop.lmStudio';
}
