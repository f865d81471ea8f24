import type { ImpactCode, ImpactEntry } from './impactEntries';

/** The figures behind a textShrunk entry, as the impact reports them. */
export interface ImpactFigures {
  readonly keptShare: number;
  readonly lengthShare: number;
  readonly baseLines: number;
  readonly proposedLines: number;
}

/** A shrunk text is told by what is left of its lines when they went, else by what is left of its length. */
export function shrinkPhrase(figures: ImpactFigures, past: boolean): string {
  const lines = `(${figures.baseLines} → ${figures.proposedLines} lines)`;
  if (figures.keptShare < 0.6)
    return `${past ? 'kept only' : 'keeps'} ${percent(figures.keptShare)} of the text ${lines}`;
  return `${past ? 'shortened' : 'shortens'} the text to ${percent(figures.lengthShare)} of its length ${lines}`;
}

/** One line for a person: "removes ## Impact and 2 tasks; ticks 3 tasks". '' when there is nothing to say. */
export function summarizeEntries(entries: readonly ImpactEntry[], figures: ImpactFigures): string {
  const of = (...codes: ImpactCode[]) => entries.filter((entry) => codes.includes(entry.code));
  const lost = of('proposalSectionLost');
  const clauses = [
    clause('removes', [
      ...named(
        [...of('sectionRemoved'), ...lost.filter((entry) => entry.detail !== 'emptied')],
        'section',
        'sections',
        3,
        (entry) => entry.subject,
      ),
      ...named(of('requirementRemoved'), 'requirement', 'requirements', 1, quote),
      ...named(of('scenarioRemoved'), 'scenario', 'scenarios', 1, quote),
      ...counted(of('taskRemoved'), 'task', 'tasks'),
      ...named(of('capabilityRemoved'), 'capability', 'capabilities', 1, quote),
    ]),
    clause(
      'empties',
      lost.filter((entry) => entry.detail === 'emptied').map((entry) => entry.subject),
    ),
    clause('ticks', counted(of('taskChecked'), 'task', 'tasks')),
    clause('unticks', counted(of('taskUnchecked'), 'task', 'tasks')),
    clause(
      'moves',
      named(
        of('requirementMoved'),
        'requirement',
        'requirements',
        1,
        (entry) => `${quote(entry)} (${entry.detail ?? ''})`,
      ),
    ),
    clause(
      'changes',
      of('outsideTarget').map(
        (entry) => `text outside requirement ${quote(entry)}${entry.detail ? ` (${entry.detail})` : ''}`,
      ),
    ),
    of('textShrunk').length > 0 ? shrinkPhrase(figures, false) : '',
    clause('renames', [
      ...named(of('sectionRenamed'), 'section', 'sections', 2, (entry) => `${entry.subject}${renamedTo(entry)}`),
      ...named(
        of('requirementRenamed'),
        'requirement',
        'requirements',
        1,
        (entry) => `${quote(entry)}${renamedTo(entry)}`,
      ),
    ]),
    clause('renumbers', counted(of('taskRenumbered'), 'task', 'tasks')),
    clause('adds', lintPhrase(of('lintAdded'))),
    of('unchanged').length > 0 ? 'changes nothing' : '',
  ];
  return clauses.filter((text) => text !== '').join('; ');
}

/**
 * The repair request for the model, in the past tense and naming what went, so it can put it back:
 * "Your answer removed the section ## Impact and 2 tasks (1.3 Add tests, 1.4 Docs) and ticked 3 tasks; keep
 * everything that is not part of the fix." '' when there is nothing to repair.
 */
export function describeEntriesForModel(entries: readonly ImpactEntry[], figures: ImpactFigures): string {
  const of = (...codes: ImpactCode[]) => entries.filter((entry) => codes.includes(entry.code));
  const lost = of('proposalSectionLost');
  const clauses = [
    clause('removed', [
      ...theNamed(
        [...of('sectionRemoved'), ...lost.filter((entry) => entry.detail !== 'emptied')],
        'section',
        'sections',
        (entry) => entry.subject,
      ),
      ...theNamed(of('requirementRemoved'), 'requirement', 'requirements', quote),
      ...theNamed(
        of('scenarioRemoved'),
        'scenario',
        'scenarios',
        (entry) => `${quote(entry)}${entry.requirement ? ` of "${entry.requirement}"` : ''}`,
      ),
      ...listed(of('taskRemoved')),
      ...theNamed(of('capabilityRemoved'), 'capability', 'capabilities', quote).map(
        (text) => `${text} from the proposal's lists`,
      ),
    ]),
    clause(
      'emptied',
      theNamed(
        lost.filter((entry) => entry.detail === 'emptied'),
        'section',
        'sections',
        (entry) => entry.subject,
      ),
    ),
    clause('ticked', listed(of('taskChecked'))),
    clause('unticked', listed(of('taskUnchecked'))),
    clause(
      'moved',
      of('requirementMoved').map(
        (entry) => `the requirement ${quote(entry)} from ${entry.from ?? '?'} to ${entry.to ?? '?'}`,
      ),
    ),
    clause(
      'changed',
      of('outsideTarget').map(
        (entry) => `text outside the requirement ${quote(entry)}${entry.detail ? ` (${entry.detail})` : ''}`,
      ),
    ),
    of('textShrunk').length > 0 ? shrinkPhrase(figures, true) : '',
    clause('renamed', [
      ...of('sectionRenamed').map((entry) => `${entry.subject}${renamedTo(entry)}`),
      ...of('requirementRenamed').map((entry) => `the requirement ${quote(entry)}${renamedTo(entry)}`),
    ]),
    clause('renumbered', listed(of('taskRenumbered'))),
    clause(
      'introduced',
      of('lintAdded').map((entry) => `the problem "${entry.subject}"`),
    ),
  ].filter((text) => text !== '');
  if (clauses.length === 0) return '';
  const hints = [
    of('taskChecked', 'taskUnchecked').length > 0 ? 'Leave every checkbox as it is: only the author ticks a task.' : '',
    of('textShrunk').length > 0 ? 'Answer with the complete document, every line of it.' : '',
    of('outsideTarget').length > 0 ? 'Change only the requirement you were asked to improve.' : '',
  ].filter((text) => text !== '');
  return [`Your answer ${joinAnd(clauses)}; keep everything that is not part of the fix.`, ...hints].join(' ');
}

function clause(verb: string, items: readonly string[]): string {
  return items.length === 0 ? '' : `${verb} ${joinAnd(items)}`;
}

/** Up to `max` named one by one ("requirement "A""), more as a count ("3 requirements"). */
function named(
  entries: readonly ImpactEntry[],
  singular: string,
  plural: string,
  max: number,
  label: (entry: ImpactEntry) => string,
): string[] {
  if (entries.length === 0) return [];
  if (entries.length > max) return [`${entries.length} ${plural}`];
  const prefix = singular === 'section' ? '' : `${singular} `;
  return entries.map((entry) => `${prefix}${label(entry)}`);
}

function counted(entries: readonly ImpactEntry[], singular: string, plural: string): string[] {
  return entries.length === 0 ? [] : [`${entries.length} ${entries.length === 1 ? singular : plural}`];
}

/** "the section ## Impact", "the requirements "A" and "B"": every one named, so the model knows what to restore. */
function theNamed(
  entries: readonly ImpactEntry[],
  singular: string,
  plural: string,
  label: (entry: ImpactEntry) => string,
): string[] {
  if (entries.length === 0) return [];
  return [
    `the ${entries.length === 1 ? singular : plural} ${joinAnd(entries.slice(0, 8).map(label))}${more(entries, 8)}`,
  ];
}

/** "2 tasks (1.3 Add tests, 1.4 Docs)". */
function listed(entries: readonly ImpactEntry[]): string[] {
  if (entries.length === 0) return [];
  const names = entries.slice(0, 6).map((entry) => shorten(entry.subject, 60));
  return [
    `${entries.length} ${entries.length === 1 ? 'task' : 'tasks'} (${names.join(', ')}${entries.length > 6 ? ', …' : ''})`,
  ];
}

function lintPhrase(entries: readonly ImpactEntry[]): string[] {
  if (entries.length === 0) return [];
  const codes = [...new Set(entries.map((entry) => entry.detail ?? 'lint'))];
  return [`${entries.length} lint ${entries.length === 1 ? 'finding' : 'findings'} (${codes.join(', ')})`];
}

function more(entries: readonly ImpactEntry[], shown: number): string {
  return entries.length > shown ? ` and ${entries.length - shown} more` : '';
}

/** " to ## New title" from a rename's detail ("renamed to ## New title"). */
function renamedTo(entry: ImpactEntry): string {
  const target = /^renamed (to .*)$/.exec(entry.detail ?? '')?.[1];
  return target ? ` ${target}` : '';
}

function quote(entry: ImpactEntry): string {
  return `"${shorten(entry.subject, 80)}"`;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

function percent(share: number): string {
  return `${Math.round(Math.max(0, Math.min(1, share)) * 100)}%`;
}
