import type { DeltaOperation, DeltaSpecDocument, MainSpecDocument, Requirement } from '../openspec/model';
import { foldRequirementName, normalizeRequirementName } from '../validation/requirementNames';
import type { ValidationIssue } from '../validation/types';

const OPERATION = /\b(ADDED|MODIFIED|REMOVED|RENAMED)\b/;
const QUOTED = /"([^"\n]*)"/g;
const HEADER_PREFIX = /^#+\s*Requirement:\s*/i;

/**
 * The 0-based line of a delta spec issue the CLI gave no line for: the requirement (or rename) its message
 * quotes, looked up first in the delta section the message names before the quote. A duplicate points at
 * its second occurrence. Undefined when nothing quoted is found.
 */
export function deltaIssueLine(delta: DeltaSpecDocument, issue: ValidationIssue): number | undefined {
  const duplicate = issue.message.startsWith('Duplicate');
  for (const { name, operation } of quotedNames(issue.message)) {
    if (operation === 'RENAMED') {
      const line = renameLine(delta, name, duplicate);
      if (line !== undefined) return line;
    }
    const inSection = operation ? requirementsOf(delta, operation) : [];
    const found = pick(matching(inSection, name), duplicate) ?? pick(matching(requirementsOf(delta), name), duplicate);
    if (found) return found.headerLine;
    // "MODIFIED references old name from RENAMED" quotes the new name; the MODIFIED block uses the old one.
    const rename = delta.deltaSections
      .flatMap((section) => section.renames)
      .find((candidate) => sameName(candidate.to, name));
    const renamedBlock = rename ? pick(matching(inSection, rename.from), false) : undefined;
    if (renamedBlock) return renamedBlock.headerLine;
    const line = renameLine(delta, name, duplicate);
    if (line !== undefined) return line;
  }
  return undefined;
}

/**
 * The 0-based line of a main spec issue: its logical path names a requirement (`requirements[2]`, or zod's
 * `requirements.2.scenarios`), the Purpose (`overview`) or the Requirements section; a quoted requirement
 * name in the message wins over the index, which counts requirements as the validator's parser saw them.
 */
export function mainSpecIssueLine(spec: MainSpecDocument, issue: ValidationIssue): number | undefined {
  const index = /^requirements(?:\[(\d+)\]|\.(\d+))/.exec(issue.path);
  if (index) {
    for (const { name } of quotedNames(issue.message)) {
      const found = pick(matching(spec.requirements, name), false);
      if (found) return found.headerLine;
    }
    return spec.requirements[Number(index[1] ?? index[2])]?.headerLine;
  }
  if (issue.path === 'overview') return spec.purpose?.headerLine;
  if (issue.path === 'requirements') return spec.requirementsSection?.headerLine;
  return undefined;
}

function quotedNames(message: string): Array<{ name: string; operation?: DeltaOperation }> {
  const names: Array<{ name: string; operation?: DeltaOperation }> = [];
  for (const match of message.matchAll(QUOTED)) {
    const before = message.slice(0, match.index);
    const operation = OPERATION.exec(before)?.[1] as DeltaOperation | undefined;
    const name = (match[1] ?? '').replace(HEADER_PREFIX, '');
    // A header still being typed has an empty name: its operation still says which block the issue is about.
    if (operation) names.push({ name, operation });
    else if (name.trim() !== '') names.push({ name });
  }
  return names;
}

function requirementsOf(delta: DeltaSpecDocument, operation?: DeltaOperation): Requirement[] {
  return delta.deltaSections
    .filter((section) => !operation || section.operation === operation)
    .flatMap((section) => section.requirements);
}

/** Exact (normalized) matches first; a case or spacing variant only when there is no exact one. */
function matching(requirements: readonly Requirement[], name: string): Requirement[] {
  const exact = requirements.filter(
    (requirement) => normalizeRequirementName(requirement.name) === normalizeRequirementName(name),
  );
  if (exact.length > 0) return exact;
  return requirements.filter((requirement) => foldRequirementName(requirement.name) === foldRequirementName(name));
}

function renameLine(delta: DeltaSpecDocument, name: string, duplicate: boolean): number | undefined {
  const renames = delta.deltaSections.flatMap((section) => section.renames);
  const byFrom = pick(
    renames.filter((rename) => sameName(rename.from, name)),
    duplicate,
  );
  if (byFrom) return byFrom.fromLine;
  const byTo = pick(
    renames.filter((rename) => sameName(rename.to, name)),
    duplicate,
  );
  return byTo ? (byTo.toLine ?? byTo.fromLine) : undefined;
}

function sameName(a: string, b: string): boolean {
  return normalizeRequirementName(a) === normalizeRequirementName(b);
}

function pick<T>(candidates: readonly T[], last: boolean): T | undefined {
  return last ? candidates[candidates.length - 1] : candidates[0];
}
