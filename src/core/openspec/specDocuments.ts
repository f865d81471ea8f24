import { findSection, indexLines, lineRange, sectionSpan, sectionsAt, type LineIndex } from './markdownLines';
import { parseRemovedBullets, parseRenames, parseRequirements } from './requirements';
import type {
  DeltaOperation,
  DeltaSection,
  DeltaSpecDocument,
  MainSpecDocument,
  MarkdownDocument,
  Requirement,
} from './model';

const DELTA_HEADER = /^(ADDED|MODIFIED|REMOVED|RENAMED)\s+Requirements\s*$/i;

/** The parts every markdown document shares: text, line count, `# title` and `##` sections. */
export function parseMarkdown(path: string, text: string, index: LineIndex = indexLines(text)): MarkdownDocument {
  const title = index.headings.find((heading) => heading.level === 1)?.text;
  return {
    path,
    text,
    lineCount: index.lines.length,
    ...(title !== undefined ? { title } : {}),
    sections: sectionsAt(index, 2),
  };
}

/** A main spec: `# <id> Specification`, `## Purpose`, `## Requirements` and its requirements. */
export function parseMainSpec(path: string, capability: string, text: string): MainSpecDocument {
  const index = indexLines(text);
  const base = parseMarkdown(path, text, index);
  const purpose = findSection(base.sections, 'Purpose');
  const requirementsSection = findSection(base.sections, 'Requirements');
  let requirements: Requirement[] = [];
  if (requirementsSection) {
    const position = index.headings.findIndex((heading) => heading.line === requirementsSection.headerLine);
    const { end, next } = sectionSpan(index, position);
    requirements = parseRequirements(index, position + 1, next, end);
  }
  return {
    ...base,
    kind: 'spec',
    capability,
    ...(purpose ? { purpose } : {}),
    ...(requirementsSection ? { requirementsSection } : {}),
    requirements,
  };
}

/** A delta spec: `## ADDED|MODIFIED|REMOVED|RENAMED Requirements` sections, plus an optional `## Purpose`. */
export function parseDeltaSpec(path: string, capability: string, text: string): DeltaSpecDocument {
  const index = indexLines(text);
  const base = parseMarkdown(path, text, index);
  const deltaSections: DeltaSection[] = [];
  index.headings.forEach((heading, position) => {
    if (heading.level !== 2) return;
    const match = DELTA_HEADER.exec(heading.text);
    if (!match?.[1]) return;
    const operation = match[1].toUpperCase() as DeltaOperation;
    const { end, next } = sectionSpan(index, position);
    let requirements = parseRequirements(index, position + 1, next, end);
    if (operation === 'REMOVED') requirements = [...requirements, ...parseRemovedBullets(index, heading.line + 1, end)];
    const renames = operation === 'RENAMED' ? parseRenames(index, heading.line + 1, end) : [];
    deltaSections.push({
      operation,
      headerLine: heading.line,
      range: lineRange(index.lines, heading.line, end),
      requirements,
      renames,
    });
  });
  const purpose = findSection(base.sections, 'Purpose');
  return { ...base, kind: 'delta', capability, ...(purpose ? { purpose } : {}), deltaSections };
}
