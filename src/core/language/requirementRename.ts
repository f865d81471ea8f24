import { splitLines } from '../openspec/markdownLines';
import type { MainSpecDocument, OpenSpecWorkspace, Range, Requirement } from '../openspec/model';
import { normalizeRequirementName } from '../validation/requirementNames';
import { mainRequirementFor, type LanguageTarget } from './languageTarget';
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

const NOT_A_REQUIREMENT =
  'Rename works on a requirement of a main spec: its header, or a MODIFIED or REMOVED header or a RENAMED FROM line of an active change naming it. The main spec and every active change naming it are renamed together.';

/** The main spec requirement F2 renames from `target`, and where on the target's own line its name is. */
interface RenameSubject {
  readonly spec: MainSpecDocument;
  readonly requirement: Requirement;
  /** The name's span on the line F2 was pressed on. */
  readonly range: Range;
}

/**
 * The requirement a target names, for F2: a main spec header is the requirement; a MODIFIED or REMOVED header
 * or a RENAMED FROM line of an active change names one, so renaming from there renames it, and every place naming
 * it follows, as from its header. An ADDED header or RENAMED TO line names a new requirement, not an existing one.
 */
function renameSubject(workspace: OpenSpecWorkspace, target: LanguageTarget | undefined): RenameSubject | undefined {
  if (target?.kind === 'mainRequirement') {
    const { spec, requirement } = target;
    return {
      spec,
      requirement,
      range: requirementNameRange(splitLines(spec.text), requirement.headerLine, requirement.name),
    };
  }
  if (target?.kind !== 'deltaRequirement' && target?.kind !== 'renameFrom') return undefined;
  // The archive is history: a change there names what the requirement was called then.
  if (!workspace.changes.includes(target.change)) return undefined;
  if (
    target.kind === 'deltaRequirement' &&
    target.section.operation !== 'MODIFIED' &&
    target.section.operation !== 'REMOVED'
  )
    return undefined;
  const { name, line } =
    'requirement' in target ? { name: target.requirement.name, line: target.requirement.headerLine } : target;
  const named = mainRequirementFor(workspace, target.delta.capability, name);
  if (!named) return undefined;
  return { ...named, range: requirementNameRange(splitLines(target.delta.text), line, name) };
}

/** Where F2 may start, and the name it offers. */
export function renameStart(workspace: OpenSpecWorkspace, target: LanguageTarget | undefined): RenameStart {
  const subject = renameSubject(workspace, target);
  if (!subject) return { ok: false, reason: NOT_A_REQUIREMENT };
  return { ok: true, range: subject.range, name: normalizeRequirementName(subject.requirement.name) };
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
  const subject = renameSubject(workspace, target);
  if (!subject) return { ok: false, reason: NOT_A_REQUIREMENT };
  const newName = normalizeRequirementName(wanted);
  if (newName === '') return { ok: false, reason: 'A requirement needs a name.' };
  if (/[\r\n]/.test(newName)) return { ok: false, reason: 'A requirement name is one line.' };
  const { spec, requirement } = subject;
  const oldName = normalizeRequirementName(requirement.name);
  const taken = spec.requirements.some(
    (other) => other !== requirement && normalizeRequirementName(other.name) === newName,
  );
  if (taken) return { ok: false, reason: `${spec.capability} already has a requirement named "${newName}".` };
  const mainRange = requirementNameRange(splitLines(spec.text), requirement.headerLine, requirement.name);
  const replacements: TextReplacement[] = [{ file: spec.path, range: mainRange, newText: newName }];
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
