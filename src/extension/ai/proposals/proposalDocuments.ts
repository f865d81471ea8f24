import * as vscode from 'vscode';
import type { ProposalStore } from './proposalStore';

/** The scheme of the read-only documents that show a proposal's text in the diff. */
export const PROPOSAL_SCHEME = 'openspec-loop-proposal';

/** The proposal's document: the target file's path (so the tab and language match) and the proposal id. */
export function proposalUri(id: string, file: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${file}`, query: `id=${id}` });
}

export function proposalIdOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== PROPOSAL_SCHEME) return undefined;
  return new URLSearchParams(uri.query).get('id') ?? undefined;
}

/** Serves proposal text from the store; a decided proposal's document says so instead of going blank. */
export class ProposalDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: ProposalStore) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = proposalIdOf(uri);
    const entry = id ? this.store.get(id) : undefined;
    return entry ? entry.proposal.proposedText : 'This proposal was accepted or rejected and is no longer pending.\n';
  }
}
