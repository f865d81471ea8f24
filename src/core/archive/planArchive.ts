import { posix as path } from 'node:path';
import type { FileSystem } from '../fs/fileSystem';
import { errorMessage } from '../errorMessage';
import { readRetireCapabilitiesMarker } from '../validation/changeMetadata';
import type { OpenSpecRoot } from '../validation/projectRoot';
import { checkChangeFolder, checkValidationGate, countArchiveTasks, entriesOf, refusal } from './archiveGate';
import { planSpecs, type SpecsPlan } from './archiveSpecs';
import type { ArchiveOptions, ArchivePlanning, ArchiveStatus } from './archiveTypes';

/**
 * Decides what `openspec archive <id> --yes --json` (1.13.2) would do, without writing: the same refusals in
 * the same order, the same merged main specs, the same archive folder. `applyArchive` then writes the plan.
 */
export async function planArchive(
  fs: FileSystem,
  root: OpenSpecRoot,
  changeId: string,
  options: ArchiveOptions = {},
): Promise<ArchivePlanning> {
  try {
    return await plan(fs, root, changeId, options);
  } catch (error) {
    // Anything the CLI does not name (a file it cannot read, a link leading out of specs/) is its archive_error.
    return { ok: false, status: [refusal('archive_error', errorMessage(error))] };
  }
}

async function plan(
  fs: FileSystem,
  root: OpenSpecRoot,
  changeId: string,
  options: ArchiveOptions,
): Promise<ArchivePlanning> {
  const validate = options.validate ?? true;
  const confirmed = options.confirmed ?? true;
  const refused = (status: ArchiveStatus): ArchivePlanning => ({ ok: false, status: [status] });
  const changeDir = path.join(root.changesDir, changeId);

  const folderProblem = await checkChangeFolder(fs, root, changeId);
  if (folderProblem) return refused(folderProblem);
  if (validate) {
    const invalid = await checkValidationGate(fs, changeDir, changeId);
    if (invalid) return refused(invalid);
  } else if (!confirmed) {
    return refused(
      refusal(
        'archive_confirmation_required',
        'Skipping validation requires confirmation: rerun with --yes.',
        'openspec archive <change-name> --json --no-validate --yes',
      ),
    );
  }

  const tasks = await countArchiveTasks(fs, root, changeDir);
  const incomplete = Math.max(tasks.total - tasks.completed, 0);
  if (incomplete > 0 && !(options.allowIncompleteTasks ?? confirmed)) {
    return refused(
      refusal(
        'archive_tasks_incomplete',
        `${incomplete} incomplete task(s) found for change '${changeId}'.`,
        'Complete the tasks or rerun with --yes.',
      ),
    );
  }

  // The destination is settled before any spec is looked at: a collision must not leave specs rewritten.
  const archivedAs = archiveFolderName(changeId, (options.now ?? (() => new Date()))());
  const archivePath = path.join(root.archiveDir, archivedAs);
  const archiveEntries = await entriesOf(fs, root.archiveDir);
  if (archiveEntries.some((entry) => entry.name === archivedAs))
    return refused(refusal('archive_target_exists', `Archive '${archivedAs}' already exists.`));

  let specs: SpecsPlan = { specs: [], warnings: [] };
  if (!options.skipSpecs) {
    const retirement = await readRetireCapabilitiesMarker(fs, changeDir);
    const planned = await planSpecs(fs, changeDir, root.specsDir, changeId, { validate, confirmed, retirement });
    if ('code' in planned) return refused(planned);
    specs = planned;
  }

  // Another archive in flight holds this claim file beside the archived changes; the CLI refuses then.
  if (archiveEntries.some((entry) => entry.name === ARCHIVE_CLAIM_FILE)) {
    const claimPath = path.join(root.archiveDir, ARCHIVE_CLAIM_FILE);
    return refused(
      refusal(
        'archive_target_exists',
        `Archive '${archivedAs}' is already being created. If no archive process is running, remove the stale claim at ${claimPath} and rerun.`,
      ),
    );
  }

  return {
    ok: true,
    plan: {
      change: changeId,
      changeDir,
      archivedAs,
      archivePath,
      specsUpdated: specs.specs.length > 0,
      ...(specs.totals ? { totals: specs.totals } : {}),
      warnings: specs.warnings,
      tasks,
      specs: specs.specs,
    },
  };
}

const ARCHIVE_CLAIM_FILE = '.openspec-archive.lock';

/** A name already starting with a date keeps it, so prefixes never stack and the folder sorts under its day. */
const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}-/;

/** `YYYY-MM-DD-<id>` with the local date, as the CLI computes it. */
export function archiveFolderName(changeId: string, now: Date): string {
  if (DATE_PREFIX.test(changeId)) return changeId;
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}-${changeId}`;
}
