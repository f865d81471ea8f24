import type { Change, DeltaOperation, OpenSpecWorkspace } from '../openspec/model';
import type { Pause } from '../async/timeSlices';
import { normalizeRequirementName } from '../validation/requirementNames';
import { compareText } from '../compareText';

/** One requirement header of an active change's delta spec, as archive will apply it. */
export interface RequirementTouch {
  readonly changeId: string;
  readonly capability: string;
  /** As written in the delta (a RENAMED touch names its FROM or its TO, whichever the overlap is about). */
  readonly requirement: string;
  readonly operation: DeltaOperation;
  /** Absolute POSIX path of the delta spec. */
  readonly file: string;
  /** 0-based line of the header (of the FROM or TO line for a rename). */
  readonly line: number;
}

/**
 * Two active changes that archive would apply to one requirement, where the second archive loses or breaks the
 * first one's work. `changed`: both rewrite, drop or rename a requirement the main spec has (MODIFIED, REMOVED,
 * RENAMED by its FROM name); `created`: both create one name (ADDED, RENAMED by its TO name).
 */
export interface ChangeOverlap {
  readonly kind: 'changed' | 'created';
  readonly capability: string;
  /** The name as archive matches it (normalized). */
  readonly requirement: string;
  readonly touches: readonly [RequirementTouch, RequirementTouch];
}

interface KeyedTouch {
  readonly kind: ChangeOverlap['kind'];
  readonly name: string;
  readonly touch: RequirementTouch;
}

/**
 * Every pair of active changes (the archive is history, never compared) whose deltas collide on one requirement
 * of one capability, matched by name as archive matches it. Within one change nothing is an overlap: the
 * validator already reports a change that names a requirement twice.
 */
export function findChangeOverlaps(workspace: OpenSpecWorkspace): ChangeOverlap[] {
  return overlapsAmong(workspace.changes.map(touchesOf));
}

/**
 * findChangeOverlaps with `pause` awaited before each change's deltas are read: on a thread others share (the
 * extension host) a project of a thousand changes then holds it for the pairing and sorting alone.
 */
export async function findChangeOverlapsInSlices(workspace: OpenSpecWorkspace, pause: Pause): Promise<ChangeOverlap[]> {
  const touches: KeyedTouch[][] = [];
  for (const change of workspace.changes) {
    await pause();
    touches.push(touchesOf(change));
  }
  return overlapsAmong(touches);
}

function overlapsAmong(touchesByChange: readonly (readonly KeyedTouch[])[]): ChangeOverlap[] {
  const groups = new Map<string, KeyedTouch[]>();
  for (const changeTouches of touchesByChange) {
    for (const keyed of changeTouches) {
      const key = `${keyed.kind}\u0000${keyed.touch.capability}\u0000${keyed.name}`;
      const group = groups.get(key) ?? [];
      group.push(keyed);
      groups.set(key, group);
    }
  }
  const overlaps: ChangeOverlap[] = [];
  for (const group of groups.values()) {
    const { kind, name } = group[0] as KeyedTouch;
    const touches = group.map((keyed) => keyed.touch).sort(byChangeThenPlace);
    touches.forEach((first, i) => {
      for (const second of touches.slice(i + 1)) {
        if (first.changeId === second.changeId) continue;
        overlaps.push({ kind, capability: first.capability, requirement: name, touches: [first, second] });
      }
    });
  }
  return overlaps.sort(
    (a, b) =>
      compareText(a.capability, b.capability) ||
      compareText(a.requirement, b.requirement) ||
      byChangeThenPlace(a.touches[0], b.touches[0]) ||
      byChangeThenPlace(a.touches[1], b.touches[1]),
  );
}

/** The overlaps one change takes part in. */
export function overlapsOfChange(overlaps: readonly ChangeOverlap[], changeId: string): ChangeOverlap[] {
  return overlaps.filter((overlap) => overlap.touches.some((touch) => touch.changeId === changeId));
}

/** The touch of `overlap` on the other side of `side`. */
export function otherTouch(overlap: ChangeOverlap, side: 0 | 1): RequirementTouch {
  return overlap.touches[side === 0 ? 1 : 0];
}

/**
 * What the header on `side` is told about the other change: who else touches the requirement and what
 * archiving both does, worded for the pair of operations (archive applies RENAMED, REMOVED, MODIFIED, ADDED).
 */
export function describeOverlap(overlap: ChangeOverlap, side: 0 | 1): string {
  const own = overlap.touches[side];
  const other = otherTouch(overlap, side);
  const who = `by change '${other.changeId}' (capability ${overlap.capability})`;
  if (overlap.kind === 'created') {
    const verb = other.operation === 'ADDED' ? 'Also added' : 'Also renamed to this name';
    return `${verb} ${who}: the second archive will fail`;
  }
  const verb = { MODIFIED: 'Also modified', REMOVED: 'Also removed', RENAMED: 'Also renamed', ADDED: 'Also added' }[
    other.operation
  ];
  return `${verb} ${who}: ${consequence(own.operation, other.operation)}`;
}

function consequence(own: DeltaOperation, other: DeltaOperation): string {
  switch (`${own}/${other}`) {
    case 'MODIFIED/MODIFIED':
      return "archiving one overwrites the other's version";
    case 'MODIFIED/REMOVED':
      return 'once that removal is archived this MODIFIED fails, and archived first this version is removed';
    case 'REMOVED/MODIFIED':
      return "archiving this removal discards that change's version, or makes its MODIFIED fail";
    case 'MODIFIED/RENAMED':
      return 'once that rename is archived this MODIFIED no longer finds the old name';
    case 'RENAMED/MODIFIED':
      return "archiving this rename first makes that change's MODIFIED fail";
    case 'REMOVED/REMOVED':
      return 'the second archive finds it removed already';
    case 'REMOVED/RENAMED':
      return 'archived first, that rename makes this removal miss the requirement; archived after, the rename fails';
    case 'RENAMED/REMOVED':
      return 'archived first, that removal makes this rename fail; archived after, it misses the renamed requirement';
    default:
      return "the second archive's rename fails or renames it again";
  }
}

function touchesOf(change: Change): KeyedTouch[] {
  const keyed: KeyedTouch[] = [];
  for (const delta of change.deltas) {
    const at = (operation: DeltaOperation, requirement: string, line: number): RequirementTouch => ({
      changeId: change.id,
      capability: delta.capability,
      requirement,
      operation,
      file: delta.path,
      line,
    });
    for (const section of delta.deltaSections) {
      const { operation } = section;
      if (operation === 'RENAMED') {
        for (const rename of section.renames) {
          keyed.push({
            kind: 'changed',
            name: normalizeRequirementName(rename.from),
            touch: at(operation, rename.from, rename.fromLine),
          });
          if (rename.to === '') continue;
          const line = rename.toLine ?? rename.fromLine;
          keyed.push({
            kind: 'created',
            name: normalizeRequirementName(rename.to),
            touch: at(operation, rename.to, line),
          });
        }
        continue;
      }
      for (const requirement of section.requirements) {
        keyed.push({
          kind: operation === 'ADDED' ? 'created' : 'changed',
          name: normalizeRequirementName(requirement.name),
          touch: at(operation, requirement.name, requirement.headerLine),
        });
      }
    }
  }
  return keyed.filter((entry) => entry.name !== '');
}

function byChangeThenPlace(a: RequirementTouch, b: RequirementTouch): number {
  return compareText(a.changeId, b.changeId) || compareText(a.file, b.file) || a.line - b.line;
}
