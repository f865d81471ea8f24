import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingProposal } from './proposalStore';
import { checkWarning, proposalWarnings } from '../../../core/ai/improve/proposalCheck';
import { proposalTabs, proposalUri } from './proposalDocuments';
import { counted } from '../../../core/counted';

/**
 * Opens the diff of the file as it is against the proposal: Accept and Reject sit in its editor title, and
 * the title says when the proposal would add validation errors or destroy what nobody asked to remove, so
 * nobody accepts a regression unknowingly. The proposed side can be edited before accepting. A notification
 * with Accept and Reject comes only when the diff did not open: VS Code cannot close a notification, and one
 * left on screen after its proposal was decided in the diff would offer dead buttons.
 */
export async function showProposal(entry: PendingProposal): Promise<void> {
  const { proposal } = entry;
  const newErrors = proposal.validation.newErrors.length;
  const scope = proposal.requirement ? ` (${proposal.requirement})` : '';
  const impact = checkWarning(proposal.check);
  const warnings = proposalWarnings(proposal);
  const warning = warnings.length > 0 ? ` ⚠ ${warnings.join('; ')}` : '';
  await vscode.commands.executeCommand(
    'vscode.diff',
    proposal.created ? proposalUri(entry.id, proposal.file, 'base') : vscode.Uri.file(proposal.absolutePath),
    proposalUri(entry.id, proposal.file),
    `${path.basename(proposal.file)}${scope}: ${proposal.created ? 'new file' : 'current'} ↔ proposed${warning}`,
    { preview: false },
  );
  if (diffIsOpen(entry.id)) return;
  const errors =
    newErrors > 0
      ? ` It would add ${counted(newErrors, 'validation error')}: ${proposal.validation.newErrors[0]?.message ?? ''}`
      : '';
  const destroys = impact ? ` Careful: it ${impact}.` : '';
  const message = `Proposal for ${proposal.file}: ${asSentence(proposal.summary)}${errors}${destroys} You can edit the proposed side before accepting.`;
  const shown = impact
    ? vscode.window.showWarningMessage(message, 'Accept', 'Reject')
    : vscode.window.showInformationMessage(message, 'Accept', 'Reject');
  void shown.then((choice) => {
    if (choice === 'Accept') void vscode.commands.executeCommand('openspecLoop.acceptProposal', entry.id);
    if (choice === 'Reject') void vscode.commands.executeCommand('openspecLoop.rejectProposal', entry.id);
  });
}

function diffIsOpen(id: string): boolean {
  return proposalTabs(id).some((tab) => tab.input instanceof vscode.TabInputTextDiff);
}

function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
