import * as vscode from 'vscode';
import type { FindingToFix } from '../../core/ai/improve/improveInstructions';
import { classifyDocument } from '../../core/openspec/documentPaths';
import { toPosix } from '../../node/nodeFileSystem';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';

/** What "Improve with AI" works on: one document of an active change, optionally one requirement of it. */
export interface ImproveRequest {
  readonly folder: FolderModel;
  readonly changeId: string;
  readonly file: string;
  readonly requirement?: string;
  readonly findings?: readonly FindingToFix[];
}

interface ImproveArgument {
  readonly uri?: vscode.Uri;
  readonly requirement?: string;
  readonly findings?: readonly FindingToFix[];
}

/** Resolves a command argument (a URI, `{uri, requirement?, findings?}`, or nothing: the active editor). */
export function resolveImproveRequest(models: OpenSpecModels, argument: unknown): ImproveRequest | string {
  const given: ImproveArgument =
    argument instanceof vscode.Uri
      ? { uri: argument }
      : typeof argument === 'object' && argument !== null
        ? argument
        : {};
  const uri = given.uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') return 'Open a proposal, design, tasks or delta spec of an OpenSpec change first.';
  const folder = models.folderFor(uri);
  if (!folder) return `${uri.fsPath} is not in a folder with an openspec/ directory.`;
  const file = toPosix(uri.fsPath);
  const role = classifyDocument(folder.workspace.openspecDir, file);
  const isChangeDocument =
    role.kind === 'proposal' || role.kind === 'design' || role.kind === 'tasks' || role.kind === 'delta';
  if (!isChangeDocument || role.archived)
    return 'Improve with AI works on the proposal, design, tasks and delta specs of an active change.';
  return {
    folder,
    changeId: role.changeId,
    file,
    ...(given.requirement ? { requirement: given.requirement } : {}),
    ...(given.findings ? { findings: given.findings } : {}),
  };
}
