import { posix as path } from 'node:path';
import type { DirectoryEntry, FileSystem } from '../fs/fileSystem';
import { FsError } from '../fs/fileSystem';
import { readSkipSpecsMarker } from '../validation/changeMetadata';
import { describeNestedChange, findNestedChangesIn, folderStyleNameProblem } from '../validation/itemDiscovery';
import type { OpenSpecRoot } from '../validation/projectRoot';
import { discoverSpecFiles, findUnreadDeltaFiles, hasAnyFileUnder } from '../validation/specDiscovery';
import { parseTaskLines } from '../validation/taskCheckboxes';
import { resolveTaskFilesForChange } from '../validation/taskFileChecks';
import { Validator } from '../validation/validator';
import type { ArchiveStatus } from './archiveTypes';

/**
 * The checks `openspec archive` makes before it looks at any spec, in its order and with its codes: the name,
 * the change folder, the validation gate, the tasks. Each answers a refusal, or undefined to go on.
 */

export function refusal(code: string, message: string, fix?: string): ArchiveStatus {
  return { severity: 'error', code, message, ...(fix !== undefined ? { fix } : {}) };
}

/** The change folder itself must be a real folder directly under changes/ (a link is refused, not followed). */
export async function checkChangeFolder(
  fs: FileSystem,
  root: OpenSpecRoot,
  changeId: string,
): Promise<ArchiveStatus | undefined> {
  const nameProblem = folderStyleNameProblem(changeId, 'Change name');
  if (nameProblem) return refusal('archive_change_name_invalid', nameProblem);
  const entries = await entriesOf(fs, root.changesDir);
  const entry = entries.find((candidate) => candidate.name === changeId);
  if (entry?.kind === 'symlink') {
    return refusal(
      'archive_change_symlink',
      `Change '${changeId}' is a symbolic link. Replace it with a real directory before archiving.`,
    );
  }
  if (entry?.kind !== 'directory') {
    const available = activeChangeNames(entries);
    return refusal(
      'archive_change_not_found',
      available.length > 0
        ? `Change '${changeId}' not found. Available changes: ${available.join(', ')}`
        : `Change '${changeId}' not found. No active changes exist in this root.`,
    );
  }
  const nested = await findNestedChangesIn(fs, root.changesDir, changeId);
  if (nested) {
    return refusal(
      'archive_change_is_namespace_folder',
      `Cannot archive '${changeId}': ${describeNestedChange(nested)}`,
      `Rename openspec/changes/${nested.nested[0] ?? ''}/ to a flat change directory, then archive it.`,
    );
  }
  return undefined;
}

/**
 * The names archive offers when a change is not found: every real folder but archive/, dot-folders included
 * (unlike `validate`'s item list, which hides them), sorted by code unit.
 */
function activeChangeNames(entries: readonly DirectoryEntry[]): string[] {
  return entries
    .filter((entry) => entry.kind === 'directory' && entry.name !== 'archive')
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A folder's entries as they are (links not followed); none when it cannot be listed. */
export async function entriesOf(fs: FileSystem, folder: string): Promise<DirectoryEntry[]> {
  try {
    return await fs.readDirectory(folder);
  } catch (error) {
    if (FsError.is(error)) return [];
    throw error;
  }
}

/**
 * Archive re-validates only a change that has something the merge reads or drops: a delta header, a file it
 * would ignore, or a `skip_specs` marker it cannot honor. Any ERROR then blocks; warnings never do.
 */
export async function checkValidationGate(
  fs: FileSystem,
  changeDir: string,
  changeId: string,
): Promise<ArchiveStatus | undefined> {
  if (!(await needsDeltaValidation(fs, changeDir))) return undefined;
  const report = await new Validator(fs).validateChangeDeltaSpecs(changeDir);
  if (report.valid) return undefined;
  return refusal(
    'archive_validation_failed',
    `Validation failed for change '${changeId}'.`,
    `Run openspec validate ${changeId} for details, fix the errors, or rerun with --no-validate.`,
  );
}

async function needsDeltaValidation(fs: FileSystem, changeDir: string): Promise<boolean> {
  const specsDir = path.join(changeDir, 'specs');
  const rootSpec = await fs.stat(path.join(specsDir, 'spec.md')).catch(() => undefined);
  if (rootSpec === 'file') return true;
  if ((await findUnreadDeltaFiles(fs, specsDir)).length > 0) return true;
  const marker = await readSkipSpecsMarker(fs, changeDir);
  if (marker.invalidReason) return true;
  if (marker.declared && (await hasAnyFileUnder(fs, specsDir).catch(() => true))) return true;
  for (const { specFile } of await discoverSpecFiles(fs, specsDir)) {
    const content = await fs.readFile(specFile).catch(() => '');
    // Case-insensitive, as the delta parser reads headers.
    if (/^##\s+(ADDED|MODIFIED|REMOVED|RENAMED)\s+Requirements/im.test(content)) return true;
  }
  return false;
}

/** Checked and total tasks over the change's tracked task files (tasks.md when the schema names none). */
export async function countArchiveTasks(
  fs: FileSystem,
  root: OpenSpecRoot,
  changeDir: string,
): Promise<{ completed: number; total: number }> {
  const tracked = await resolveTaskFilesForChange(fs, changeDir, root.path);
  const files = tracked.length > 0 ? tracked : [path.join(changeDir, 'tasks.md')];
  let completed = 0;
  let total = 0;
  for (const file of files) {
    // A file that cannot be read counts as no tasks, as in the CLI.
    const tasks = parseTaskLines(await fs.readFile(file).catch(() => ''));
    total += tasks.length;
    completed += tasks.filter((task) => task.done).length;
  }
  return { completed, total };
}
