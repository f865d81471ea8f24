import { foldRequirementName } from '../../validation/requirementNames';
import type { ImpactEntry } from './impactEntries';
import type { FindingToFix } from './improveInstructions';
import type { ProposalImpact } from './proposalImpact';

/** Words that ask for something to go: only such a request justifies a removal. */
const REMOVAL_WORDS =
  /\b(?:duplicat\w*|redundan\w*|remov\w*|delet\w*|drop\w*|superfluous|unnecessary|unneeded|obsolete)\b|\bout[ -]of[ -]scope\b|\bnot needed\b/i;

/** What was asked, from a finding being fixed or from the author's instruction. */
interface Ask {
  readonly text: string;
  readonly requirement?: string;
}

/**
 * The destructive entries of `impact` that neither the findings being fixed nor the author's instruction
 * asked for. A removal is justified only by an ask that names what went and asks for it to go (duplicate,
 * redundant, remove, delete, drop, out of scope, ...); a requirement's scenario only by one naming the
 * requirement. An ambiguity finding asks for wording, never for a removal. Nothing justifies ticking or
 * unticking tasks, losing most of the text, losing Why / What Changes, or editing outside the target.
 */
export function unjustifiedImpact(
  impact: ProposalImpact,
  findings: readonly FindingToFix[],
  instruction?: string,
): ImpactEntry[] {
  const asks: Ask[] = findings
    .filter((finding) => finding.category !== 'ambiguity')
    .map((finding) => ({
      text: [finding.message, finding.suggestion ?? ''].join('\n'),
      ...(finding.requirement ? { requirement: finding.requirement } : {}),
    }));
  if (instruction?.trim()) asks.push({ text: instruction });
  const removals = asks.filter((ask) => REMOVAL_WORDS.test(ask.text));
  return impact.entries.filter((entry) => entry.destructive && !justified(entry, asks, removals));
}

function justified(entry: ImpactEntry, asks: readonly Ask[], removals: readonly Ask[]): boolean {
  const name = entry.name ?? entry.subject;
  switch (entry.code) {
    case 'requirementRemoved':
      return removals.some((ask) => namesRequirement(ask, entry.requirement ?? name));
    case 'scenarioRemoved':
      return entry.requirement !== undefined && removals.some((ask) => namesRequirement(ask, entry.requirement ?? ''));
    case 'sectionRemoved':
    case 'capabilityRemoved':
      return removals.some((ask) => mentions(ask.text, name));
    case 'taskRemoved':
      return removals.some(
        (ask) => (entry.taskId !== undefined && mentionsTaskId(ask.text, entry.taskId)) || mentions(ask.text, name),
      );
    case 'requirementMoved':
      // "ADDED "X" duplicates the main spec's requirement": moving it under MODIFIED is the fix.
      return asks.some(
        (ask) =>
          namesRequirement(ask, entry.requirement ?? name) &&
          (REMOVAL_WORDS.test(ask.text) || (entry.to !== undefined && mentions(ask.text, entry.to))),
      );
    default:
      return false;
  }
}

function namesRequirement(ask: Ask, requirement: string): boolean {
  if (requirement.trim() === '') return false;
  if (
    ask.requirement !== undefined &&
    foldRequirementName(ask.requirement.replace(/^#*\s*Requirement:\s*/i, '')) === foldRequirementName(requirement)
  )
    return true;
  return mentions(ask.text, requirement);
}

/** `name` in `text` as a whole phrase, ignoring case: "Tag" does not name the requirement "Tag a note". */
export function mentions(text: string, name: string): boolean {
  const wanted = name.trim();
  if (wanted === '') return false;
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(wanted)}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

/** A task number as a whole: "1.3" is named by "task 1.3" but not by "1.3.2" or "11.3". */
function mentionsTaskId(text: string, id: string): boolean {
  return new RegExp(`(?<![\\d.])${escapeRegExp(id)}(?!\\.?\\d)`).test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
