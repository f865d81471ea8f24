import { classifyDocument, type DocumentRole } from '../../openspec/documentPaths';
import type { DeltaSpecDocument, MainSpecDocument } from '../../openspec/model';
import { impactEntry, nameKey, type ImpactEntry } from './impactEntries';
import { comparableText, contentLines, keptShare, textLines } from './impactLines';
import { proposalChanges } from './impactProposal';
import { findTargetRequirement, outsideTargetChanges, requirementChanges, type SpecFile } from './impactRequirements';
import { sectionChanges } from './impactSections';
import { taskChanges } from './impactTasks';
import { describeEntriesForModel, summarizeEntries } from './impactWording';

export type { ImpactCode, ImpactEntry } from './impactEntries';

/**
 * What a proposed text does to the document it would replace, beyond `openspec validate`'s verdict: small
 * models answer with well-formed JSON whose document is truncated, lost a section, ticked tasks or dropped a
 * requirement, and every one of those still validates.
 */
export interface ProposalImpact {
  readonly kind: 'proposal' | 'design' | 'tasks' | 'delta' | 'spec' | 'other';
  readonly baseLines: number;
  readonly proposedLines: number;
  /** Share (0..1) of the base's non-blank lines found, in order, in the proposal. */
  readonly keptShare: number;
  /** The proposal's length as a share of the base's (may exceed 1). */
  readonly lengthShare: number;
  readonly entries: readonly ImpactEntry[];
  /** Any entry is destructive. */
  readonly destructive: boolean;
  /** For a person, short: "removes ## Impact and 2 tasks; ticks 3 tasks"; '' when nothing is notable. */
  readonly summary: string;
}

export interface ImpactInput {
  /** Absolute path of the document. */
  readonly file: string;
  readonly openspecDir: string;
  readonly baseText: string;
  readonly proposedText: string;
  /** The requirement that alone was to change, when only one was asked for. */
  readonly requirement?: string;
  /** The main specs, so the proposal's lint can tell new capabilities from existing ones. */
  readonly mainSpecs?: readonly MainSpecDocument[];
  /** The change's delta specs, so the proposal's lint can check its capabilities have one. */
  readonly deltas?: readonly DeltaSpecDocument[];
}

/** Below this many non-blank lines a rewrite of a line or two says nothing about losing the document. */
const MIN_LINES_FOR_SHARE = 5;
const MIN_KEPT_SHARE = 0.6;
const MIN_LENGTH_SHARE = 0.5;

/** Compares the proposal with the base document; reads nothing and never throws, whatever the texts. */
export function assessImpact(input: ImpactInput): ProposalImpact {
  const base = comparableText(input.baseText);
  const proposed = comparableText(input.proposedText);
  const role = classifyDocument(input.openspecDir, input.file);
  const baseLines = textLines(base);
  const proposedLines = textLines(proposed);
  const figures = {
    baseLines: baseLines.length,
    proposedLines: proposedLines.length,
    keptShare: keptShare(baseLines, proposedLines),
    lengthShare: base.length === 0 ? 1 : proposed.length / base.length,
  };
  const kind = impactKind(role);
  if (base === proposed) return finish(kind, figures, [impactEntry('unchanged', 'the document')]);
  const spec = specFile(input.file, role);
  const target =
    spec && input.requirement !== undefined ? findTargetRequirement(spec, base, input.requirement) : undefined;
  const entries: ImpactEntry[] = [...sectionChanges(base, proposed)];
  // A targeted requirement may be rewritten freely: the text around it and its scenarios are checked instead.
  if (!target && isShrunk(figures, contentLines(baseLines).length)) {
    entries.push(
      impactEntry('textShrunk', 'the text', {
        detail: `${Math.round(figures.keptShare * 100)}% of the lines kept, ${Math.round(figures.lengthShare * 100)}% of the length`,
      }),
    );
  }
  if (role.kind === 'proposal') {
    const context = {
      file: input.file,
      changeId: role.changeId,
      ...(input.mainSpecs ? { mainSpecs: input.mainSpecs } : {}),
      ...(input.deltas ? { deltas: input.deltas } : {}),
    };
    entries.push(...proposalChanges(context, base, proposed));
  }
  if (role.kind === 'tasks') entries.push(...taskChanges(input.file, base, proposed));
  if (spec)
    entries.push(
      ...requirementChanges(spec, base, proposed),
      ...(target ? outsideTargetChanges(spec, base, proposed, target) : []),
    );
  return finish(kind, figures, withoutRepeats(entries));
}

/** The repair sentence for the model; by default about every destructive entry, or about the ones given. */
export function describeImpactForModel(
  impact: ProposalImpact,
  entries: readonly ImpactEntry[] = impact.entries.filter((entry) => entry.destructive),
): string {
  return describeEntriesForModel(entries, impact);
}

function isShrunk(
  figures: { readonly keptShare: number; readonly lengthShare: number },
  baseContentLines: number,
): boolean {
  return (
    (baseContentLines >= MIN_LINES_FOR_SHARE && figures.keptShare < MIN_KEPT_SHARE) ||
    figures.lengthShare < MIN_LENGTH_SHARE
  );
}

function specFile(file: string, role: DocumentRole): SpecFile | undefined {
  if (role.kind === 'delta') return { kind: 'delta', file, capability: role.capability };
  if (role.kind === 'mainSpec') return { kind: 'spec', file, capability: role.capability };
  return undefined;
}

function impactKind(role: DocumentRole): ProposalImpact['kind'] {
  switch (role.kind) {
    case 'proposal':
    case 'design':
    case 'tasks':
    case 'delta':
      return role.kind;
    case 'mainSpec':
      return 'spec';
    default:
      return 'other';
  }
}

/** A lost Why or What Changes is reported once, as such, not again as a removed or renamed section. */
function withoutRepeats(entries: readonly ImpactEntry[]): ImpactEntry[] {
  const lost = new Set(
    entries.filter((entry) => entry.code === 'proposalSectionLost').map((entry) => nameKey(entry.name ?? '')),
  );
  const lostLint = lost.size > 0 ? new Set(['missing-section', 'empty-section']) : new Set<string>();
  return entries.filter((entry) => {
    if (
      (entry.code === 'sectionRemoved' || entry.code === 'sectionRenamed') &&
      entry.subject.startsWith('## ') &&
      lost.has(nameKey(entry.name ?? ''))
    )
      return false;
    return !(entry.code === 'lintAdded' && lostLint.has(entry.detail ?? ''));
  });
}

function finish(
  kind: ProposalImpact['kind'],
  figures: Omit<ProposalImpact, 'kind' | 'entries' | 'destructive' | 'summary'>,
  entries: readonly ImpactEntry[],
): ProposalImpact {
  return {
    kind,
    ...figures,
    entries,
    destructive: entries.some((entry) => entry.destructive),
    summary: summarizeEntries(entries, figures),
  };
}
