import * as vscode from 'vscode';
import { targetAt } from '../../core/language/languageTarget';
import { planRequirementRename, renameStart, type RenameStart } from '../../core/language/requirementRename';
import { toPosix } from '../../node/nodeFileSystem';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { SPEC_DOCUMENTS } from '../quickfix/registerQuickFixes';
import { toVscodeRange } from './languageRanges';

/**
 * F2 on a main spec requirement header renames it and every active delta that names it, as one WorkspaceEdit.
 * Each replacement asks for confirmation, so VS Code opens the refactor preview: a rename reaches into other
 * changes' files, and the user sees each before anything is written.
 */
class SpecRename implements vscode.RenameProvider {
  constructor(private readonly models: OpenSpecModels) {}

  prepareRename(document: vscode.TextDocument, position: vscode.Position): vscode.Range {
    const { start } = this.targetOf(document, position);
    if (!start.ok) throw new Error(start.reason);
    return toVscodeRange(start.range);
  }

  provideRenameEdits(document: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit {
    const { folder, target, start } = this.targetOf(document, position);
    if (!start.ok || !folder || !target) throw new Error(start.ok ? 'Nothing to rename here.' : start.reason);
    const plan = planRequirementRename(folder.workspace, target, newName);
    const edit = new vscode.WorkspaceEdit();
    if (!plan.ok) {
      // A rejection here would hand the rename on to the next provider, Markdown's heading rename, which would
      // rewrite the header without OpenSpec's rules; an empty edit ends the rename, the message says why.
      void vscode.window.showErrorMessage(plan.reason);
      return edit;
    }
    const metadata: vscode.WorkspaceEditEntryMetadata = {
      needsConfirmation: true,
      label: `Rename requirement "${start.name}" to "${newName.trim()}"`,
    };
    for (const replacement of plan.replacements)
      edit.replace(folder.toUri(replacement.file), toVscodeRange(replacement.range), replacement.newText, metadata);
    return edit;
  }

  private targetOf(document: vscode.TextDocument, position: vscode.Position) {
    const folder: FolderModel | undefined = this.models.folderFor(document.uri);
    const target =
      folder && targetAt(folder.workspace, toPosix(document.uri.fsPath), position.line, position.character);
    const start: RenameStart = folder
      ? renameStart(folder.workspace, target)
      : { ok: false, reason: 'This file is not in an OpenSpec folder.' };
    return { folder, target, start };
  }
}

export function registerSpecRename(deps: { models: OpenSpecModels }): vscode.Disposable {
  return vscode.languages.registerRenameProvider(SPEC_DOCUMENTS, new SpecRename(deps.models));
}
