import * as vscode from 'vscode';
import { VALIDATION_SOURCE } from '../../core/diagnostics/locatedFinding';
import { quickFixesFor, type TextEdit } from '../../core/quickfix/specQuickFixes';

/** Spec documents under any workspace's openspec/ folder, where validation findings live. */
export const SPEC_DOCUMENTS: vscode.DocumentSelector = { scheme: 'file', pattern: '**/openspec/**/*.md' };

/**
 * Quick fixes on `openspec validate` findings whose fix is mechanical (see the core's quickFixesFor). The
 * edit is computed from the editor's current text, so it applies to what the user sees, unsaved or not, and
 * lands as one undoable edit.
 */
export class SpecQuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const text = document.getText();
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== VALIDATION_SOURCE) continue;
      for (const fix of quickFixesFor(text, { line: diagnostic.range.start.line, message: diagnostic.message })) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of fix.edits) action.edit.replace(document.uri, toRange(edit), edit.newText);
        actions.push(action);
      }
    }
    return actions;
  }
}

function toRange(edit: TextEdit): vscode.Range {
  return new vscode.Range(
    edit.range.start.line,
    edit.range.start.character,
    edit.range.end.line,
    edit.range.end.character,
  );
}

export function registerQuickFixes(): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    SPEC_DOCUMENTS,
    new SpecQuickFixProvider(),
    SpecQuickFixProvider.metadata,
  );
}
