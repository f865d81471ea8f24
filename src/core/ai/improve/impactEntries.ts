/** The vocabulary of the impact check: what a proposed text does to a document that a reviewer must see. */
export type ImpactCode =
  // every document: a ## (or #) section gone or retitled; most of the text gone
  | 'sectionRemoved'
  | 'sectionRenamed'
  | 'textShrunk'
  // proposal.md: Why / What Changes lost or emptied; a capability gone from its lists; a new lint finding
  | 'proposalSectionLost'
  | 'capabilityRemoved'
  | 'lintAdded'
  // tasks.md: tasks compared by text and number; a review never changes a checkbox
  | 'taskRemoved'
  | 'taskRenumbered'
  | 'taskChecked'
  | 'taskUnchecked'
  // delta and main specs
  | 'requirementRemoved'
  | 'requirementRenamed'
  | 'scenarioRemoved'
  | 'requirementMoved'
  | 'outsideTarget'
  | 'unchanged';

export interface ImpactEntry {
  readonly code: ImpactCode;
  /** What it is about as a reader names it: "## Impact", "1.3 Add tests", a requirement or capability name. */
  readonly subject: string;
  readonly detail?: string;
  readonly destructive: boolean;
  /** The bare name behind the subject: a section title without its #s, a task's text, a scenario's name. */
  readonly name?: string;
  /** The requirement a requirement or scenario entry belongs to. */
  readonly requirement?: string;
  /** The task's number, for task entries that have one. */
  readonly taskId?: string;
  /** For requirementMoved: the delta operations it moved from and to (ADDED, MODIFIED, ...). */
  readonly from?: string;
  readonly to?: string;
}

/**
 * Destructive entries lose content or record work that was not done. Renames, renumbering and new lint
 * findings are worth a look but can be the very fix asked for, and a no-op loses nothing.
 */
const DESTRUCTIVE: Readonly<Record<ImpactCode, boolean>> = {
  sectionRemoved: true,
  sectionRenamed: false,
  textShrunk: true,
  proposalSectionLost: true,
  capabilityRemoved: true,
  lintAdded: false,
  taskRemoved: true,
  taskRenumbered: false,
  taskChecked: true,
  taskUnchecked: true,
  requirementRemoved: true,
  requirementRenamed: false,
  scenarioRemoved: true,
  requirementMoved: true,
  outsideTarget: true,
  unchanged: false,
};

export function isDestructiveCode(code: ImpactCode): boolean {
  return DESTRUCTIVE[code];
}

export function impactEntry(
  code: ImpactCode,
  subject: string,
  extra: Omit<ImpactEntry, 'code' | 'subject' | 'destructive'> = {},
): ImpactEntry {
  return { code, subject, destructive: DESTRUCTIVE[code], ...extra };
}

/** How names are compared across the two texts: case and spacing do not make a different name. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The words of a title or sentence that carry meaning (three letters or more), for loose matching. */
export function significantWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[\p{L}\p{N}_]{3,}/gu) ?? []).filter((word) => !/^\d+$/.test(word)));
}

export function sharesWord(a: string, b: string): boolean {
  const words = significantWords(a);
  for (const word of significantWords(b)) if (words.has(word)) return true;
  return false;
}
