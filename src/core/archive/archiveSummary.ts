import type { ArchivePlan } from './archiveTypes';

/**
 * One sentence for what an archive will do, as the confirmation and a dry run say it:
 * "Archive add-note-tags: updates 2 specs (1 added, 1 modified requirement) and moves it to
 * archive/2026-12-01-add-note-tags".
 */
export function describeArchive(plan: ArchivePlan): string {
  const move = `moves it to archive/${plan.archivedAs}`;
  if (plan.specs.length === 0) return `Archive ${plan.change}: leaves the main specs as they are and ${move}`;
  const created = plan.specs.filter((spec) => spec.before === undefined).length;
  const updated = plan.specs.length - created;
  const specs = [
    created > 0 ? `creates ${plural(created, 'spec')}` : '',
    updated > 0 ? `updates ${plural(updated, 'spec')}` : '',
  ]
    .filter(Boolean)
    .join(' and ')
    // "creates 1 spec and updates 2 specs" reads better as "creates 1 and updates 2 specs".
    .replace(/^creates (\d+) specs? and/, 'creates $1 and');
  return `Archive ${plan.change}: ${specs} (${requirementCounts(plan)}) and ${move}`;
}

/** "1 added, 2 modified requirements": the operations that change the specs, in the order of archive's totals. */
export function requirementCounts(plan: ArchivePlan): string {
  const totals = plan.totals ?? { added: 0, modified: 0, removed: 0, renamed: 0 };
  const counted = (['added', 'modified', 'removed', 'renamed'] as const).filter((operation) => totals[operation] > 0);
  const last = counted.at(-1);
  if (last === undefined) return 'no requirement changes';
  // The noun agrees with the number next to it: "1 added, 1 modified requirement", "1 added, 2 modified requirements".
  const noun = totals[last] === 1 ? 'requirement' : 'requirements';
  return `${counted.map((operation) => `${totals[operation]} ${operation}`).join(', ')} ${noun}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}
