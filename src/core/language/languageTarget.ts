import { classifyDocument } from '../openspec/documentPaths';
import { splitLines } from '../openspec/markdownLines';
import type {
  Change,
  DeltaSection,
  DeltaSpecDocument,
  MainSpecDocument,
  OpenSpecWorkspace,
  ProposalDocument,
  Rename,
  Requirement,
} from '../openspec/model';
import { currentRequirement } from '../openspec/specPreview';

/**
 * What a position in an OpenSpec file names: the one answer completion, hover, definition, references and
 * rename all start from, so they agree on what counts as a requirement header or a capability name.
 */
export type LanguageTarget =
  | {
      readonly kind: 'deltaRequirement';
      readonly change: Change;
      readonly delta: DeltaSpecDocument;
      readonly section: DeltaSection;
      readonly requirement: Requirement;
    }
  | {
      readonly kind: 'renameFrom' | 'renameTo';
      readonly change: Change;
      readonly delta: DeltaSpecDocument;
      readonly rename: Rename;
      readonly name: string;
      readonly line: number;
    }
  | { readonly kind: 'mainRequirement'; readonly spec: MainSpecDocument; readonly requirement: Requirement }
  | {
      readonly kind: 'capabilityName';
      readonly change: Change;
      readonly capability: string;
      readonly line: number;
      /** Characters of the name itself on that line (end exclusive), without the backticks. */
      readonly start: number;
      readonly end: number;
    };

/**
 * The target at a 0-based position of `file` (an absolute POSIX path of the model), or undefined when the
 * position names nothing OpenSpec knows. Requirement headers and RENAMED lines count on their whole line;
 * a capability name only between its backticks.
 */
export function targetAt(
  workspace: OpenSpecWorkspace,
  file: string,
  line: number,
  character: number,
): LanguageTarget | undefined {
  const role = classifyDocument(workspace.openspecDir, file);
  if (role.kind === 'mainSpec') {
    const spec = workspace.specs.find((candidate) => candidate.path === file);
    const requirement = spec?.requirements.find((candidate) => candidate.headerLine === line);
    return spec && requirement ? { kind: 'mainRequirement', spec, requirement } : undefined;
  }
  if (role.kind !== 'delta' && role.kind !== 'proposal') return undefined;
  const change = changeById(workspace, role.changeId, role.archived);
  if (!change) return undefined;
  if (role.kind === 'proposal') {
    return change.proposal?.path === file ? capabilityAt(change, change.proposal, line, character) : undefined;
  }
  const delta = change.deltas.find((candidate) => candidate.path === file);
  return delta ? deltaTargetAt(change, delta, line) : undefined;
}

/** The main spec requirement a delta names, matched as archive matches names. */
export function mainRequirementFor(
  workspace: OpenSpecWorkspace,
  capability: string,
  name: string,
): { readonly spec: MainSpecDocument; readonly requirement: Requirement } | undefined {
  const spec = mainSpecFor(workspace, capability);
  const requirement = currentRequirement(spec, name);
  return spec && requirement ? { spec, requirement } : undefined;
}

export function mainSpecFor(workspace: OpenSpecWorkspace, capability: string): MainSpecDocument | undefined {
  return workspace.specs.find((spec) => spec.capability === capability);
}

/** An active change, or an archived one by its folder name (`2025-01-31-add-auth`). */
export function changeById(workspace: OpenSpecWorkspace, id: string, archived: boolean): Change | undefined {
  return (archived ? workspace.archive : workspace.changes).find((change) => change.id === id);
}

/** The delta section whose lines contain `line`. */
export function deltaSectionAt(delta: DeltaSpecDocument, line: number): DeltaSection | undefined {
  return delta.deltaSections.find((section) => section.range.start.line <= line && line <= section.range.end.line);
}

function deltaTargetAt(change: Change, delta: DeltaSpecDocument, line: number): LanguageTarget | undefined {
  const section = deltaSectionAt(delta, line);
  if (!section) return undefined;
  for (const rename of section.renames) {
    if (rename.fromLine === line) return { kind: 'renameFrom', change, delta, rename, name: rename.from, line };
    if (rename.toLine === line) return { kind: 'renameTo', change, delta, rename, name: rename.to, line };
  }
  const requirement = section.requirements.find((candidate) => candidate.headerLine === line);
  return requirement ? { kind: 'deltaRequirement', change, delta, section, requirement } : undefined;
}

function capabilityAt(
  change: Change,
  proposal: ProposalDocument,
  line: number,
  character: number,
): LanguageTarget | undefined {
  const reference = [...proposal.newCapabilities, ...proposal.modifiedCapabilities].find(
    (candidate) => candidate.line === line,
  );
  if (!reference) return undefined;
  // The parse keeps the name and line only; the name is the first backticked run of the bullet.
  const text = splitLines(proposal.text)[line] ?? '';
  const open = text.indexOf('`');
  const start = text.indexOf(reference.name, open + 1);
  if (open < 0 || start < 0) return undefined;
  const end = start + reference.name.length;
  if (character < start || character > end) return undefined;
  return { kind: 'capabilityName', change, capability: reference.name, line, start, end };
}
