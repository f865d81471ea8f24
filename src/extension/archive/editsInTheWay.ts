import * as vscode from 'vscode';
import { isWithin } from '../../core/fs/fileSystem';
import { toPosix } from '../../node/nodeFileSystem';
import type { ProposalStore } from '../ai/proposals/proposalStore';

/**
 * Why an archive or a restore must wait, or undefined: a file it touches (`paths`: files, or folders with
 * everything in them) has unsaved changes, or an AI proposal for it is still waiting for a decision. Writing
 * then would either drop the unsaved text or leave the proposal pointing at a file that moved.
 */
export function editsInTheWay(paths: readonly string[], proposals: ProposalStore, action: string): string | undefined {
  const touches = (file: string) => paths.some((entry) => entry === file || isWithin(entry, file));
  const dirty = vscode.workspace.textDocuments
    .filter((document) => document.isDirty && document.uri.scheme === 'file')
    .map((document) => toPosix(document.uri.fsPath))
    .filter(touches);
  if (dirty.length > 0)
    return `Save or revert ${names(dirty)} before you ${action}: it writes ${dirty.length === 1 ? 'that file' : 'those files'}.`;
  const pending = proposals.all.filter((entry) => touches(entry.proposal.absolutePath));
  if (pending.length > 0)
    return `Accept or reject the pending AI proposal for ${names(pending.map((entry) => entry.proposal.absolutePath))} before you ${action}.`;
  return undefined;
}

function names(files: readonly string[]): string {
  const shown = files.slice(0, 3).map((file) => vscode.workspace.asRelativePath(vscode.Uri.file(file)));
  return files.length > 3 ? `${shown.join(', ')} and ${files.length - 3} more` : shown.join(', ');
}
