import { posix as path } from 'node:path';
import { checkChange } from '../../lint/changeChecks';
import type { LintFinding } from '../../lint/finding';
import { parseProposal } from '../../openspec/changeDocuments';
import type { Change, DeltaSpecDocument, MainSpecDocument, ProposalDocument, Section } from '../../openspec/model';
import { impactEntry, nameKey, type ImpactEntry } from './impactEntries';

export interface ProposalContext {
  readonly file: string;
  readonly changeId: string;
  readonly mainSpecs?: readonly MainSpecDocument[];
  readonly deltas?: readonly DeltaSpecDocument[];
}

/** What a proposal.md rewrite loses that the generic checks do not see: its required sections, its capabilities, its lint. */
export function proposalChanges(context: ProposalContext, base: string, proposed: string): ImpactEntry[] {
  const before = parseProposal(context.file, base);
  const after = parseProposal(context.file, proposed);
  return [...lostSections(before, after), ...removedCapabilities(before, after), ...addedLint(context, before, after)];
}

function lostSections(before: ProposalDocument, after: ProposalDocument): ImpactEntry[] {
  const entries: ImpactEntry[] = [];
  const required: Array<[string, Section | undefined, Section | undefined]> = [
    ['Why', before.why, after.why],
    ['What Changes', before.whatChanges, after.whatChanges],
  ];
  for (const [title, was, is] of required) {
    // A section that was empty already has nothing to lose.
    if (!was || sectionContent(before, was) === '') continue;
    if (!is) entries.push(impactEntry('proposalSectionLost', `## ${title}`, { name: title, detail: 'removed' }));
    else if (sectionContent(after, is) === '')
      entries.push(impactEntry('proposalSectionLost', `## ${title}`, { name: title, detail: 'emptied' }));
  }
  return entries;
}

/** Everything under the header, sub-sections included, without HTML comments (template placeholders). */
function sectionContent(document: ProposalDocument, section: Section): string {
  const lines = document.text.split(/\r\n|\r|\n/).slice(section.headerLine + 1, section.range.end.line + 1);
  return lines
    .join('\n')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .trim();
}

function removedCapabilities(before: ProposalDocument, after: ProposalDocument): ImpactEntry[] {
  // Moving a capability between New and Modified is a correction, not a loss.
  const kept = new Set(
    [...after.newCapabilities, ...after.modifiedCapabilities].map((reference) => nameKey(reference.name)),
  );
  const lists: Array<[string, ProposalDocument['newCapabilities']]> = [
    ['New Capabilities', before.newCapabilities],
    ['Modified Capabilities', before.modifiedCapabilities],
  ];
  const entries: ImpactEntry[] = [];
  const reported = new Set<string>();
  for (const [list, references] of lists) {
    for (const reference of references) {
      const key = nameKey(reference.name);
      if (kept.has(key) || reported.has(key)) continue;
      reported.add(key);
      entries.push(impactEntry('capabilityRemoved', reference.name, { name: reference.name, detail: `from ${list}` }));
    }
  }
  return entries;
}

/** Findings that need the main specs or the change's deltas to be meaningful; left out when those are not given. */
const NEEDS_MAIN_SPECS = new Set(['new-capability-exists', 'modified-capability-missing']);
const NEEDS_DELTAS = new Set(['capability-without-delta', 'delta-not-in-proposal']);

/** Our own lint findings on the proposed proposal.md that the current one does not have, repeats counted. */
function addedLint(context: ProposalContext, before: ProposalDocument, after: ProposalDocument): ImpactEntry[] {
  const relevant = (finding: LintFinding) =>
    (context.mainSpecs !== undefined || !NEEDS_MAIN_SPECS.has(finding.code)) &&
    (context.deltas !== undefined || !NEEDS_DELTAS.has(finding.code));
  const lint = (proposal: ProposalDocument) =>
    checkChange(changeWith(context, proposal), context.mainSpecs ?? []).filter(relevant);
  const remaining = new Map<string, number>();
  const key = (finding: LintFinding) => `${finding.code}\u0000${finding.message}`;
  for (const finding of lint(before)) remaining.set(key(finding), (remaining.get(key(finding)) ?? 0) + 1);
  const entries: ImpactEntry[] = [];
  for (const finding of lint(after)) {
    const left = remaining.get(key(finding)) ?? 0;
    if (left > 0) remaining.set(key(finding), left - 1);
    else entries.push(impactEntry('lintAdded', finding.message, { detail: finding.code }));
  }
  return entries;
}

function changeWith(context: ProposalContext, proposal: ProposalDocument): Change {
  return {
    id: context.changeId,
    dir: path.dirname(context.file),
    proposal,
    deltas: context.deltas ?? [],
    lastModified: 0,
  };
}
