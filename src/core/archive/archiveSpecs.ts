import type { FileSystem } from '../fs/fileSystem';
import { errorMessage } from '../errorMessage';
import type { MarkerState } from '../validation/changeMetadata';
import { METADATA_FILENAME } from '../validation/changeMetadata';
import { VALIDATION_MESSAGES } from '../validation/messages';
import type { SpecMergeCounts } from '../validation/requirementMerge';
import {
  buildUpdatedSpecText,
  findSpecUpdates,
  readSpecMergeInput,
  type SpecMergeResult,
  type SpecUpdate,
} from '../validation/specsApply';
import { checkSpecContent } from '../validation/mainSpecChecks';
import { buildReport } from '../validation/validationReport';
import { refusal } from './archiveGate';
import type { ArchiveStatus, PlannedSpec } from './archiveTypes';

/**
 * The spec half of an archive: every delta merged into its main spec with the one merge (`buildUpdatedSpecText`),
 * each rebuilt spec validated before any is written, and the specs whose operations change something planned for
 * writing, with the line endings the file already used.
 */

export interface SpecsPlan {
  specs: PlannedSpec[];
  /** Absent when the change has no delta spec. */
  totals?: SpecMergeCounts;
  warnings: string[];
}

interface Prepared {
  update: SpecUpdate;
  before: string | undefined;
  result: SpecMergeResult;
}

export interface SpecsPlanOptions {
  validate: boolean;
  confirmed: boolean;
  retirement: MarkerState;
}

export async function planSpecs(
  fs: FileSystem,
  changeDir: string,
  mainSpecsDir: string,
  changeId: string,
  options: SpecsPlanOptions,
): Promise<SpecsPlan | ArchiveStatus> {
  const updates = await findSpecUpdates(fs, changeDir, mainSpecsDir);
  if (updates.length === 0) return { specs: [], warnings: [] };
  const prepared: Prepared[] = [];
  let failure: unknown;
  try {
    for (const update of updates) {
      const input = await readSpecMergeInput(fs, update, changeId);
      prepared.push({ update, before: input.mainContent, result: buildUpdatedSpecText(input) });
    }
  } catch (error) {
    failure = error;
  }
  // The CLI asks before it reports a merge failure: a user may still archive without the spec updates.
  if (!options.confirmed) {
    return refusal(
      'archive_confirmation_required',
      `Updating ${updates.length} spec(s) requires confirmation: rerun with --yes.`,
      'openspec archive <change-name> --json --yes',
    );
  }
  if (failure !== undefined) {
    return refusal(
      'archive_spec_update_failed',
      errorMessage(failure),
      'Fix the change delta specs and rerun. No files were changed.',
    );
  }
  for (const spec of prepared) {
    const refused = options.validate ? rebuiltSpecRefusal(spec, changeId, options.retirement) : undefined;
    if (refused) return refused;
  }
  const written = prepared.filter(({ result }) => operationCount(result.counts) > 0);
  return {
    specs: written.map(({ update, before, result }) => ({
      capability: update.id,
      file: update.target,
      before,
      after: before === undefined ? result.rebuilt : matchLineEnding(result.rebuilt, before),
      counts: result.counts,
    })),
    totals: sumCounts(written.map(({ result }) => result.counts)),
    warnings: prepared.flatMap(({ result }) => result.warnings),
  };
}

/**
 * A rebuilt spec that fails validation is never written. Where the CLI would retire the capability instead
 * (the change removes its last requirement and declares `retire_capabilities`), we refuse: deleting a main
 * spec is left to `openspec archive`.
 */
function rebuiltSpecRefusal(spec: Prepared, changeId: string, retirement: MarkerState): ArchiveStatus | undefined {
  const { update, result } = spec;
  // Not strict, as archive validates: only an ERROR blocks.
  const report = buildReport(checkSpecContent(update.id, result.rebuilt), false);
  if (report.valid) return undefined;
  const onlyRequirementsMissing = report.issues
    .filter((issue) => issue.level === 'ERROR')
    .every((issue) => issue.message === VALIDATION_MESSAGES.SPEC_NO_REQUIREMENTS);
  const retirable = result.noRequirementBlocks && onlyRequirementsMissing;
  if (retirement.declared && retirable && (!update.exists || result.counts.removed > 0)) {
    return refusal(
      'archive_retirement_unsupported',
      `Archiving this change retires the capability '${update.id}' (it removes its last requirement, and the change ` +
        `declares retire_capabilities), which deletes its main spec. openspec-loop does not retire capabilities. No files were changed.`,
      `Run openspec archive ${changeId} --yes to archive it and retire the capability.`,
    );
  }
  const emptiedByThisRun = update.exists && result.counts.removed > 0 && retirable && !retirement.declared;
  return refusal(
    'archive_spec_validation_failed',
    `Rebuilt spec for '${update.id}' failed validation. No files were changed.`,
    emptiedByThisRun
      ? `This change removes the last requirement '${update.id}' has. To retire the capability and delete its spec, ` +
          `add \`retire_capabilities: true\` to the change's ${METADATA_FILENAME} (alongside its \`schema:\`, which ` +
          'that file requires), then rerun.' +
          (retirement.invalidReason ? ` The marker present now cannot be honored (${retirement.invalidReason}).` : '')
      : `Run openspec validate ${update.id} after fixing the change deltas.`,
  );
}

function operationCount(counts: SpecMergeCounts): number {
  return counts.added + counts.modified + counts.removed + counts.renamed;
}

function sumCounts(all: readonly SpecMergeCounts[]): SpecMergeCounts {
  const totals = { added: 0, modified: 0, removed: 0, renamed: 0 };
  for (const counts of all) {
    totals.added += counts.added;
    totals.modified += counts.modified;
    totals.removed += counts.removed;
    totals.renamed += counts.renamed;
  }
  return totals;
}

/**
 * The merge writes LF; archive writes a spec back in the line ending it mostly used (CRLF wins a tie), so a
 * Windows checkout does not see every line change. Not `detectLineEnding` of the AI edits, which keeps a file's
 * first ending: the CLI counts. A lone CR is left as it is, as the CLI leaves it.
 */
export function matchLineEnding(text: string, original: string): string {
  const crlf = original.match(/\r\n/g)?.length ?? 0;
  const lf = original.match(/(?<!\r)\n/g)?.length ?? 0;
  if (crlf === 0 && lf === 0) return text;
  const normalized = text.replace(/\r\n/g, '\n');
  return crlf >= lf ? normalized.replace(/\n/g, '\r\n') : normalized;
}
