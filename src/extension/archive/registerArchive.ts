import { posix as path } from 'node:path';
import * as vscode from 'vscode';
import { applyArchive } from '../../core/archive/applyArchive';
import { planRestore, recordOfArchive, type ArchiveRecord } from '../../core/archive/archiveRecord';
import type { ArchivePlan } from '../../core/archive/archiveTypes';
import { planArchive } from '../../core/archive/planArchive';
import { makeRoot } from '../../core/validation/projectRoot';
import { describeArchive } from '../../core/archive/archiveSummary';
import { describeOverlap, findChangeOverlaps, overlapsOfChange } from '../../core/archive/changeOverlaps';
import type { FileSystem } from '../../core/fs/fileSystem';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { Logger } from '../../core/logger';
import type { OpenSpecWorkspace } from '../../core/openspec/model';
import type { ArchiveRecords } from '../../node/archiveRecords';
import { toNative } from '../../node/nodeFileSystem';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import { inBackground } from '../background';
import type { ArchiveFollowUp } from '../diagnostics/overlapDiagnostics';
import type { PreviewDocuments } from '../compare/previewDocuments';
import { archivedChangeFromArgument, changeFromArgument, changeIdOf, folderRootOf } from '../model/changeArgument';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { showArchivePreview } from './archivePreview';
import { editsInTheWay } from './editsInTheWay';

export interface ArchiveDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
  readonly writer: FileWriter;
  readonly proposals: ProposalStore;
  readonly previews: PreviewDocuments;
  readonly records: ArchiveRecords;
  /** Keeps what an archive wrote and tells the other changes about it: `archiveRecorder`. */
  readonly recordArchive: ArchiveRecorder;
}

/** Called with every archive written in this window, by the command or by an agent through the MCP server. */
export type ArchiveRecorder = (root: string, plan: ArchivePlan, before?: OpenSpecWorkspace) => Promise<void>;

/**
 * Records an archive for Undo Archive and Restore, and hands the overlap diagnostics the workspace as it was
 * before (the folder's model, when the caller has no older one: the file watcher reports the move a moment later).
 */
export function archiveRecorder(
  models: OpenSpecModels,
  records: ArchiveRecords,
  followUp: ArchiveFollowUp,
): ArchiveRecorder {
  return async (root, plan, before) => {
    await records.add(root, recordOfArchive(plan));
    const workspace = before ?? models.folders.find((folder) => folder.root === root)?.workspace;
    if (workspace) followUp.afterArchive(root, workspace, plan.change, plan.archivedAs);
  };
}

/** What the Archive command answers its caller (a test, another extension): where the change went. */
export interface ArchiveCommandResult {
  readonly archivedAs: string;
  readonly path: string;
}

/** What Restore answers its caller: the change back in changes/, the specs reverted and those left as they are. */
export interface RestoreCommandResult {
  readonly change: string;
  readonly reverted: readonly string[];
  readonly needsLook: readonly string[];
}

/**
 * "OpenSpec: Archive Change" and "OpenSpec: Restore Archived Change". Archive shows the multi-file preview, asks
 * once, and writes through the editor's writer as one WorkspaceEdit (Undo reverts all of it); what it wrote is
 * recorded, so "Undo Archive" and a later restore put back exactly the specs that still hold it.
 */
export function registerArchive(deps: ArchiveDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('openspecLoop.archiveChange', (argument?: unknown) => archive(deps, argument)),
    vscode.commands.registerCommand('openspecLoop.restoreArchivedChange', (argument?: unknown) =>
      restoreFromArgument(deps, argument),
    ),
  );
}

async function archive(deps: ArchiveDeps, argument: unknown): Promise<ArchiveCommandResult | undefined> {
  const found = await changeFromArgument(deps.models, argument);
  if (!found) return undefined;
  const { folder, change } = found;
  const planning = await planArchive(folder.fs, makeRoot(folder.root, 'nearest'), change.id, {
    allowIncompleteTasks: true,
  });
  if (!planning.ok) {
    const [first] = planning.status;
    for (const status of planning.status) deps.logger.warn(`Archive ${change.id}: ${status.code}: ${status.message}`);
    void vscode.window.showErrorMessage(
      `Cannot archive '${change.id}': ${first?.message ?? 'archive refused it'}${first?.fix ? ` ${first.fix}` : ''}`,
    );
    return undefined;
  }
  const plan = planning.plan;
  const blocked = editsInTheWay([plan.changeDir, ...plan.specs.map((spec) => spec.file)], deps.proposals, 'archive');
  if (blocked) {
    void vscode.window.showWarningMessage(`Cannot archive '${change.id}' yet. ${blocked}`);
    return undefined;
  }
  await showArchivePreview(deps.previews, folder, plan, await filesUnder(folder.fs, plan.changeDir));
  if (!(await confirmArchive(folder, plan))) return undefined;

  const before = folder.workspace;
  const applied = await applyArchive(deps.writer, plan);
  if (!applied.ok) {
    const message = applied.status.map((status) => status.message).join(' ');
    deps.logger.warn(`Archive ${change.id} was not written: ${message}`);
    void vscode.window.showErrorMessage(`'${change.id}' was not archived: ${message} Nothing was changed.`);
    return undefined;
  }
  await deps.recordArchive(folder.root, plan, before);
  const record = recordOfArchive(plan);
  deps.logger.info(`${describeArchive(plan)}: done.`);
  inBackground(deps.logger, 'the choice after an archive', async () => {
    const choice = await vscode.window.showInformationMessage(
      `Archived '${plan.change}' as ${plan.archivedAs}.`,
      'Undo Archive',
    );
    if (choice === 'Undo Archive') await restore(deps, folder, record.archivedAs, record);
  });
  return { archivedAs: plan.archivedAs, path: plan.archivePath };
}

/** The one question an archive asks, with what would surprise: open tasks, overlapping changes, warnings. */
async function confirmArchive(folder: FolderModel, plan: ArchivePlan): Promise<boolean> {
  if (!vscode.workspace.getConfiguration('openspecLoop', folder.folder.uri).get<boolean>('archive.confirm', true))
    return true;
  const notes: string[] = [];
  const open = plan.tasks.total - plan.tasks.completed;
  if (open > 0) notes.push(`${open} of ${plan.tasks.total} tasks are not done.`);
  for (const overlap of overlapsOfChange(findChangeOverlaps(folder.workspace), plan.change))
    notes.push(describeOverlap(overlap, overlap.touches[0].changeId === plan.change ? 0 : 1));
  notes.push(...plan.warnings);
  notes.push('The diff shows each spec before and after. Undo Archive puts everything back.');
  const choice = await vscode.window.showWarningMessage(
    describeArchive(plan),
    { modal: true, detail: notes.join('\n') },
    open > 0 ? 'Archive Anyway' : 'Archive',
  );
  return choice !== undefined;
}

async function restoreFromArgument(deps: ArchiveDeps, argument: unknown): Promise<RestoreCommandResult | undefined> {
  const found = archivedChangeFromArgument(deps.models, argument) ?? (await recordedArchive(deps, argument));
  if (!found) {
    void vscode.window.showWarningMessage('Choose a change in the OpenSpec Archive view to restore.');
    return undefined;
  }
  const archivedAs = path.basename(found.change.dir);
  return restore(deps, found.folder, archivedAs, await deps.records.find(found.folder.root, archivedAs));
}

/**
 * An archive this window recorded that the model may not list yet (the file watcher reports the move a moment
 * later): restoring right after archiving goes by the record.
 */
async function recordedArchive(
  deps: ArchiveDeps,
  argument: unknown,
): Promise<{ folder: FolderModel; change: { dir: string } } | undefined> {
  const changeId = changeIdOf(argument);
  const root = folderRootOf(argument);
  if (changeId === undefined) return undefined;
  for (const folder of deps.models.folders) {
    if (root !== undefined && folder.root !== root) continue;
    const record = await deps.records.find(folder.root, changeId);
    if (record) return { folder, change: { dir: record.archivePath } };
  }
  return undefined;
}

/**
 * Moves an archived change back to `changes/` and reverts the specs its archive wrote, where they still hold
 * exactly that; the others are left for the user, named and offered to open.
 */
async function restore(
  deps: ArchiveDeps,
  folder: FolderModel,
  archivedAs: string,
  record: ArchiveRecord | undefined,
): Promise<RestoreCommandResult | undefined> {
  const openspecDir = folder.workspace.openspecDir;
  const archived = folder.workspace.archive.find((change) => path.basename(change.dir) === archivedAs);
  const archivePath = record?.archivePath ?? path.join(openspecDir, 'changes', 'archive', archivedAs);
  const changeDir = record?.changeDir ?? path.join(openspecDir, 'changes', archived?.changeId ?? archivedAs);
  const mainSpecs = (archived?.deltas ?? []).map((delta) => ({
    capability: delta.capability,
    file: path.join(openspecDir, 'specs', delta.capability, 'spec.md'),
  }));
  const planning = await planRestore(folder.fs, { archivedAs, archivePath, changeDir, mainSpecs }, record);
  if (!planning.ok) {
    void vscode.window.showErrorMessage(`Cannot restore ${archivedAs}: ${planning.reason}`);
    return undefined;
  }
  const plan = planning.plan;
  const written = plan.changes.flatMap((change) => (change.kind === 'move' ? [change.from] : [change.file]));
  const blocked = editsInTheWay(written, deps.proposals, 'restore it');
  if (blocked) {
    void vscode.window.showWarningMessage(`Cannot restore ${archivedAs} yet. ${blocked}`);
    return undefined;
  }
  const outcome = await deps.writer.applyAll(plan.changes);
  if (outcome.kind === 'failed') {
    const reason = outcome.outcome.kind === 'refused' ? outcome.outcome.reason : outcome.outcome.kind;
    deps.logger.warn(`Restore ${archivedAs} was not written (change ${outcome.index}: ${reason})`);
    void vscode.window.showErrorMessage(
      `${archivedAs} was not restored: ${restoreFailure(outcome.outcome.kind)} Nothing was changed.`,
    );
    return undefined;
  }
  await deps.records.remove(folder.root, archivedAs);
  const result = {
    change: plan.change,
    reverted: plan.reverted,
    needsLook: plan.needsLook.map((spec) => spec.capability),
  };
  const reverted = plan.reverted.length > 0 ? ` Reverted ${plan.reverted.join(', ')}.` : '';
  if (plan.needsLook.length === 0) {
    void vscode.window.showInformationMessage(`Restored '${plan.change}' to changes/.${reverted}`);
    return result;
  }
  const look = plan.needsLook.map((spec) => `${spec.capability} (${spec.why})`).join(', ');
  deps.logger.info(`Restored ${archivedAs}; main specs left as they are: ${look}`);
  inBackground(deps.logger, 'the choice after a restore', async () => {
    const choice = await vscode.window.showWarningMessage(
      `Restored '${plan.change}' to changes/.${reverted} Left as they are, check by hand: ${look}.`,
      'Open Specs',
    );
    if (choice !== 'Open Specs') return;
    for (const spec of plan.needsLook)
      await vscode.window.showTextDocument(vscode.Uri.file(toNative(spec.file)), { preview: false });
  });
  return result;
}

function restoreFailure(kind: string): string {
  if (kind === 'stale') return 'a main spec changed while it was being restored; run Restore again.';
  if (kind === 'exists') return 'a change of that name came back meanwhile.';
  if (kind === 'missing') return 'the archived folder is gone.';
  return 'the editor refused the changes (see the OpenSpec Loop log).';
}

/** The files under a folder, relative to it, sorted: what the preview lists as moving. */
async function filesUnder(fs: FileSystem, dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readDirectory(path.join(dir, prefix)).catch(() => [])) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.kind === 'directory') found.push(...(await filesUnder(fs, dir, relative)));
    else found.push(relative);
  }
  return found.sort();
}
