import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { capabilityProblem, newChangeNameProblem, scaffoldChange } from '../../core/openspec/changeScaffold';
import type { OpenSpecModels } from '../model/openSpecModels';
import { pickFolder } from '../model/pickFolder';
import { counted } from '../../core/counted';

/** Arguments that skip the prompts (tests, other commands, agents). */
export interface NewChangeOptions {
  readonly id?: string;
  readonly capability?: string;
  /** Workspace folder URI, when the window has several OpenSpec folders. */
  readonly folder?: string;
}

/**
 * "OpenSpec: New Change": scaffolds `changes/<id>/` (metadata, proposal, tasks and a delta spec from
 * OpenSpec's templates) through one undoable WorkspaceEdit, then opens the proposal.
 * Resolves to the new change's folder URI, or undefined when cancelled or refused.
 */
export function registerNewChange(deps: { models: OpenSpecModels; logger: Logger }): vscode.Disposable {
  return vscode.commands.registerCommand('openspecLoop.newChange', async (options: NewChangeOptions = {}) => {
    await deps.models.ready;
    const folder = await pickFolder(deps.models, 'New OpenSpec change in which folder?', options.folder);
    if (!folder) return undefined;
    const existing = folder.workspace.changes.map((change) => change.id);
    const id =
      options.id ??
      (await vscode.window.showInputBox({
        title: 'New OpenSpec change',
        prompt: 'Change id, in kebab-case: what the change does',
        placeHolder: 'add-two-factor-auth',
        validateInput: (value) => newChangeNameProblem(value, existing),
      }));
    if (id === undefined) return undefined;
    const capabilities = folder.workspace.specs.map((spec) => spec.capability);
    const capability =
      options.capability ??
      (await vscode.window.showInputBox({
        title: `New OpenSpec change '${id}'`,
        prompt: `Capability it changes: an existing one (${capabilities.slice(0, 5).join(', ') || 'none yet'}) or a new path`,
        value: id,
        validateInput: capabilityProblem,
      }));
    if (capability === undefined) return undefined;
    const problem = newChangeNameProblem(id, existing) ?? capabilityProblem(capability);
    if (problem) {
      void vscode.window.showErrorMessage(`Cannot create the change: ${problem}.`);
      return undefined;
    }
    const files = scaffoldChange({
      openspecDir: folder.workspace.openspecDir,
      changeId: id,
      capability,
      capabilityExists: capabilities.includes(capability),
      schema: folder.workspace.config?.data.schema ?? 'spec-driven',
      today: localDate(new Date()),
    });
    const edit = new vscode.WorkspaceEdit();
    for (const file of files)
      edit.createFile(folder.toUri(file.path), {
        contents: Buffer.from(file.text, 'utf8'),
        overwrite: false,
        ignoreIfExists: false,
      });
    if (!(await vscode.workspace.applyEdit(edit))) {
      deps.logger.warn(`Creating change '${id}' was refused by the editor`);
      void vscode.window.showErrorMessage(
        `Could not create change '${id}': a file may already exist. Nothing was changed.`,
      );
      return undefined;
    }
    deps.logger.info(`Created change '${id}' (${counted(files.length, 'file')})`);
    const proposal = files.find((file) => file.path.endsWith('/proposal.md'));
    if (proposal) await vscode.window.showTextDocument(folder.toUri(proposal.path), { preview: false });
    return vscode.Uri.joinPath(folder.toUri(folder.workspace.openspecDir), 'changes', id);
  });
}

/** The user's calendar date, as `openspec new change` writes it. */
function localDate(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
