import type { DeltaPlan } from './deltaSpecParser';
import { foldRequirementName, normalizeRequirementName } from './requirementNames';
import { SpecMergeError, type SpecMergeRefusal } from './specMergeError';

/** Checks that need only the delta: archive refuses these before it reads the main spec. */
export function assertPlanIsConsistent(plan: DeltaPlan, specId: string): void {
  const failed = (reason: SpecMergeRefusal, detail: string): SpecMergeError =>
    new SpecMergeError(reason, `${specId} validation failed - ${detail}`);
  const first = plan.unpairedRenames[0];
  if (first) {
    const missing = first.side === 'FROM' ? 'TO' : 'FROM';
    throw failed(
      'unpaired-rename',
      `RENAMED entry on line ${first.line} has no matching ${missing}: for header "### Requirement: ${first.name}". ` +
        'Write each rename as a FROM: line followed immediately by its TO: line.',
    );
  }
  const uniqueNames = (names: string[], section: string): Set<string> => {
    const seen = new Set<string>();
    for (const name of names) {
      const key = normalizeRequirementName(name);
      if (seen.has(key))
        throw failed('duplicate', `duplicate requirement in ${section} for header "### Requirement: ${name}"`);
      seen.add(key);
    }
    return seen;
  };
  const added = uniqueNames(
    plan.added.map((block) => block.name),
    'ADDED',
  );
  const modified = uniqueNames(
    plan.modified.map((block) => block.name),
    'MODIFIED',
  );
  const removed = uniqueNames(plan.removed, 'REMOVED');
  const renamedFrom = new Set<string>();
  const renamedTo = new Set<string>();
  for (const { from, to } of plan.renamed) {
    const fromKey = normalizeRequirementName(from);
    const toKey = normalizeRequirementName(to);
    if (renamedFrom.has(fromKey))
      throw failed('duplicate', `duplicate FROM in RENAMED for header "### Requirement: ${from}"`);
    if (renamedTo.has(toKey)) throw failed('duplicate', `duplicate TO in RENAMED for header "### Requirement: ${to}"`);
    renamedFrom.add(fromKey);
    renamedTo.add(toKey);
  }

  const conflicts: Array<{ name: string; a: string; b: string }> = [];
  for (const name of modified) {
    if (removed.has(name)) conflicts.push({ name, a: 'MODIFIED', b: 'REMOVED' });
    if (added.has(name)) conflicts.push({ name, a: 'MODIFIED', b: 'ADDED' });
  }
  for (const name of added) if (removed.has(name)) conflicts.push({ name, a: 'ADDED', b: 'REMOVED' });
  for (const { from, to } of plan.renamed) {
    const fromKey = normalizeRequirementName(from);
    // Folded, so a case or spacing variant of the FROM header in REMOVED is still the same contradiction.
    const removedMatch = [...removed].find((name) => foldRequirementName(name) === foldRequirementName(fromKey));
    if (removedMatch !== undefined) {
      throw failed(
        'conflict',
        `requirement present in multiple sections (RENAMED and REMOVED) for header "### Requirement: ${from}"` +
          (removedMatch === fromKey ? '' : ` (REMOVED spells it "${removedMatch}")`),
      );
    }
    if (modified.has(fromKey))
      throw failed('conflict', `when a rename exists, MODIFIED must reference the NEW header "### Requirement: ${to}"`);
    if (added.has(normalizeRequirementName(to)))
      throw failed('conflict', `RENAMED TO header collides with ADDED for "### Requirement: ${to}"`);
  }
  const conflict = conflicts[0];
  if (conflict) {
    throw failed(
      'conflict',
      `requirement present in multiple sections (${conflict.a} and ${conflict.b}) for header "### Requirement: ${conflict.name}"`,
    );
  }
  if (plan.added.length + plan.modified.length + plan.removed.length + plan.renamed.length === 0) {
    throw new SpecMergeError(
      'no-operations',
      `Delta parsing found no operations for ${specId}. Provide ADDED/MODIFIED/REMOVED/RENAMED sections in change spec.`,
    );
  }
}
