import { posix as path } from 'node:path';
import { buildUpdatedSpecText, type SpecMergeResult } from '../validation/specsApply';
import { normalizeRequirementName } from '../validation/requirementNames';
import { splitLines } from './markdownLines';
import type { Change, DeltaSpecDocument, MainSpecDocument, OpenSpecWorkspace, Requirement } from './model';
import { errorMessage } from '../errorMessage';

/** What archiving one delta would write into its main spec, or why archive would refuse it. */
export type SpecPreview =
  | {
      readonly ok: true;
      readonly capability: string;
      readonly current: string;
      readonly archived: string;
      readonly result: SpecMergeResult;
    }
  | { readonly ok: false; readonly capability: string; readonly current: string; readonly reason: string };

/** Runs archive's merge in memory: the main spec as it is, and as `openspec archive` would leave it. Never writes. */
export function previewArchivedSpec(
  workspace: OpenSpecWorkspace,
  change: Change,
  delta: DeltaSpecDocument,
): SpecPreview {
  const main = workspace.specs.find((spec) => spec.capability === delta.capability);
  const current = main?.text ?? '';
  try {
    const result = buildUpdatedSpecText({
      specId: delta.capability,
      changeName: change.id,
      deltaContent: delta.text,
      mainContent: main?.text,
      targetFile: path.join(workspace.openspecDir, 'specs', delta.capability, 'spec.md'),
    });
    return { ok: true, capability: delta.capability, current, archived: result.rebuilt, result };
  } catch (error) {
    return {
      ok: false,
      capability: delta.capability,
      current,
      reason: errorMessage(error),
    };
  }
}

/** The text of one requirement block as written (header to last line), or '' when absent. */
export function requirementText(document: { text: string }, requirement: Requirement | undefined): string {
  if (!requirement) return '';
  return (
    splitLines(document.text)
      .slice(requirement.range.start.line, requirement.range.end.line + 1)
      .join('\n') + '\n'
  );
}

/** The main spec's current version of a requirement, matched as archive matches names. */
export function currentRequirement(spec: MainSpecDocument | undefined, name: string): Requirement | undefined {
  const wanted = normalizeRequirementName(name);
  return spec?.requirements.find((requirement) => normalizeRequirementName(requirement.name) === wanted);
}
