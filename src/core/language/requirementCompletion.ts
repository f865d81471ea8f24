import type {
  DeltaSection,
  DeltaSpecDocument,
  MainSpecDocument,
  OpenSpecWorkspace,
  Requirement,
} from '../openspec/model';
import { requirementText } from '../openspec/specPreview';
import { normalizeRequirementName } from '../validation/requirementNames';
import { mainSpecFor } from './languageTarget';
import type { SpecCompletion } from './specCompletion';

const HEADER_PREFIX = /^###(?!#)\s*Requirement:\s*/i;
const FROM_PREFIX = /^\s*[-*+]?\s*FROM:\s*/i;

/**
 * Names of the capability's main spec requirements where a delta must name an existing one: a header in
 * MODIFIED or REMOVED, a FROM line in RENAMED. ADDED gets none, as it must never reuse a name.
 */
export function requirementCompletions(
  workspace: OpenSpecWorkspace,
  delta: DeltaSpecDocument,
  line: number,
  character: number,
  lineText: string,
): SpecCompletion[] {
  const section = sectionAbove(delta, line);
  const spec = mainSpecFor(workspace, delta.capability);
  if (!section || !spec || section.operation === 'ADDED') return [];
  const typed = lineText.slice(0, character);
  const prefix = (section.operation === 'RENAMED' ? FROM_PREFIX : HEADER_PREFIX).exec(typed);
  if (!prefix) return [];
  const named = namedElsewhere(section, line);
  const range = { line, start: prefix[0].length, end: lineText.length };
  return spec.requirements
    .filter((requirement) => !named.has(normalizeRequirementName(requirement.name)))
    .map((requirement, order) => ({
      ...range,
      ...insertion(section, spec, requirement),
      label: requirement.name,
      kind: 'requirement' as const,
      detail: `${scenarioCount(requirement)} · specs/${spec.capability}/spec.md`,
      documentation: fenced(requirementText(spec, requirement).trimEnd()),
      sortText: String(order).padStart(6, '0'),
    }));
}

function insertion(
  section: DeltaSection,
  spec: MainSpecDocument,
  requirement: Requirement,
): Pick<SpecCompletion, 'insertText' | 'snippet' | 'filterText'> {
  const name = requirement.name;
  if (section.operation === 'RENAMED') {
    const text = `\`### Requirement: ${name}\``;
    return { insertText: text, snippet: false, filterText: text };
  }
  if (section.operation === 'REMOVED') {
    return {
      insertText: `${escapeSnippet(name)}\n**Reason**: \${1:why it goes}\n**Migration**: \${2:what users do instead}`,
      snippet: true,
    };
  }
  // MODIFIED replaces the whole block at archive: carrying every scenario over is what keeps none from being lost.
  const rest = requirementText(spec, requirement).split('\n').slice(1).join('\n').trimEnd();
  return { insertText: rest === '' ? name : `${name}\n${rest}`, snippet: false };
}

/** The section a line belongs to, even a line the model has not parsed yet (typed past the last one). */
function sectionAbove(delta: DeltaSpecDocument, line: number): DeltaSection | undefined {
  let found: DeltaSection | undefined;
  for (const section of delta.deltaSections) if (section.headerLine < line) found = section;
  return found;
}

/** Names this section already has on other lines, so the list offers only what is left. */
function namedElsewhere(section: DeltaSection, line: number): Set<string> {
  const names =
    section.operation === 'RENAMED'
      ? section.renames.filter((rename) => rename.fromLine !== line).map((rename) => rename.from)
      : section.requirements.filter((requirement) => requirement.headerLine !== line).map((r) => r.name);
  return new Set(names.map(normalizeRequirementName));
}

function scenarioCount(requirement: Requirement): string {
  const count = requirement.scenarios.length;
  return `${count} ${count === 1 ? 'scenario' : 'scenarios'}`;
}

/** A markdown code block that shows `text` exactly, with a fence longer than any backtick run inside. */
export function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}markdown\n${text}\n${fence}`;
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (character) => `\\${character}`);
}
