import type { OpenSpecWorkspace } from '../openspec/model';
import { mainRequirementFor, mainSpecFor, targetAt } from './languageTarget';

export interface SpecLocation {
  /** Absolute POSIX path. */
  readonly path: string;
  readonly line: number;
}

/**
 * Where a name at a position is defined: a delta requirement header or RENAMED FROM line goes to the main
 * spec's requirement; a capability name in proposal.md to its main spec, or to the change's delta for a new one.
 */
export function definitionAt(
  workspace: OpenSpecWorkspace,
  file: string,
  line: number,
  character: number,
): SpecLocation | undefined {
  const target = targetAt(workspace, file, line, character);
  if (!target) return undefined;
  if (target.kind === 'deltaRequirement' || target.kind === 'renameFrom') {
    const name = 'requirement' in target ? target.requirement.name : target.name;
    const found = mainRequirementFor(workspace, target.delta.capability, name);
    return found ? { path: found.spec.path, line: found.requirement.headerLine } : undefined;
  }
  if (target.kind === 'capabilityName') {
    const spec = mainSpecFor(workspace, target.capability);
    const delta = target.change.deltas.find((candidate) => candidate.capability === target.capability);
    const path = spec?.path ?? delta?.path;
    return path ? { path, line: 0 } : undefined;
  }
  return undefined;
}
