import type { Range } from '../openspec/model';
import { normalizeRequirementName } from '../validation/requirementNames';
import type { LanguageTarget } from './languageTarget';

/** A requirement as archive finds it: its capability and its name, normalized as archive matches names. */
export interface RequirementKey {
  readonly capability: string;
  readonly name: string;
}

/** The requirement a target names, if it names one (a capability name in proposal.md does not). */
export function requirementKeyOf(target: LanguageTarget): RequirementKey | undefined {
  switch (target.kind) {
    case 'deltaRequirement':
      return { capability: target.delta.capability, name: normalizeRequirementName(target.requirement.name) };
    case 'renameFrom':
    case 'renameTo':
      return { capability: target.delta.capability, name: normalizeRequirementName(target.name) };
    case 'mainRequirement':
      return { capability: target.spec.capability, name: normalizeRequirementName(target.requirement.name) };
    case 'capabilityName':
      return undefined;
  }
}

const LABEL = /Requirement:[ \t]*/i;

/**
 * Where the name stands on a header, REMOVED bullet or RENAMED FROM/TO line (`### Requirement: Name`,
 * `` - FROM: `### Requirement: Name` ``): the characters a rename replaces and a reference points at. The whole
 * line when the name is not found as written (it then still points at the right line).
 */
export function requirementNameRange(lines: readonly string[], line: number, name: string): Range {
  const text = lines[line] ?? '';
  const label = LABEL.exec(text);
  const wanted = normalizeRequirementName(name);
  if (label) {
    const start = label.index + label[0].length;
    if (text.startsWith(wanted, start))
      return { start: { line, character: start }, end: { line, character: start + wanted.length } };
  }
  return { start: { line, character: 0 }, end: { line, character: text.length } };
}
