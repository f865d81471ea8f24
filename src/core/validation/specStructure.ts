import { buildCodeFenceMask, startsWithHash } from './codeFence';
import { normalizeRequirementName } from './requirementNames';
import { rememberedByText } from './textMemo';

/**
 * Structural mistakes in a main spec that its section reader would silently drop: delta headers, requirement
 * headers outside `## Requirements`, and duplicate requirement names. Each carries the 1-based line.
 */
export interface MainSpecStructureIssue {
  kind: 'delta-header' | 'requirement-outside-requirements' | 'duplicate-requirement';
  line: number;
  header: string;
  message: string;
}

const REQUIREMENTS_SECTION_HEADER = /^##\s+Requirements\s*$/i;
const TOP_LEVEL_SECTION_HEADER = /^##\s+/;
const DELTA_HEADER = /^##\s+(ADDED|MODIFIED|REMOVED|RENAMED)\s+Requirements\s*$/i;
const REQUIREMENT_HEADER = /^###\s+Requirement:\s*(.+)\s*$/i;

// Remembered by text (textMemo): callers share each result and must not change it.
export const findMainSpecStructureIssues: (content: string) => MainSpecStructureIssue[] = rememberedByText(
  computeFindMainSpecStructureIssues,
);

function computeFindMainSpecStructureIssues(content: string): MainSpecStructureIssue[] {
  // No BOM strip here, unlike the section reader: `openspec validate` does not strip it either.
  const rawLines = content.replace(/\r\n?/g, '\n').split('\n');
  const fenced = buildCodeFenceMask(rawLines);
  // Fenced lines read as blank, so line numbers stay where they were.
  const lines = rawLines.map((line, i) => (fenced[i] ? '' : line));
  const issues: MainSpecStructureIssue[] = [];
  const requirementLines = new Map<string, number>();
  const requirementsHeaderIndex = lines.findIndex(
    (line) => startsWithHash(line) && REQUIREMENTS_SECTION_HEADER.test(line),
  );
  let requirementsEndIndex = lines.length;
  if (requirementsHeaderIndex !== -1) {
    for (let i = requirementsHeaderIndex + 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (startsWithHash(line) && TOP_LEVEL_SECTION_HEADER.test(line)) {
        requirementsEndIndex = i;
        break;
      }
    }
  }
  lines.forEach((line, i) => {
    // Both header patterns start at column one with `#`.
    if (!startsWithHash(line)) return;
    const trimmed = line.trim();
    if (DELTA_HEADER.test(line)) {
      issues.push({
        kind: 'delta-header',
        line: i + 1,
        header: trimmed,
        message:
          `Main spec contains delta header "${trimmed}". ` +
          'Delta headers are only valid inside openspec/changes/<name>/specs/<capability-path>/spec.md ' +
          'and truncate the parsed ## Requirements section.',
      });
      return;
    }
    const requirementMatch = REQUIREMENT_HEADER.exec(line);
    if (!requirementMatch) return;
    const insideRequirements =
      requirementsHeaderIndex !== -1 && i > requirementsHeaderIndex && i < requirementsEndIndex;
    if (!insideRequirements) {
      issues.push({
        kind: 'requirement-outside-requirements',
        line: i + 1,
        header: trimmed,
        message:
          `Requirement header "${trimmed}" appears outside the main ## Requirements section. ` +
          'Main specs only parse requirements inside that section, so this requirement is currently invisible to validate, list, and archive.',
      });
      return;
    }
    const requirementName = normalizeRequirementName(requirementMatch[1] ?? '');
    const previousLine = requirementLines.get(requirementName);
    if (previousLine !== undefined) {
      issues.push({
        kind: 'duplicate-requirement',
        line: i + 1,
        header: trimmed,
        message:
          `Requirement header "${trimmed}" duplicates the requirement declared on line ${previousLine}. ` +
          'Requirement names must be unique so spec updates cannot discard one block while updating another.',
      });
    } else {
      requirementLines.set(requirementName, i + 1);
    }
  });
  return issues;
}

/** Blanks every fenced line, keeping line numbers where they were. */
export function stripFencedCodeBlocksPreservingLines(content: string): string {
  const lines = content.split('\n');
  const mask = buildCodeFenceMask(lines);
  return lines.map((line, i) => (mask[i] ? '' : line)).join('\n');
}
