import { posix as path } from 'node:path';
import type { FileSystem } from '../fs/fileSystem';
import { readFileIfExists } from '../fs/fileSystem';
import { documentBase, type FileChange } from '../fs/fileWriter';
import type { ArchivePlan } from './archiveTypes';

/**
 * What one archive wrote, kept so that the archive can be taken back: each main spec as it was and as archive
 * left it. Only what this product archived has one; a change archived by `openspec archive` has none.
 */
export interface ArchiveRecord {
  readonly change: string;
  readonly archivedAs: string;
  /** Where the change lived before the archive (absolute POSIX). */
  readonly changeDir: string;
  readonly archivePath: string;
  readonly specs: readonly RecordedSpec[];
}

export interface RecordedSpec {
  readonly capability: string;
  readonly file: string;
  /** The main spec before the archive; undefined when the archive created it. */
  readonly before: string | undefined;
  readonly after: string;
}

/** The record of an archive about to be applied. */
export function recordOfArchive(plan: ArchivePlan): ArchiveRecord {
  return {
    change: plan.change,
    archivedAs: plan.archivedAs,
    changeDir: plan.changeDir,
    archivePath: plan.archivePath,
    specs: plan.specs.map(({ capability, file, before, after }) => ({ capability, file, before, after })),
  };
}

/** An archived change to restore: where it is, where it goes back to, and the capabilities its deltas touch. */
export interface ArchivedChangeToRestore {
  readonly archivedAs: string;
  readonly archivePath: string;
  readonly changeDir: string;
  /** Main spec files its delta specs name, for the manual look a restore without a record asks for. */
  readonly mainSpecs: readonly { capability: string; file: string }[];
}

export interface RestorePlan {
  readonly change: string;
  readonly archivedAs: string;
  readonly changes: readonly FileChange[];
  /** Capabilities whose main spec goes back to what it was before the archive. */
  readonly reverted: readonly string[];
  /** Main specs left as they are, because they changed since the archive or nothing recorded what it wrote. */
  readonly needsLook: readonly { capability: string; file: string; why: string }[];
}

export type RestorePlanning = { ok: true; plan: RestorePlan } | { ok: false; reason: string };

/**
 * Plans taking an archive back: the folder moves back to `changes/`, and each main spec the archive wrote is
 * reverted only while it still holds exactly what the archive wrote (a spec created by the archive is then
 * deleted). A spec edited since, or one no record covers, is left alone and named for a manual look.
 */
export async function planRestore(
  fs: FileSystem,
  archived: ArchivedChangeToRestore,
  record: ArchiveRecord | undefined,
): Promise<RestorePlanning> {
  const change = path.basename(archived.changeDir);
  if ((await fs.stat(archived.archivePath)) !== 'directory')
    return { ok: false, reason: `${archived.archivedAs} is no longer in the archive.` };
  if ((await fs.stat(archived.changeDir)) !== undefined)
    return {
      ok: false,
      reason: `A change named '${change}' is active; rename or archive it before restoring ${archived.archivedAs}.`,
    };
  const changes: FileChange[] = [];
  const reverted: string[] = [];
  const needsLook: Array<{ capability: string; file: string; why: string }> = [];
  if (record) {
    for (const spec of record.specs) {
      const current = await readFileIfExists(fs, spec.file);
      if (current === undefined || documentBase(current) !== documentBase(spec.after)) {
        needsLook.push({
          capability: spec.capability,
          file: spec.file,
          why: current === undefined ? 'it was deleted since the archive' : 'it changed since the archive',
        });
        continue;
      }
      const base = documentBase(current);
      changes.push(
        spec.before === undefined
          ? {
              kind: 'delete',
              file: spec.file,
              base,
              pruneUpTo: path.join(path.dirname(archived.changeDir), '..', 'specs'),
            }
          : { kind: 'replace', file: spec.file, base, text: spec.before },
      );
      reverted.push(spec.capability);
    }
  } else {
    for (const spec of archived.mainSpecs)
      needsLook.push({ ...spec, why: 'nothing recorded what the archive wrote into it' });
  }
  changes.push({ kind: 'move', from: archived.archivePath, to: archived.changeDir });
  return { ok: true, plan: { change, archivedAs: archived.archivedAs, changes, reverted, needsLook } };
}
