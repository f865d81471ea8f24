import * as vscode from 'vscode';
import type { CompareRequirementArgs } from '../compare/registerCompare';
import { SPEC_DOCUMENTS } from './registerQuickFixes';

/** Which requirement a diagnostic asks to compare with the current spec, if it is one of those. */
export type CompareTarget = (uri: vscode.Uri, diagnostic: vscode.Diagnostic) => CompareRequirementArgs | undefined;

/**
 * "Compare with current spec" on the diagnostics whose fix is a look at the main spec's current text, not an
 * edit we could compute: the comparison opens and the user rewrites the block.
 */
export function registerCompareQuickFix(targetOf: CompareTarget): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions: (document, _range, context) =>
      context.diagnostics.flatMap((diagnostic) => {
        const target = targetOf(document.uri, diagnostic);
        if (!target) return [];
        const action = new vscode.CodeAction('Compare with current spec', vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.command = {
          command: 'openspecLoop.compareRequirement',
          title: 'Compare with current spec',
          arguments: [target],
        };
        return [action];
      }),
  };
  return vscode.languages.registerCodeActionsProvider(SPEC_DOCUMENTS, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}
