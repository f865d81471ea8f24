import * as vscode from 'vscode';
import type { ReviewDiagnostics } from './reviewDiagnostics';

/** "Improve with AI" on each review finding of a change document: asks for a fix of exactly that finding. */
export class ImproveQuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly reviews: ReviewDiagnostics) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    return context.diagnostics.flatMap((shown) => {
      const diagnostic = this.reviews.lookup(document.uri, shown);
      if (!diagnostic || !diagnostic.finding.file.includes('/changes/')) return [];
      const action = new vscode.CodeAction('Improve with AI', vscode.CodeActionKind.QuickFix);
      action.diagnostics = [shown];
      action.command = {
        title: 'Improve with AI',
        command: 'openspecLoop.improveWithAi',
        arguments: [
          {
            uri: document.uri,
            changeId: diagnostic.changeId,
            requirement: diagnostic.finding.requirement,
            findings: [diagnostic.finding],
          },
        ],
      };
      return [action];
    });
  }
}
