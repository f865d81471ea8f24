import { splitLines } from '../openspec/markdownLines';
import type { OpenSpecWorkspace, Range } from '../openspec/model';
import { normalizeRequirementName } from '../validation/requirementNames';
import type { LanguageTarget } from './languageTarget';
import { requirementNameRange } from './requirementNameRange';

export interface TextReplacement {
  /** Absolute POSIX path. */
  readonly file: string;
  readonly range: Range;
  readonly newText: string;
}

export type RenameStart =
  { readonly ok: true; readonly range: Range; readonly name: string } | { readonly ok: false; readonly reason: string };

export type RenamePlan =
  | { readonly ok: true; readonly replacements: readonly TextReplacement[] }
  | { readonly ok: false; readonly reason: string };

const ONLY_MAIN_SPECS =
  'Rename works on a requirement header of a main spec (openspec/specs/<capability>/spec.md): the active changes that name it follow. Open the main spec to rename it there.';

/**
 * Where F2 may start: only on a main spec's requirement header, because that is the requirement; a delta only
 * names it, and renaming there alone would detach the delta from what archive applies it to.
 */
export function renameStart(target: LanguageTarget | undefined): RenameStart {
  if (target?.kind !== 'mainRequirement') return { ok: false, reason: ONLY_MAIN_SPECS };
  const { spec, requirement } = target;
  const range = requirementNameRange(splitLines(spec.text), requirement.headerLine, requirement.name);
  return { ok: true, range, name: normalizeRequirementName(requirement.name) };
}

/**
 * Renames a main spec requirement and what in the active changes refers to it: MODIFIED and REMOVED headers and
 * RENAMED FROM lines of that capability and name, so each still applies to it after the rename. ADDED headers
 * and RENAMED TO lines of the old name are left alone: they name a new requirement (one archive would refuse),
 * not this one. Archived changes are history and are never rewritten. Refused when the new name is empty or
 * already taken in the capability, by the main spec or by what an active change adds.
 */
export function planRequirementRename(
  workspace: OpenSpecWorkspace,
  target: LanguageTarget,
  wanted: string,
): RenamePlan {
  const start = renameStart(target);
  if (!start.ok || target.kind !== 'mainRequirement') return { ok: false, reason: ONLY_MAIN_SPECS };
  const newName = normalizeRequirementName(wanted);
  if (newName === '') return { ok: false, reason: 'A requirement needs a name.' };
  if (/[\r\n]/.test(newName)) return { ok: false, reason: 'A requirement name is one line.' };
  const { spec, requirement } = target;
  const oldName = start.name;
  const taken = spec.requirements.some(
    (other) => other !== requirement && normalizeRequirementName(other.name) === newName,
  );
  if (taken) return { ok: false, reason: `${spec.capability} already has a requirement named "${newName}".` };
  const replacements: TextReplacement[] = [{ file: spec.path, range: start.range, newText: newName }];
  for (const change of workspace.changes) {
    for (const delta of change.deltas) {
      if (delta.capability !== spec.capability) continue;
      const lines = splitLines(delta.text);
      const replace = (line: number, name: string) =>
        replacements.push({ file: delta.path, range: requirementNameRange(lines, line, name), newText: newName });
      for (const section of delta.deltaSections) {
        for (const rename of section.renames) {
          if (normalizeRequirementName(rename.to) === newName && newName !== oldName)
            return {
              ok: false,
              reason: `Change ${change.id} already renames a requirement of ${spec.capability} to "${newName}".`,
            };
          if (normalizeRequirementName(rename.from) === oldName) replace(rename.fromLine, rename.from);
        }
        for (const named of section.requirements) {
          const name = normalizeRequirementName(named.name);
          if (section.operation === 'ADDED' && name === newName && newName !== oldName)
            return {
              ok: false,
              reason: `Change ${change.id} already adds a requirement "${newName}" to ${spec.capability}.`,
            };
          if ((section.operation === 'MODIFIED' || section.operation === 'REMOVED') && name === oldName)
            replace(named.headerLine, named.name);
        }
      }
    }
  }
  return { ok: true, replacements };
}
