import { posix as path } from 'node:path';
import type { DeltaSpecDocument, MainSpecDocument } from '../../openspec/model';
import { counted } from '../../counted';
import type { ImpactEntry } from './impactEntries';
import { unjustifiedImpact } from './impactPolicy';
import type { FindingToFix } from './improveInstructions';
import { assessImpact, describeImpactForModel, type ProposalImpact } from './proposalImpact';

/**
 * The impact check of one proposal: what the model's text does to the document, which of its destructive
 * effects nobody asked for, and what it wrote into the text that is no part of a document. Every path that
 * can write a model's text (editor Accept, the loop's auto-accept, `improve --write`, MCP) reads this one verdict.
 */
export interface ProposalCheck {
  readonly impact: ProposalImpact;
  /** Destructive effects the findings being fixed (or the author's instruction) did not ask for. */
  readonly unjustified: readonly ImpactEntry[];
  /** What the answer carries that is no part of the document and could not be taken out: think tags, echoed instructions. */
  readonly dirty: readonly string[];
  /** What was taken out of the answer mechanically before it was shown (a fence, listing numbers). */
  readonly cleaned: readonly string[];
}

export interface CheckInput {
  /** Absolute path of the document. */
  readonly file: string;
  /** The project folder (the one containing `openspec/`). */
  readonly root: string;
  readonly baseText: string;
  readonly proposedText: string;
  readonly requirement?: string;
  readonly findings?: readonly FindingToFix[];
  readonly instruction?: string;
  readonly mainSpecs?: readonly MainSpecDocument[];
  readonly deltas?: readonly DeltaSpecDocument[];
  readonly dirty?: readonly string[];
  readonly cleaned?: readonly string[];
}

/** Codes that mean something for any text; the rest read Markdown structure, which YAML comments would fake. */
const PLAIN_TEXT_CODES = new Set<ImpactEntry['code']>(['textShrunk', 'unchanged']);

export function checkProposal(input: CheckInput): ProposalCheck {
  const assessed = assessImpact({
    file: input.file,
    openspecDir: path.join(input.root, 'openspec'),
    baseText: input.baseText,
    proposedText: input.proposedText,
    ...(input.requirement !== undefined ? { requirement: input.requirement } : {}),
    ...(input.mainSpecs ? { mainSpecs: input.mainSpecs } : {}),
    ...(input.deltas ? { deltas: input.deltas } : {}),
  });
  const impact = input.file.endsWith('.md') ? assessed : plainTextImpact(assessed);
  return {
    impact,
    unjustified: unjustifiedImpact(impact, input.findings ?? [], input.instruction),
    dirty: input.dirty ?? [],
    cleaned: input.cleaned ?? [],
  };
}

function plainTextImpact(impact: ProposalImpact): ProposalImpact {
  const entries = impact.entries.filter((entry) => PLAIN_TEXT_CODES.has(entry.code));
  const destructive = entries.some((entry) => entry.destructive);
  return { ...impact, entries, destructive, summary: destructive ? impact.summary : '' };
}

/** Why the loop may not accept this proposal by itself, if it may not; the person asked still can. */
export type AutoAcceptBlock = 'newErrors' | 'destructive' | 'dirty';

export function autoAcceptBlock(check: ProposalCheck | undefined, newErrors: number): AutoAcceptBlock | undefined {
  if (newErrors > 0) return 'newErrors';
  if (!check) return undefined;
  if (check.unjustified.length > 0) return 'destructive';
  if (check.dirty.length > 0) return 'dirty';
  return undefined;
}

/**
 * The one line a person reads before deciding: "removes ## Impact and 2 tasks; ticks 3 tasks", with what the
 * answer still carries that is no part of the document; '' when there is nothing to warn about.
 */
export function checkWarning(check: ProposalCheck | undefined): string {
  if (!check) return '';
  const parts: string[] = [];
  if (check.impact.destructive && check.impact.summary) parts.push(check.impact.summary);
  if (check.dirty.length > 0) parts.push(`its text ${check.dirty.map(dirtyPhrase).join(', ')}`);
  return parts.join('; ');
}

/**
 * Everything a person is warned of before deciding on a proposal, each a phrase that follows "it": the harm
 * `checkWarning` names first, then "adds 2 validation errors". The diff title, the tree and the CodeLens show
 * the same list.
 */
export function proposalWarnings(proposal: {
  readonly check?: ProposalCheck;
  readonly validation: { readonly newErrors: readonly unknown[] };
}): string[] {
  const harm = checkWarning(proposal.check);
  const newErrors = proposal.validation.newErrors.length;
  return [...(harm ? [harm] : []), ...(newErrors > 0 ? [`adds ${counted(newErrors, 'validation error')}`] : [])];
}

/** "the text contains <think> tags: write only the document" as a person reads it: "contains <think> tags". */
function dirtyPhrase(problem: string): string {
  return problem.replace(/^the text /, '').split(': ')[0] ?? problem;
}

/** Whether accepting needs a second yes from the person: the proposal destroys or carries something nobody asked for. */
export function needsConfirmation(check: ProposalCheck | undefined): boolean {
  return check !== undefined && (check.impact.destructive || check.dirty.length > 0);
}

/** What to tell the model in a repair round, or undefined when the answer needs none. */
export function repairRequest(check: ProposalCheck): string | undefined {
  const parts: string[] = [];
  if (check.dirty.length > 0) parts.push(`Your answer could not be used as it is: ${check.dirty.join('; ')}.`);
  if (check.unjustified.length > 0) parts.push(describeImpactForModel(check.impact, check.unjustified));
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** How much is wrong with a check, to keep the better of an answer and its repair. */
export function checkSeverity(check: ProposalCheck): number {
  return check.unjustified.length + check.dirty.length;
}

/**
 * The check as agents and scripts read it (`--json`, MCP): the figures, every entry, and what blocks
 * writing it unasked. One shape everywhere.
 */
export function impactJson(check: ProposalCheck) {
  const { impact } = check;
  return {
    summary: checkWarning(check) || impact.summary,
    destructive: impact.destructive,
    baseLines: impact.baseLines,
    proposedLines: impact.proposedLines,
    keptShare: Math.round(impact.keptShare * 1000) / 1000,
    entries: impact.entries.map((entry) => ({
      code: entry.code,
      subject: entry.subject,
      destructive: entry.destructive,
      ...(entry.detail !== undefined ? { detail: entry.detail } : {}),
    })),
    unjustified: check.unjustified.map((entry) => entry.subject),
    dirty: check.dirty,
    cleaned: check.cleaned,
  };
}
