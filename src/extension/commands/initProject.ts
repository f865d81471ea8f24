import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { locateOpenSpecCli, runOpenSpecInit } from '../../node/openSpecCli';
import type { OpenSpecModels } from '../model/openSpecModels';
import { inBackground } from '../background';
import { trustedFor } from '../workspaceTrust';

/** Drives the welcome view: offer to initialize only when there is a CLI to do it. */
const CLI_CONTEXT = 'openspecLoop.cliAvailable';
const INSTALL_URL = 'https://www.npmjs.com/package/@fission-ai/openspec';

export type InitOutcome = 'initialized' | 'alreadyInitialized' | 'noCli' | 'failed' | 'cancelled' | 'restricted';

/**
 * "Initialize OpenSpec": runs the user's own `openspec init --tools none` in a workspace folder (or a folder
 * picked in the Explorer), so the layout is exactly what their CLI version writes. The model notices the new
 * `openspec/` through its watcher; Refresh is run as well in case the watcher missed it. Restricted Mode runs
 * no CLI, and VS Code ignores a workspace's own `openspecLoop.cliPath` there.
 */
export function registerInitProject(deps: { models: OpenSpecModels; logger: Logger }): vscode.Disposable {
  const cliPath = () => vscode.workspace.getConfiguration('openspecLoop').get<string>('cliPath', '');
  const updateContext = () =>
    void vscode.commands.executeCommand('setContext', CLI_CONTEXT, locateOpenSpecCli(cliPath()) !== undefined);
  updateContext();
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('openspecLoop.cliPath')) updateContext();
    }),
    vscode.commands.registerCommand('openspecLoop.init', async (target?: unknown): Promise<InitOutcome> => {
      if (!trustedFor('Initialize OpenSpec', 'it runs the openspec CLI', deps.logger)) return 'restricted';
      const directory = target instanceof vscode.Uri ? target : await pickFolder();
      if (!directory) return 'cancelled';
      if (existsSync(vscode.Uri.joinPath(directory, 'openspec').fsPath)) {
        void vscode.window.showInformationMessage(`${directory.fsPath} already has an openspec/ folder.`);
        return 'alreadyInitialized';
      }
      const cli = locateOpenSpecCli(cliPath());
      if (!cli) {
        void offerCliSetup(cliPath());
        return 'noCli';
      }
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `OpenSpec: initializing ${directory.fsPath}` },
        () => runOpenSpecInit(cli, directory.fsPath),
      );
      deps.logger.info(`${cli} init --tools none in ${directory.fsPath} exited ${run.exitCode}:\n${run.output}`);
      if (run.exitCode !== 0) {
        const lastLine = run.output.split('\n').filter(Boolean).pop() ?? `exit code ${run.exitCode}`;
        inBackground(deps.logger, 'Showing the log', async () => {
          const choice = await vscode.window.showErrorMessage(`openspec init failed: ${lastLine}`, 'Show Log');
          if (choice) await vscode.commands.executeCommand('openspecLoop.showLog');
        });
        return 'failed';
      }
      await deps.models.refresh();
      void vscode.window
        .showInformationMessage(`OpenSpec is set up in ${directory.fsPath}.`, 'New Change')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('openspecLoop.newChange');
        });
      return 'initialized';
    }),
  );
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter(
    (folder) => !existsSync(vscode.Uri.joinPath(folder.uri, 'openspec').fsPath),
  );
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Open a folder first: OpenSpec is initialized in a workspace folder.');
    return undefined;
  }
  if (folders.length === 1) return folders[0]?.uri;
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Initialize OpenSpec in which folder?' });
  return picked?.uri;
}

async function offerCliSetup(configured: string): Promise<void> {
  const message = configured.trim()
    ? `The openspecLoop.cliPath setting (${configured}) is not an executable file.`
    : 'The OpenSpec CLI was not found on PATH. Install it with `npm install -g @fission-ai/openspec`, or set openspecLoop.cliPath.';
  const choice = await vscode.window.showErrorMessage(message, 'Install Instructions', 'Open Settings');
  if (choice === 'Install Instructions') await vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
  if (choice === 'Open Settings')
    await vscode.commands.executeCommand('workbench.action.openSettings', 'openspecLoop.cliPath');
}
