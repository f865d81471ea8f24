import * as vscode from 'vscode';
import type { Logger } from '../core/logger';

/**
 * Restricted Mode, in one place. In a workspace the user has not trusted, nothing is spawned and nothing leaves
 * the window: no LM Studio request, none of the user's MCP servers, no MCP server listening for agents, no
 * `openspec` CLI. The explorer, validation in the Problems panel, quick fixes, the CodeLens that only read and
 * Compare work as usual; everything else starts once trust is granted, without a reload.
 */

/** VS Code's own command: the Workspace Trust editor, where the user can trust the folder. */
const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
const MANAGE_TRUST = 'Manage Workspace Trust';

/** Runs `start` now in a trusted workspace, otherwise when the user grants trust. */
export function whenTrusted(start: () => void): vscode.Disposable {
  if (vscode.workspace.isTrusted) {
    start();
    return new vscode.Disposable(() => undefined);
  }
  const subscription = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    subscription.dispose();
    start();
  });
  return subscription;
}

/** Why AI features wait for trust, in the words of every refusal that names them. */
export const AI_NEEDS_TRUST = 'it sends the specs to LM Studio and to the MCP servers you configured';

/**
 * For a command the user ran: true in a trusted workspace. Otherwise it says what `feature` would do that
 * Restricted Mode forbids (`reason`: "it runs the openspec CLI"), offers Manage Workspace Trust, and returns false.
 */
export function trustedFor(feature: string, reason: string, logger: Logger): boolean {
  if (vscode.workspace.isTrusted) return true;
  logger.info(`${feature}: not run in Restricted Mode (${reason}).`);
  void vscode.window
    .showWarningMessage(
      `${feature}: not available in Restricted Mode, because ${reason}. Trust this workspace to use it.`,
      MANAGE_TRUST,
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
    });
  return false;
}
