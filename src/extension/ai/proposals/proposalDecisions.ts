import * as vscode from 'vscode';
import { sha256, type Proposal } from '../../../core/ai/improve/improveDocument';
import { sameDocumentText } from '../../../core/ai/improve/documentText';
import { checkWarning, needsConfirmation } from '../../../core/ai/improve/proposalCheck';
import type { DecisionKind } from '../../../core/feedback/feedbackData';
import type { PendingProposal, ProposalStore } from './proposalStore';
import { openProposalDocument, proposalIdOf, proposalIdOfTab, proposalTabs } from './proposalDocuments';

export type AcceptOutcome = 'accepted' | 'stale' | 'failed' | 'declined' | 'unknown';

/**
 * Applies a proposal as one undoable edit, only when the document still holds the very text the model
 * read (by hash); otherwise nothing is written and the user is told why.
 */
export async function acceptProposal(
  store: ProposalStore,
  entry: PendingProposal,
  rerun: (entry: PendingProposal) => void,
): Promise<AcceptOutcome> {
  const { text, decision } = await textToAccept(entry);
  // A proposal that destroys what nobody asked to remove takes a second yes; a version the user edited is theirs.
  if (decision === 'accepted' && !(await confirmDestructive(entry.proposal))) return 'declined';
  // A running loop writes its own proposals once told they are accepted, through applyProposalText below.
  if (entry.fromLoop && store.isAwaited(entry.id)) {
    await store.decide(entry.id, decision, text);
    await closeProposalTabs(entry.id);
    return 'accepted';
  }
  const result = await applyProposalText(entry.proposal, text);
  if (result === 'stale') {
    void vscode.window
      .showWarningMessage(
        entry.proposal.created
          ? `Not applied: ${entry.proposal.file} was created after the proposal was made, and applying it would overwrite that file. Your text is kept as it is.`
          : `Not applied: ${entry.proposal.file} changed after the model read it, and applying the proposal would overwrite those changes. Your text is kept as it is.`,
        'Re-run on Current Text',
        'Reject Proposal',
      )
      .then(async (choice) => {
        if (choice === 'Re-run on Current Text') {
          await rejectProposal(store, entry);
          rerun(entry);
        } else if (choice === 'Reject Proposal') await rejectProposal(store, entry);
      });
    return 'stale';
  }
  if (result === 'failed') {
    void vscode.window.showErrorMessage(
      `The proposal for ${entry.proposal.file} could not be applied; the file is unchanged.`,
    );
    return 'failed';
  }
  await store.decide(entry.id, decision, text);
  await closeProposalTabs(entry.id);
  return 'accepted';
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

/**
 * Writes `text` over the proposal's file as one undoable edit, only when the document still holds the very
 * text the model read (by hash). A document that was clean before is saved after, so no dirty tab is left
 * behind; unsaved edits of the user's are never saved for them.
 */
export async function applyProposalText(proposal: Proposal, text: string): Promise<'applied' | 'stale' | 'failed'> {
  const uri = vscode.Uri.file(proposal.absolutePath);
  if (proposal.created) return createProposedFile(uri, text);
  const document = await vscode.workspace.openTextDocument(uri);
  // The model may have read the bytes on disk (BOM, mixed line endings) where the editor shows its own form.
  if (sha256(document.getText()) !== proposal.baseHash && !sameDocumentText(document.getText(), proposal.baseText))
    return 'stale';
  const wasDirty = document.isDirty;
  const edit = new vscode.WorkspaceEdit();
  // The document's encoding keeps a BOM; one inside its text would be written as a second one.
  edit.replace(
    uri,
    new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)),
    text.replace(/^\uFEFF/, ''),
  );
  if (!(await vscode.workspace.applyEdit(edit))) return 'failed';
  // Asked afresh: the document object read above may have been closed meanwhile (a diff tab showing it closed).
  if (!wasDirty) await (await vscode.workspace.openTextDocument(uri)).save();
  return 'applied';
}

/** A proposal for a file that did not exist: created as one undoable edit, only if it still does not exist. */
async function createProposedFile(uri: vscode.Uri, text: string): Promise<'applied' | 'stale' | 'failed'> {
  const exists = await vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
  if (exists) return 'stale';
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { contents: new TextEncoder().encode(text) });
  return (await vscode.workspace.applyEdit(edit)) ? 'applied' : 'failed';
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
