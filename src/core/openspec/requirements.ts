import { lineRange, sectionEnd, type LineIndex } from './markdownLines';
import type { Rename, Requirement, Scenario, ScenarioStep, StepKeyword } from './model';

const REQUIREMENT_HEADER = /^Requirement:\s*(.*)$/i;
const SCENARIO_HEADER = /^Scenario:\s*(.*)$/i;
const STEP = /^\s*[-*+]\s+\*\*(GIVEN|WHEN|THEN|AND|BUT)\*\*:?\s*(.*)$/i;
const REASON = /^\s*(?:[-*+]\s*)?\*\*Reason\*\*:?\s*(.*)$/i;
const MIGRATION = /^\s*(?:[-*+]\s*)?\*\*Migration\*\*:?\s*(.*)$/i;
const REMOVED_BULLET = /^\s*[-*+]\s*`?###\s*Requirement:\s*(.+?)`?\s*$/i;
const RENAME_FROM = /^\s*[-*+]?\s*FROM:\s*`?###\s*Requirement:\s*(.+?)`?\s*$/i;
const RENAME_TO = /^\s*[-*+]?\s*TO:\s*`?###\s*Requirement:\s*(.+?)`?\s*$/i;

/**
 * Requirements (`### Requirement:`) with their scenarios (`#### Scenario:`) among the headings of one
 * section. `first`/`limit` are heading positions and the last line of the section.
 */
export function parseRequirements(index: LineIndex, first: number, stopBefore: number, limit: number): Requirement[] {
  const requirements: Requirement[] = [];
  for (let position = first; position < stopBefore; position++) {
    const heading = index.headings[position];
    if (!heading || heading.level !== 3) continue;
    const match = REQUIREMENT_HEADER.exec(heading.text);
    if (!match) continue;
    const end = sectionEnd(index, position, limit);
    const scenarios: Scenario[] = [];
    let firstSubheading: number | undefined;
    for (let inner = position + 1; inner < index.headings.length; inner++) {
      const sub = index.headings[inner];
      if (!sub || sub.line > end) break;
      firstSubheading ??= sub.line;
      const scenario = sub.level === 4 ? SCENARIO_HEADER.exec(sub.text) : null;
      if (scenario) scenarios.push(parseScenario(index, inner, (scenario[1] ?? '').trim(), end));
    }
    const bodyEnd = firstSubheading !== undefined ? firstSubheading - 1 : end;
    const bodyLines = index.lines.slice(heading.line + 1, bodyEnd + 1);
    requirements.push({
      name: (match[1] ?? '').trim(),
      headerLine: heading.line,
      range: lineRange(index.lines, heading.line, end),
      body: bodyLines
        .filter((line) => !REASON.test(line) && !MIGRATION.test(line))
        .join('\n')
        .trim(),
      scenarios,
      ...removalNotes(bodyLines),
    });
  }
  return requirements;
}

function parseScenario(index: LineIndex, position: number, name: string, requirementEnd: number): Scenario {
  const heading = index.headings[position];
  const headerLine = heading?.line ?? 0;
  const end = sectionEnd(index, position, requirementEnd);
  const steps: ScenarioStep[] = [];
  for (let line = headerLine + 1; line <= end; line++) {
    const step = STEP.exec(index.lines[line] ?? '');
    if (step?.[1]) steps.push({ keyword: step[1].toUpperCase() as StepKeyword, text: (step[2] ?? '').trim(), line });
  }
  return {
    name,
    headerLine,
    range: lineRange(index.lines, headerLine, end),
    steps,
    text: index.lines
      .slice(headerLine + 1, end + 1)
      .join('\n')
      .trim(),
  };
}

function removalNotes(lines: readonly string[]): { reason?: string; migration?: string } {
  const notes: { reason?: string; migration?: string } = {};
  for (const line of lines) {
    const reason = REASON.exec(line);
    if (reason) notes.reason = (reason[1] ?? '').trim();
    const migration = MIGRATION.exec(line);
    if (migration) notes.migration = (migration[1] ?? '').trim();
  }
  return notes;
}

/** REMOVED also accepts a bullet list of headers (`` - `### Requirement: Name` ``). */
export function parseRemovedBullets(index: LineIndex, fromLine: number, toLine: number): Requirement[] {
  const removed: Requirement[] = [];
  for (let line = fromLine; line <= toLine; line++) {
    if (index.inFence[line]) continue;
    const match = REMOVED_BULLET.exec(index.lines[line] ?? '');
    if (!match) continue;
    removed.push({
      name: (match[1] ?? '').trim(),
      headerLine: line,
      range: lineRange(index.lines, line, line),
      body: '',
      scenarios: [],
    });
  }
  return removed;
}

/** FROM/TO pairs of a RENAMED section; a FROM without its TO is kept with no `toLine`. */
export function parseRenames(index: LineIndex, fromLine: number, toLine: number): Rename[] {
  const renames: Rename[] = [];
  let pending: { name: string; line: number } | undefined;
  for (let line = fromLine; line <= toLine; line++) {
    if (index.inFence[line]) continue;
    const text = index.lines[line] ?? '';
    const from = RENAME_FROM.exec(text);
    if (from) {
      if (pending) renames.push({ from: pending.name, to: '', fromLine: pending.line });
      pending = { name: (from[1] ?? '').trim(), line };
      continue;
    }
    const to = RENAME_TO.exec(text);
    if (to && pending) {
      renames.push({ from: pending.name, to: (to[1] ?? '').trim(), fromLine: pending.line, toLine: line });
      pending = undefined;
    }
  }
  if (pending) renames.push({ from: pending.name, to: '', fromLine: pending.line });
  return renames;
}
