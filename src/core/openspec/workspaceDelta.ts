import type { Change, OpenSpecWorkspace, UnreadablePath } from './model';
import type { ModelDelta } from './workspaceModel';

/**
 * What a full re-read changed: the changes and specs that appeared, went or hold another parsed document. The
 * scan's parse cache hands back the very document it parsed before for a file whose text is the same, so an
 * untouched change compares equal by identity. Listeners then redraw and revalidate those alone: a Refresh on a
 * thousand-change project where nothing moved redraws no row.
 */
export function fullReadDelta(before: OpenSpecWorkspace, after: OpenSpecWorkspace): ModelDelta {
  return {
    changes: changedIds(before.changes, after.changes, sameChange),
    specs: changedIds(
      before.specs.map((spec) => ({ id: spec.capability, spec })),
      after.specs.map((spec) => ({ id: spec.capability, spec })),
      (a, b) => a.spec === b.spec,
    ),
    archive: changedIds(before.archive, after.archive, sameChange).length > 0,
    // The config and what could not be listed bear on every item's verdict.
    config:
      before.config !== after.config ||
      before.layout !== after.layout ||
      !sameUnreadable(before.unreadable, after.unreadable),
  };
}

function changedIds<T extends { readonly id: string }>(
  before: readonly T[],
  after: readonly T[],
  same: (a: T, b: T) => boolean,
): string[] {
  const earlier = new Map(before.map((item) => [item.id, item]));
  const changed = new Set<string>();
  for (const item of after) {
    const previous = earlier.get(item.id);
    if (!previous || !same(previous, item)) changed.add(item.id);
    earlier.delete(item.id);
  }
  for (const gone of earlier.keys()) changed.add(gone);
  return [...changed].sort();
}

function sameChange(a: Change, b: Change): boolean {
  return (
    a.dir === b.dir &&
    a.metadata === b.metadata &&
    a.proposal === b.proposal &&
    a.design === b.design &&
    a.tasks === b.tasks &&
    a.lastModified === b.lastModified &&
    a.deltas.length === b.deltas.length &&
    a.deltas.every((delta, index) => delta === b.deltas[index]) &&
    sameUnreadable(a.unreadable, b.unreadable)
  );
}

function sameUnreadable(a: readonly UnreadablePath[] | undefined, b: readonly UnreadablePath[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}
