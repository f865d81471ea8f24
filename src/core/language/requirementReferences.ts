import { splitLines } from '../openspec/markdownLines';
import type { Change, DeltaOperation, OpenSpecWorkspace, Range } from '../openspec/model';
import { normalizeRequirementName } from '../validation/requirementNames';
import { requirementNameRange, type RequirementKey } from './requirementNameRange';

/** One place that names a requirement. */
export interface RequirementReference {
  /** Absolute POSIX path. */
  readonly file: string;
  /** The name on its header, bullet or FROM/TO line. */
  readonly range: Range;
  readonly where: 'mainSpec' | 'activeChange' | 'archivedChange';
  /** The change's folder name, for a delta. */
  readonly changeId?: string;
  readonly operation?: DeltaOperation;
  /** For RENAMED: which side of the rename names it. */
  readonly side?: 'from' | 'to';
}

/**
 * Every place that names the requirement `key`: the main spec's header, each active change's delta header
 * (ADDED, MODIFIED, REMOVED, RENAMED FROM or TO) of that capability and name, and each archived change's, so
 * its history is one list. The archive is followed back through its renames: what an archived change renamed
 * to this name was, before it, the requirement under the old name.
 */
export function requirementReferences(workspace: OpenSpecWorkspace, key: RequirementKey): RequirementReference[] {
  const references: RequirementReference[] = [];
  const spec = workspace.specs.find((candidate) => candidate.capability === key.capability);
  const main = spec?.requirements.find((requirement) => normalizeRequirementName(requirement.name) === key.name);
  if (spec && main)
    references.push({
      file: spec.path,
      range: requirementNameRange(splitLines(spec.text), main.headerLine, main.name),
      where: 'mainSpec',
    });
  const current = new Set([key.name]);
  for (const change of workspace.changes)
    references.push(...changeReferences(change, key.capability, current, 'activeChange'));
  const history = namesBeforeRenames(workspace.archive, key.capability, key.name);
  for (const change of [...workspace.archive].reverse())
    references.push(...changeReferences(change, key.capability, history, 'archivedChange'));
  return references;
}

/** The name and every earlier name archived renames led to it from. */
function namesBeforeRenames(archive: readonly Change[], capability: string, name: string): Set<string> {
  const names = new Set([name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const change of archive)
      for (const delta of change.deltas) {
        if (delta.capability !== capability) continue;
        for (const section of delta.deltaSections)
          for (const rename of section.renames) {
            const from = normalizeRequirementName(rename.from);
            if (rename.to && names.has(normalizeRequirementName(rename.to)) && !names.has(from)) {
              names.add(from);
              grew = true;
            }
          }
      }
  }
  return names;
}

function changeReferences(
  change: Change,
  capability: string,
  names: ReadonlySet<string>,
  where: RequirementReference['where'],
): RequirementReference[] {
  const found: RequirementReference[] = [];
  for (const delta of change.deltas) {
    if (delta.capability !== capability) continue;
    let lines: readonly string[] | undefined;
    // Split only a delta that names the requirement: most of a large project's deltas do not.
    const rangeOf = (line: number, name: string) =>
      requirementNameRange((lines ??= splitLines(delta.text)), line, name);
    const base = { file: delta.path, where, changeId: change.id };
    for (const section of delta.deltaSections) {
      const operation = section.operation;
      for (const requirement of section.requirements)
        if (names.has(normalizeRequirementName(requirement.name)))
          found.push({ ...base, operation, range: rangeOf(requirement.headerLine, requirement.name) });
      for (const rename of section.renames) {
        if (names.has(normalizeRequirementName(rename.from)))
          found.push({ ...base, operation, side: 'from', range: rangeOf(rename.fromLine, rename.from) });
        if (rename.to && rename.toLine !== undefined && names.has(normalizeRequirementName(rename.to)))
          found.push({ ...base, operation, side: 'to', range: rangeOf(rename.toLine, rename.to) });
      }
    }
  }
  return found;
}
