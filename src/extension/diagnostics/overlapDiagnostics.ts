import * as vscode from 'vscode';
import {
  describeOverlap,
  findChangeOverlapsInSlices,
  otherTouch,
  type ChangeOverlap,
} from '../../core/archive/changeOverlaps';
import {
  mergeStaleRecords,
  recordsAfterArchive,
  recordsOfActiveChanges,
  staleModifiedFindings,
  type StaleModifiedRecord,
} from '../../core/archive/staleModified';
import type { Finding } from '../../core/diagnostics/locatedFinding';
import { LINT_SOURCE, wholeLine } from '../../core/lint/finding';
import type { Logger } from '../../core/logger';
import type { OpenSpecWorkspace } from '../../core/openspec/model';
import type { CompareRequirementArgs } from '../compare/registerCompare';
import { hostPause } from '../hostPause';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { registerCompareQuickFix } from '../quickfix/compareQuickFix';
import { DiagnosticStore } from './diagnosticStore';

/** Typing settles as long as for the validation diagnostics, so both move together. */
const TYPING_DELAY_MS = 300;
/** workspaceState key: folder root → the stale MODIFIED records of its changes. */
const RECORDS_KEY = 'openspecLoop.staleModified';
export const OVERLAP_CODE = 'overlapping-change';
export const STALE_MODIFIED_CODE = 'stale-modified';

export interface OverlapDiagnosticsDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
  /** Where the stale records outlive a reload: the workspace's state. */
  readonly state: vscode.Memento;
}

/** What the Archive command tells the overlap diagnostics. */
export interface ArchiveFollowUp {
  /**
   * `archivedChange` of the folder `folderRoot` was archived as `archivedAs`; `workspaceBefore` is the folder's
   * model from before the archive (the archived change's deltas are compared against the other changes there).
   * The other changes' MODIFIED blocks it made stale are flagged until edited.
   */
  readonly afterArchive: (
    folderRoot: string,
    workspaceBefore: OpenSpecWorkspace,
    archivedChange: string,
    archivedAs: string,
  ) => void;
}

/**
 * Warnings (source `openspec-loop`) on the headers where two active changes touch one requirement so that
 * archiving both loses or breaks one's work, each pointing at the other's header; and, after an archive, on
 * the MODIFIED blocks written against the requirement's old text, with "Compare with current spec". A cheap
 * pass over the parsed deltas, so it runs for the whole folder whenever its model changes.
 */
export function registerOverlapDiagnostics(
  deps: OverlapDiagnosticsDeps,
): ArchiveFollowUp & { disposable: vscode.Disposable } {
  // A collection of its own: the validation passes replace their items in theirs without knowing these.
  const store = new DiagnosticStore(LINT_SOURCE);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** folder root → number of its latest publish: an older one still running stops where it is. */
  const generations = new Map<string, number>();
  /** folder root → URI → header line → what its stale warning compares */
  const compareTargets = new Map<string, Map<string, Map<number, CompareRequirementArgs>>>();

  const storedRecords = (): Record<string, StaleModifiedRecord[]> => {
    const stored = deps.state.get<unknown>(RECORDS_KEY);
    if (typeof stored !== 'object' || stored === null) return {};
    // Written by an earlier version or by hand: only well-formed records are read back.
    return Object.fromEntries(
      Object.entries(stored).map(([root, records]) => [root, Array.isArray(records) ? records.filter(isRecord) : []]),
    );
  };
  const saveRecords = (root: string, records: readonly StaleModifiedRecord[]): void => {
    const all = { ...storedRecords() };
    if (records.length > 0) all[root] = [...records];
    else delete all[root];
    deps.state.update(RECORDS_KEY, all).then(undefined, (error: unknown) => {
      deps.logger.error(`Could not keep the stale MODIFIED blocks of ${root}`, error);
    });
  };

  const publish = async (folder: FolderModel): Promise<void> => {
    const { root, workspace } = folder;
    const generation = (generations.get(root) ?? 0) + 1;
    generations.set(root, generation);
    const toUri = (file: string) => folder.toUri(file);
    const stored = storedRecords()[root] ?? [];
    const records = recordsOfActiveChanges(workspace, stored);
    if (records.length !== stored.length) saveRecords(root, records);
    const stale = staleModifiedFindings(workspace, records);
    const targets = new Map<string, Map<number, CompareRequirementArgs>>();
    for (const { record, file, line } of stale) {
      const key = toUri(file).toString();
      const lines = targets.get(key) ?? new Map<number, CompareRequirementArgs>();
      lines.set(line, {
        changeId: record.changeId,
        folder: root,
        capability: record.capability,
        requirement: record.requirement,
      });
      targets.set(key, lines);
    }
    compareTargets.set(root, targets);
    store.replace(
      `${root}\u0000stale`,
      stale.map(({ file, line, message }) => ({
        file,
        range: wholeLine(line),
        severity: 'warning',
        message,
        code: STALE_MODIFIED_CODE,
      })),
      toUri,
    );

    // Thousands of warnings make Problems-panel work of their own: published one change at a time, with the
    // host thread given back between changes.
    const keys = new Set<string>();
    const overlaps = await findChangeOverlapsInSlices(workspace, hostPause);
    if (generations.get(root) !== generation) return;
    for (const [changeId, sides] of overlapSidesByChange(overlaps)) {
      await hostPause();
      if (generations.get(root) !== generation) return;
      const key = `${root}\u0000overlaps\u0000${changeId}`;
      keys.add(key);
      store.replace(
        key,
        sides.map(([overlap, side]) => overlapFinding(overlap, side)),
        toUri,
      );
    }
    store.retainOnly(`${root}\u0000overlaps\u0000`, keys);
  };

  const schedule = (folder: FolderModel, delayMs: number): void => {
    clearTimeout(timers.get(folder.root));
    timers.set(
      folder.root,
      setTimeout(() => {
        timers.delete(folder.root);
        // The folder may have left the window while the timer ran.
        if (deps.models.folders.includes(folder))
          publish(folder).catch((error: unknown) =>
            deps.logger.error(`Could not show the overlapping changes of ${folder.root}`, error),
          );
      }, delayMs),
    );
  };

  const forget = (root: string): void => {
    clearTimeout(timers.get(root));
    // A publish still running for the folder stops at its next slice.
    generations.set(root, (generations.get(root) ?? 0) + 1);
    timers.delete(root);
    compareTargets.delete(root);
    store.retainOnly(`${root}\u0000`, new Set());
  };

  const subscriptions = vscode.Disposable.from(
    deps.models.onDidChange((change) => schedule(change.folder, change.fromDisk ? 0 : TYPING_DELAY_MS)),
    deps.models.onDidRemoveFolder((folder) => forget(folder.root)),
    registerCompareQuickFix((uri, diagnostic) => {
      if (diagnostic.source !== LINT_SOURCE || diagnostic.code !== STALE_MODIFIED_CODE) return undefined;
      const root = deps.models.folderFor(uri)?.root;
      return root === undefined
        ? undefined
        : compareTargets.get(root)?.get(uri.toString())?.get(diagnostic.range.start.line);
    }),
  );

  return {
    afterArchive: (folderRoot, workspaceBefore, archivedChange, archivedAs) => {
      const fresh = recordsAfterArchive(workspaceBefore, archivedChange, archivedAs);
      if (fresh.length > 0) {
        saveRecords(folderRoot, mergeStaleRecords(storedRecords()[folderRoot] ?? [], fresh));
        deps.logger.info(
          `Archiving ${archivedChange} left ${fresh.length} MODIFIED block(s) of other changes to refresh: ${fresh.map((record) => `${record.changeId} (${record.capability}: ${record.requirement})`).join(', ')}`,
        );
      }
      const folder = deps.models.folders.find((candidate) => candidate.root === folderRoot);
      if (folder) schedule(folder, 0);
    },
    disposable: new vscode.Disposable(() => {
      subscriptions.dispose();
      for (const root of [...timers.keys()]) forget(root);
      store.dispose();
    }),
  };
}

/**
 * Both headers of every overlap, by the change whose header it is: each becomes a warning about the other
 * change, pointing at its header. The warnings are written change by change, in slices: at 1,000 changes,
 * writing them all at once held the host thread for tens of ms.
 */
function overlapSidesByChange(overlaps: readonly ChangeOverlap[]): Map<string, [ChangeOverlap, 0 | 1][]> {
  const byChange = new Map<string, [ChangeOverlap, 0 | 1][]>();
  for (const overlap of overlaps)
    for (const side of [0, 1] as const) {
      const own = overlap.touches[side];
      const sides = byChange.get(own.changeId) ?? [];
      sides.push([overlap, side]);
      byChange.set(own.changeId, sides);
    }
  return byChange;
}

function overlapFinding(overlap: ChangeOverlap, side: 0 | 1): Finding {
  const own = overlap.touches[side];
  const other = otherTouch(overlap, side);
  return {
    file: own.file,
    range: wholeLine(own.line),
    severity: 'warning',
    message: describeOverlap(overlap, side),
    code: OVERLAP_CODE,
    related: [
      {
        file: other.file,
        range: wholeLine(other.line),
        message: `${other.operation} '${other.requirement}' in change '${other.changeId}'`,
      },
    ],
  };
}

const RECORD_FIELDS = ['archivedChange', 'archivedAs', 'capability', 'requirement', 'changeId', 'blockHash'] as const;

function isRecord(value: unknown): value is StaleModifiedRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    RECORD_FIELDS.every((field) => typeof (value as Record<string, unknown>)[field] === 'string')
  );
}
