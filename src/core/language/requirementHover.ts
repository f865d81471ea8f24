import { describeOverlap, findChangeOverlaps, type ChangeOverlap } from '../archive/changeOverlaps';
import type { Change, DeltaOperation, DeltaSpecDocument, OpenSpecWorkspace, Requirement } from '../openspec/model';
import { requirementText } from '../openspec/specPreview';
import { normalizeRequirementName } from '../validation/requirementNames';
import { diffScenarioNames } from '../validation/scenarioNameDiff';
import { mainRequirementFor, targetAt } from './languageTarget';
import { fenced } from './requirementCompletion';

export interface SpecHover {
  /** Markdown. */
  readonly contents: string;
  readonly line: number;
}

/**
 * What a delta requirement header (or RENAMED line) changes: the main spec's current text of it, the scenarios
 * a MODIFIED block adds and drops, the other active changes touching it, or that archive would refuse a name
 * the main spec does not have.
 */
export function hoverAt(
  workspace: OpenSpecWorkspace,
  file: string,
  line: number,
  character: number,
): SpecHover | undefined {
  const target = targetAt(workspace, file, line, character);
  if (target?.kind === 'deltaRequirement') {
    const { change, delta, section, requirement } = target;
    const parts = [heading(section.operation, requirement.name, delta.capability)];
    if (section.operation === 'ADDED') {
      if (mainRequirementFor(workspace, delta.capability, requirement.name)) parts.push(alreadyExists(delta));
    } else {
      parts.push(...currentParts(workspace, delta, requirement.name, section.operation === 'MODIFIED', requirement));
    }
    parts.push(...overlapParts(workspace, change, delta, requirement.name, line));
    return { contents: parts.join('\n\n'), line };
  }
  if (target?.kind === 'renameFrom' || target?.kind === 'renameTo') {
    const { change, delta, rename } = target;
    const parts = [`**RENAMED** \`${rename.from}\` → \`${rename.to || '?'}\` in \`${delta.capability}\``];
    if (target.kind === 'renameFrom') parts.push(...currentParts(workspace, delta, rename.from, false));
    else if (mainRequirementFor(workspace, delta.capability, rename.to)) parts.push(alreadyExists(delta));
    parts.push(...overlapParts(workspace, change, delta, target.name, line));
    return { contents: parts.join('\n\n'), line };
  }
  return undefined;
}

function heading(operation: DeltaOperation, name: string, capability: string): string {
  return `**${operation}** \`${name}\` in \`${capability}\``;
}

function alreadyExists(delta: DeltaSpecDocument): string {
  return `⚠ specs/${delta.capability}/spec.md already has this requirement: archive would refuse to add it again.`;
}

function currentParts(
  workspace: OpenSpecWorkspace,
  delta: DeltaSpecDocument,
  name: string,
  compareScenarios: boolean,
  incoming?: Requirement,
): string[] {
  const found = mainRequirementFor(workspace, delta.capability, name);
  if (!found) {
    const where = workspace.specs.some((spec) => spec.capability === delta.capability)
      ? `specs/${delta.capability}/spec.md has no requirement "${normalizeRequirementName(name)}"`
      : `there is no main spec specs/${delta.capability}/spec.md`;
    return [`⚠ ${where}: archive would refuse this delta.`];
  }
  const current = requirementText(found.spec, found.requirement).trimEnd();
  const parts = [`Current text in specs/${delta.capability}/spec.md:`, fenced(current)];
  if (compareScenarios && incoming) parts.push(scenarioChanges(current, requirementText(delta, incoming)));
  return parts;
}

function scenarioChanges(current: string, incoming: string): string {
  const diff = diffScenarioNames(
    { headerLine: '', name: '', raw: current },
    { headerLine: '', name: '', raw: incoming },
  );
  const names = (list: string[]) => list.map((name) => `"${name}"`).join(', ');
  const lines: string[] = [];
  if (diff.added.length > 0) lines.push(`Scenarios added: ${names(diff.added)}`);
  if (diff.missing.length > 0) lines.push(`⚠ Scenarios dropped (archive refuses): ${names(diff.missing)}`);
  if (lines.length === 0) lines.push(`Keeps all ${diff.currentCount} scenarios, adds none.`);
  return lines.map((text) => `- ${text}`).join('\n');
}

function overlapParts(
  workspace: OpenSpecWorkspace,
  change: Change,
  delta: DeltaSpecDocument,
  name: string,
  line: number,
): string[] {
  const wanted = normalizeRequirementName(name);
  const lines: string[] = [];
  for (const overlap of overlapsOf(workspace, delta.capability)) {
    if (overlap.capability !== delta.capability || overlap.requirement !== wanted) continue;
    const side = overlap.touches.findIndex(
      (touch) => touch.changeId === change.id && touch.file === delta.path && touch.line === line,
    );
    if (side === 0 || side === 1) lines.push(`- ${describeOverlap(overlap, side)}`);
  }
  return lines.length > 0 ? ['Other active changes touching it:', lines.join('\n')] : [];
}

/**
 * Overlaps computed only among the changes with a delta for this capability: the answer is the same, and a
 * hover after a keystroke then costs a few deltas, not every change of the project.
 */
function overlapsOf(workspace: OpenSpecWorkspace, capability: string): readonly ChangeOverlap[] {
  const changes = workspace.changes.filter((change) => change.deltas.some((delta) => delta.capability === capability));
  return findChangeOverlaps({ ...workspace, changes });
}
