import type { Range, Requirement } from '../openspec/model';
import { parseDeltaSpec, parseMainSpec } from '../openspec/specDocuments';
import { foldRequirementName } from '../validation/requirementNames';

/** One replacement in the document the finding is on (0-based positions, like the editor model). */
export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

export type QuickFixKind = 'addScenario' | 'shallIntoBody' | 'renameDuplicate';

export interface QuickFix {
  readonly kind: QuickFixKind;
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/** What the fixes need to know of a finding: where the Problems panel shows it and what it says. */
export interface FindingAt {
  readonly line: number;
  readonly message: string;
}

const NO_SCENARIO = /at least one scenario/;
const SHALL_ONLY_IN_HEADER = /SHALL or MUST in the requirement body, not only in the header/;
const DUPLICATE = /^Duplicate requirement in (ADDED|MODIFIED): "(.*)"$/;
/** The requirement a delta finding names: `ADDED "Name" must ...` or `Requirement "Name" must ...`. */
const NAMED = /^(?:ADDED|MODIFIED|Requirement) "(.*?)" /;

/**
 * The mechanical fixes for a validation finding on a spec document, computed from its text alone: a scenario
 * skeleton for a requirement without one, the header's SHALL statement copied into an empty body, a duplicate
 * requirement renamed. Findings with no mechanical fix get none; the text is never guessed at.
 */
export function quickFixesFor(text: string, finding: FindingAt): QuickFix[] {
  const requirements = requirementsOf(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const duplicate = DUPLICATE.exec(finding.message);
  if (duplicate) return renameDuplicate(requirements, lines, duplicate[2] ?? '', finding.line);
  const requirement = targetRequirement(requirements, finding);
  if (!requirement) return [];
  if (NO_SCENARIO.test(finding.message)) return [addScenario(requirement, lines, eol)];
  if (SHALL_ONLY_IN_HEADER.test(finding.message) && requirement.body === '')
    return [shallIntoBody(requirement, lines, eol)];
  return [];
}

function requirementsOf(text: string): readonly Requirement[] {
  const delta = parseDeltaSpec('', '', text);
  if (delta.deltaSections.length > 0) return delta.deltaSections.flatMap((section) => section.requirements);
  return parseMainSpec('', '', text).requirements;
}

/** The named requirement nearest the finding, else the one whose block holds the finding's line. */
function targetRequirement(requirements: readonly Requirement[], finding: FindingAt): Requirement | undefined {
  const name = NAMED.exec(finding.message)?.[1];
  const byLine = (candidate: Requirement): number => Math.abs(candidate.headerLine - finding.line);
  if (name !== undefined) {
    const named = requirements.filter((candidate) => candidate.name === name);
    return named.sort((a, b) => byLine(a) - byLine(b))[0];
  }
  return requirements.find(
    (candidate) => candidate.range.start.line <= finding.line && finding.line <= candidate.range.end.line,
  );
}

function endOfLine(lines: readonly string[], line: number): Range['start'] {
  return { line, character: (lines[line] ?? '').length };
}

function addScenario(requirement: Requirement, lines: readonly string[], eol: string): QuickFix {
  const at = endOfLine(lines, requirement.range.end.line);
  const skeleton = [
    '',
    `#### Scenario: ${requirement.name}`,
    '- **WHEN** <the situation>',
    '- **THEN** <the observable outcome>',
  ].join(eol);
  return {
    kind: 'addScenario',
    title: `Add a scenario skeleton to "${requirement.name}"`,
    edits: [{ range: { start: at, end: at }, newText: eol + skeleton }],
  };
}

function shallIntoBody(requirement: Requirement, lines: readonly string[], eol: string): QuickFix {
  const at = endOfLine(lines, requirement.headerLine);
  const statement = /[.!?]$/.test(requirement.name) ? requirement.name : `${requirement.name}.`;
  return {
    kind: 'shallIntoBody',
    title: "Write the header's SHALL statement as the requirement text",
    edits: [{ range: { start: at, end: at }, newText: eol + statement }],
  };
}

/**
 * Renames the later of two same-named requirements (the one the finding is on when it is not the first) to
 * the first free `Name (N)`, so both stay and the author decides which one to keep.
 */
function renameDuplicate(
  requirements: readonly Requirement[],
  lines: readonly string[],
  name: string,
  line: number,
): QuickFix[] {
  const folded = foldRequirementName(name);
  const same = requirements.filter((candidate) => foldRequirementName(candidate.name) === folded);
  if (same.length < 2) return [];
  const target = same.slice(1).find((candidate) => candidate.headerLine === line) ?? same[1];
  if (!target) return [];
  const taken = new Set(requirements.map((candidate) => foldRequirementName(candidate.name)));
  let suffix = 2;
  while (taken.has(foldRequirementName(`${target.name} (${suffix})`))) suffix++;
  const renamed = `${target.name} (${suffix})`;
  const header = lines[target.headerLine] ?? '';
  const start = header.indexOf(target.name, header.indexOf(':') + 1);
  if (start < 0) return [];
  const range = {
    start: { line: target.headerLine, character: start },
    end: { line: target.headerLine, character: start + target.name.length },
  };
  return [
    { kind: 'renameDuplicate', title: `Rename the duplicate to "${renamed}"`, edits: [{ range, newText: renamed }] },
  ];
}
