import * as vscode from 'vscode';
import { needsConfirmation, proposalWarnings } from '../../../core/ai/improve/proposalCheck';
import type { AcceptOutcome } from './proposalDecisions';
import { proposalFromArgument } from './proposalDecisions';
import { PROPOSAL_SCHEME, proposalIdOf, proposalIdOfTab } from './proposalDocuments';
import type { PendingProposal, ProposalStore } from './proposalStore';
import { counted } from '../../../core/counted';

/**
 * The diff is where a proposal is decided: its title actions (Accept, Accept and Next, Reject), a CodeLens on
 * the proposed side with the same actions under the impact warning (diff editors show CodeLens when
 * `diffEditor.codeLens` is on; the proposed side opened alone always does), and a status bar item counting the
 * pending proposals that opens the next one, so a decided proposal's notification is never the only way back.
 */
export function registerProposalNavigation(
  proposals: ProposalStore,
  show: (entry: PendingProposal) => Promise<void>,
): vscode.Disposable {
  const status = vscode.window.createStatusBarItem('openspecLoop.pendingProposals', vscode.StatusBarAlignment.Left, 90);
  status.name = 'OpenSpec Loop: pending AI proposals';
  status.command = 'openspecLoop.showNextProposal';
  const refreshStatus = () => {
    const count = proposals.all.length;
    // "Accept and Next" shows in the diff's title only while there is a next one.
    void vscode.commands.executeCommand('setContext', 'openspecLoop.pendingProposals', count);
    if (count === 0) return status.hide();
    status.text = `$(git-pull-request-draft) ${counted(count, 'proposal')} pending`;
    status.tooltip = 'AI proposals waiting for Accept or Reject. Click to open the next one.';
    status.show();
  };
  refreshStatus();

  const lenses = new ProposalCodeLenses(proposals);
  const showNext = async (after?: string): Promise<PendingProposal | undefined> => {
    const next = nextProposal(proposals.all, after ?? activeProposalId());
    if (next) await show(next);
    else void vscode.window.showInformationMessage('No AI proposals are pending.');
    return next;
  };
  return vscode.Disposable.from(
    status,
    lenses,
    proposals.onDidChange(() => {
      refreshStatus();
      lenses.refresh();
    }),
    vscode.languages.registerCodeLensProvider({ scheme: PROPOSAL_SCHEME }, lenses),
    vscode.commands.registerCommand('openspecLoop.showNextProposal', () => showNext()),
    vscode.commands.registerCommand(
      'openspecLoop.acceptAndNextProposal',
      async (argument?: unknown): Promise<AcceptOutcome> => {
        const entry = proposalFromArgument(proposals, argument);
        if (!entry) return 'unknown';
        const outcome = await vscode.commands.executeCommand<AcceptOutcome>('openspecLoop.acceptProposal', entry.id);
        if (outcome === 'accepted' && proposals.all.length > 0) await showNext(entry.id);
        return outcome;
      },
    ),
  );
}

/** The pending proposal after `current` in listing order, wrapping around; the oldest when there is no current one. */
export function nextProposal(
  pending: readonly PendingProposal[],
  current: string | undefined,
): PendingProposal | undefined {
  const others = pending.filter((entry) => entry.id !== current);
  if (others.length === 0) return undefined;
  const index = pending.findIndex((entry) => entry.id === current);
  return pending.slice(index + 1).find((entry) => entry.id !== current) ?? others[0];
}

function activeProposalId(): string | undefined {
  return proposalIdOfTab(vscode.window.tabGroups.activeTabGroup.activeTab);
}

class ProposalCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly proposals: ProposalStore) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const id = proposalIdOf(document.uri);
    const entry = id ? this.proposals.get(id) : undefined;
    // The base side of a proposal that creates its file shares the id; only the proposed side decides.
    if (!entry || new URLSearchParams(document.uri.query).get('side') === 'base') return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, command: string, tooltip?: string) =>
      new vscode.CodeLens(top, { title, command, arguments: [entry.id], ...(tooltip ? { tooltip } : {}) });
    const confirms = needsConfirmation(entry.proposal.check)
      ? 'Accepting asks once more; edit the proposed side to keep what it removes.'
      : undefined;
    return [
      ...proposalWarnings(entry.proposal).map((warning) =>
        lens(`$(warning) Careful: it ${warning}`, 'openspecLoop.showProposal', confirms),
      ),
      lens('Accept', 'openspecLoop.acceptProposal'),
      lens('Reject', 'openspecLoop.rejectProposal'),
      ...(this.proposals.all.length > 1 ? [lens('Accept and Next', 'openspecLoop.acceptAndNextProposal')] : []),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
