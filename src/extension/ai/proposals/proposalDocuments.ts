import * as vscode from 'vscode';
import type { ProposalStore } from './proposalStore';

/** The scheme of the documents that show a proposal's text in the diff. */
export const PROPOSAL_SCHEME = 'openspec-loop-proposal';

/**
 * `proposed` is the proposal itself, which the user may edit before accepting; `base` is the read-only
 * empty left side of a proposal that creates its file.
 */
export type ProposalSide = 'proposed' | 'base';

/** The proposal's document: the target file's path (so the tab and language match) and the proposal id. */
export function proposalUri(id: string, file: string, side: ProposalSide = 'proposed'): vscode.Uri {
  return vscode.Uri.from({
    scheme: PROPOSAL_SCHEME,
    path: `/${file}`,
    query: side === 'base' ? `id=${id}&side=base` : `id=${id}`,
  });
}

export function proposalIdOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== PROPOSAL_SCHEME) return undefined;
  return new URLSearchParams(uri.query).get('id') ?? undefined;
}

/** The proposal a tab shows, as a diff or as the proposed document opened on its own. */
export function proposalIdOfTab(tab: vscode.Tab | undefined): string | undefined {
  const input = tab?.input;
  const uri =
    input instanceof vscode.TabInputTextDiff
      ? input.modified
      : input instanceof vscode.TabInputText
        ? input.uri
        : undefined;
  return uri ? proposalIdOf(uri) : undefined;
}

/** Every open tab showing proposal `id`, in any editor group. */
export function proposalTabs(id: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => proposalIdOfTab(tab) === id);
}

function sideOf(uri: vscode.Uri): ProposalSide {
  return new URLSearchParams(uri.query).get('side') === 'base' ? 'base' : 'proposed';
}

/** The proposal's editable document when it is open, so Accept takes what the user sees, saved or not. */
export function openProposalDocument(id: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find(
    (document) => proposalIdOf(document.uri) === id && sideOf(document.uri) === 'proposed',
  );
}

const NOT_PENDING = new TextEncoder().encode('This proposal was accepted or rejected and is no longer pending.\n');

/**
 * Serves proposals as files: the proposed side is writable, so the user can edit a proposal in the diff and
 * accept the edited text (saving keeps the edit with the proposal across reloads). Nothing here touches the
 * user's files; only Accept writes those.
 */
export class ProposalFileSystem implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  constructor(private readonly store: ProposalStore) {}

  watch(): vscode.Disposable {
    // Changes come only through writeFile and the store, which report them themselves.
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const entry = this.entryOf(uri);
    const editable = entry !== undefined && sideOf(uri) === 'proposed';
    return {
      type: vscode.FileType.File,
      ctime: entry?.createdAt ?? 0,
      mtime: entry?.editedAt ?? entry?.createdAt ?? 0,
      size: this.readFile(uri).byteLength,
      ...(editable ? {} : { permissions: vscode.FilePermission.Readonly }),
    };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const entry = this.entryOf(uri);
    if (!entry) return NOT_PENDING;
    const text = sideOf(uri) === 'base' ? entry.proposal.baseText : (entry.editedText ?? entry.proposal.proposedText);
    return new TextEncoder().encode(text);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const entry = this.entryOf(uri);
    if (!entry || sideOf(uri) === 'base')
      throw vscode.FileSystemError.NoPermissions(
        'This proposal is no longer pending, or this side of it cannot be edited.',
      );
    await this.store.edit(entry.id, new TextDecoder().decode(content));
    this.changes.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changes.dispose();
  }

  private entryOf(uri: vscode.Uri) {
    const id = proposalIdOf(uri);
    return id ? this.store.get(id) : undefined;
  }
}
