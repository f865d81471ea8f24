import * as vscode from 'vscode';
import type { Proposal } from '../../../core/ai/improve/improveDocument';
import { writeProposal } from '../../../core/ai/improve/proposalWrite';
import type { FileWriter } from '../../../core/fs/fileWriter';
import type { Logger } from '../../../core/logger';
import { inBackground } from '../../background';
import { checkWarning, needsConfirmation } from '../../../core/ai/improve/proposalCheck';
import type { DecisionKind } from '../../../core/feedback/feedbackData';
import type { PendingProposal, ProposalStore } from './proposalStore';
import { openProposalDocument, proposalIdOf, proposalIdOfTab, proposalTabs } from './proposalDocuments';

export type AcceptOutcome = 'accepted' | 'stale' | 'failed' | 'declined' | 'unknown';

/**
 * Applies a proposal through the editor's writer (one undoable edit), only when the document still holds the
 * text the model read (a BOM or other line endings aside); otherwise nothing is written and the user is told why.
 */
export async function acceptProposal(
  { writer, logger }: { readonly writer: FileWriter; readonly logger: Logger },
  store: ProposalStore,
  entry: PendingProposal,
  rerun: (entry: PendingProposal) => void,
): Promise<AcceptOutcome> {
  const { text, decision } = await textToAccept(entry);
  // A proposal that destroys what nobody asked to remove takes a second yes; a version the user edited is theirs.
  if (decision === 'accepted' && !(await confirmDestructive(entry.proposal))) return 'declined';
  // A running loop writes its own proposals once told they are accepted, through the same writer.
  if (entry.fromLoop && store.isAwaited(entry.id)) {
    await store.decide(entry.id, decision, text);
    await closeProposalTabs(entry.id);
    return 'accepted';
  }
  const outcome = await writeProposal(writer, entry.proposal, text);
  switch (outcome.kind) {
    case 'written':
    case 'unchanged':
      await store.decide(entry.id, decision, text);
      await closeProposalTabs(entry.id);
      return 'accepted';
    case 'stale':
    case 'exists':
    case 'missing':
      offerRerun(logger, store, entry, rerun, notAppliedBecause(entry.proposal, outcome.kind));
      return 'stale';
    case 'refused':
      void vscode.window.showErrorMessage(
        `The proposal for ${entry.proposal.file} could not be applied (${outcome.reason}); the file is unchanged.`,
      );
      return 'failed';
  }
}

function notAppliedBecause(proposal: Proposal, kind: 'stale' | 'exists' | 'missing'): string {
  switch (kind) {
    case 'exists':
      return `${proposal.file} was created after the proposal was made, and applying it would overwrite that file`;
    case 'missing':
      return `${proposal.file} was deleted after the model read it`;
    case 'stale':
      return `${proposal.file} changed after the model read it, and applying the proposal would overwrite those changes`;
  }
}

function offerRerun(
  logger: Logger,
  store: ProposalStore,
  entry: PendingProposal,
  rerun: (entry: PendingProposal) => void,
  why: string,
): void {
  inBackground(logger, `the choice after ${entry.proposal.file} was not applied`, async () => {
    const choice = await vscode.window.showWarningMessage(
      `Not applied: ${why}. Your text is kept as it is.`,
      'Re-run on Current Text',
      'Reject Proposal',
    );
    if (choice === 'Re-run on Current Text') {
      await rejectProposal(store, entry);
      rerun(entry);
    } else if (choice === 'Reject Proposal') await rejectProposal(store, entry);
  });
}

async function confirmDestructive(proposal: Proposal): Promise<boolean> {
  if (!needsConfirmation(proposal.check)) return true;
  const choice = await vscode.window.showWarningMessage(
    `Accept the proposal for ${proposal.file}? It ${checkWarning(proposal.check)}.`,
    {
      modal: true,
      detail:
        'Nothing is written unless you accept. You can also edit the proposed side of the diff first, or reject the proposal.',
    },
    'Accept Anyway',
  );
  return choice === 'Accept Anyway';
}

/**
 * What Accept writes: the proposal's document as the user sees it (edited, saved or not), else the edit saved
 * with the proposal, else the model's text. A dirty proposal document is saved first, so closing its tab
 * asks nothing.
 */
async function textToAccept(entry: PendingProposal): Promise<{ text: string; decision: DecisionKind }> {
  const document = openProposalDocument(entry.id);
  // An unedited document is not read back: its EOLs may have been normalized on opening.
  const text = document?.isDirty ? document.getText() : (entry.editedText ?? entry.proposal.proposedText);
  if (document?.isDirty) await document.save();
  return { text, decision: text === entry.proposal.proposedText ? 'accepted' : 'acceptedEdited' };
}

/** Forgets the proposal and closes its diff. Writes none of the user's files. */
export async function rejectProposal(store: ProposalStore, entry: PendingProposal): Promise<void> {
  // Saved (into the proposal, which is then dropped) so that closing an edited diff asks nothing.
  await openProposalDocument(entry.id)?.save();
  await store.decide(entry.id, 'rejected');
  await closeProposalTabs(entry.id);
}

/** The proposal a command was invoked for: an id, a proposal document (editor title), a tree node, or the active diff. */
export function proposalFromArgument(store: ProposalStore, argument: unknown): PendingProposal | undefined {
  if (typeof argument === 'string') return store.get(argument);
  if (argument instanceof vscode.Uri) {
    const id = proposalIdOf(argument);
    return id ? store.get(id) : undefined;
  }
  if (
    typeof argument === 'object' &&
    argument !== null &&
    typeof (argument as { proposalId?: unknown }).proposalId === 'string'
  ) {
    return store.get((argument as { proposalId: string }).proposalId);
  }
  const activeTab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const id = activeTab?.input instanceof vscode.TabInputTextDiff ? proposalIdOfTab(activeTab) : undefined;
  return id ? store.get(id) : undefined;
}

export async function closeProposalTabs(id: string): Promise<void> {
  const tabs = proposalTabs(id);
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
