import { posix as path } from 'node:path';
import { documentBase, type BatchOutcome, type FileChange, type FileWriter } from '../fs/fileWriter';
import type { RootOutput } from '../validation/projectRoot';
import { refusal } from './archiveGate';
import type { ArchiveApplied, ArchivePlan, ArchiveStatus } from './archiveTypes';

/**
 * Writing a plan: every main spec and the move of the change folder as one batch of the writer, so either all
 * of it lands or none (on disk rolled back, in the editor one WorkspaceEdit that one Undo reverts).
 */

/** The batch for a plan: specs rewritten (checked against the text planned from) or created, then the move. */
export function archiveChanges(plan: ArchivePlan): FileChange[] {
  const specs = plan.specs.map((spec): FileChange =>
    spec.before === undefined
      ? { kind: 'create', file: spec.file, text: spec.after }
      : { kind: 'replace', file: spec.file, base: documentBase(spec.before), text: spec.after },
  );
  return [...specs, { kind: 'move', from: plan.changeDir, to: plan.archivePath }];
}

export async function applyArchive(writer: FileWriter, plan: ArchivePlan): Promise<ArchiveApplied> {
  const changes = archiveChanges(plan);
  const outcome = await writer.applyAll(changes);
  if (outcome.kind === 'written') return { ok: true, plan };
  return { ok: false, status: [batchFailure(plan, changes, outcome)] };
}

function batchFailure(
  plan: ArchivePlan,
  changes: readonly FileChange[],
  failure: Extract<BatchOutcome, { kind: 'failed' }>,
): ArchiveStatus {
  const change = changes[failure.index];
  const nothing = 'No files were changed.';
  const rerun = 'Review the current files and plan the archive again.';
  if (change?.kind === 'move') {
    switch (failure.outcome.kind) {
      case 'exists':
        return refusal('archive_target_exists', `Archive '${plan.archivedAs}' already exists.`);
      case 'missing':
        return refusal('archive_change_not_found', `Change '${plan.change}' not found. ${nothing}`);
      default:
        break;
    }
  }
  const file = change === undefined ? plan.changeDir : change.kind === 'move' ? change.from : change.file;
  const spec = plan.specs.find((candidate) => candidate.file === file);
  const name = spec ? `Main spec '${spec.capability}'` : path.basename(file);
  switch (failure.outcome.kind) {
    case 'stale':
      return refusal(
        'archive_spec_changed',
        `${name} changed after the archive was planned, so its merge is out of date. ${nothing}`,
        rerun,
      );
    case 'missing':
      return refusal('archive_spec_changed', `${name} was deleted after the archive was planned. ${nothing}`, rerun);
    case 'exists':
      return refusal('archive_spec_changed', `${name} was created after the archive was planned. ${nothing}`, rerun);
    case 'refused':
      return refusal('archive_error', `${file} was not written: ${failure.outcome.reason}. ${nothing}`);
  }
}

/** `{archive, root}` exactly as `openspec archive --json` prints a success (key order included). */
export function archiveResultJson(plan: ArchivePlan, root: RootOutput): object {
  return {
    archive: {
      change: plan.change,
      archivedAs: plan.archivedAs,
      path: plan.archivePath,
      specsUpdated: plan.specsUpdated,
      ...(plan.totals ? { totals: plan.totals } : {}),
      ...(plan.warnings.length > 0 ? { warnings: plan.warnings } : {}),
    },
    root,
  };
}

/** `{archive: null, root?, status}`: a refusal, as the CLI prints it (no root when the root itself failed). */
export function archiveFailureJson(status: readonly ArchiveStatus[], root: RootOutput | undefined): object {
  return { archive: null, ...(root ? { root } : {}), status };
}
