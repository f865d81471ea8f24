import { findSection, indexLines, type LineIndex } from './markdownLines';
import { parseMarkdown } from './specDocuments';
import { matchCheckbox } from './taskCheckbox';
import type { CapabilityReference, DesignDocument, ProposalDocument, Task, TaskGroup, TasksDocument } from './model';

const TASK_ID = /^(\d+(?:\.\d+)*)\.?\s+(.*)$/;
const GROUP = /^(\d+(?:\.\d+)*)\.?\s+(.*)$/;
const CAPABILITY = /^\s*[-*+]\s+`([^`]+)`\s*:?\s*(.*)$/;

export function parseProposal(path: string, text: string): ProposalDocument {
  const index = indexLines(text);
  const base = parseMarkdown(path, text, index);
  const why = findSection(base.sections, 'Why');
  const whatChanges = findSection(base.sections, 'What Changes');
  const impact = findSection(base.sections, 'Impact');
  return {
    ...base,
    kind: 'proposal',
    ...(why ? { why } : {}),
    ...(whatChanges ? { whatChanges } : {}),
    ...(impact ? { impact } : {}),
    newCapabilities: capabilitiesUnder(index, 'New Capabilities'),
    modifiedCapabilities: capabilitiesUnder(index, 'Modified Capabilities'),
  };
}

/** Capability bullets (`` - `audit/log`: why ``) under a `### New|Modified Capabilities` heading, placeholders skipped. */
function capabilitiesUnder(index: LineIndex, heading: string): CapabilityReference[] {
  const position = index.headings.findIndex(
    (candidate) => candidate.level === 3 && candidate.text.toLowerCase() === heading.toLowerCase(),
  );
  const start = index.headings[position];
  if (!start) return [];
  const next = index.headings.slice(position + 1).find((candidate) => candidate.level <= 3);
  const end = next ? next.line - 1 : index.lines.length - 1;
  const found: CapabilityReference[] = [];
  for (let line = start.line + 1; line <= end; line++) {
    if (index.inFence[line]) continue;
    const match = CAPABILITY.exec(index.lines[line] ?? '');
    const name = match?.[1]?.trim();
    if (!name || name.startsWith('<')) continue;
    found.push({ name, line, description: (match?.[2] ?? '').trim() });
  }
  return found;
}

export function parseTasks(path: string, text: string): TasksDocument {
  const index = indexLines(text);
  const base = parseMarkdown(path, text, index);
  const groups: TaskGroup[] = [];
  const tasks: Task[] = [];
  const groupHeaders = new Map(
    index.headings.filter((heading) => heading.level === 2).map((heading) => [heading.line, heading.text]),
  );
  for (let line = 0; line < index.lines.length; line++) {
    const groupTitle = groupHeaders.get(line);
    if (groupTitle !== undefined) {
      const numbered = GROUP.exec(groupTitle);
      groups.push({
        title: numbered?.[2]?.trim() ?? groupTitle,
        ...(numbered?.[1] ? { number: numbered[1] } : {}),
        headerLine: line,
      });
      continue;
    }
    if (index.inFence[line]) continue;
    const match = matchCheckbox(index.lines[line] ?? '');
    if (!match) continue;
    const rest = match.rest.trim();
    const numbered = TASK_ID.exec(rest);
    tasks.push({
      ...(numbered?.[1] ? { id: numbered[1] } : {}),
      text: numbered?.[2]?.trim() ?? rest,
      done: match.mark === 'x' || match.mark === 'X',
      line,
      checkboxRange: { start: { line, character: match.open + 1 }, end: { line, character: match.close } },
      group: groups.length - 1,
      depth: match.indent.replace(/\t/g, '  ').length,
    });
  }
  const completed = tasks.filter((task) => task.done).length;
  return { ...base, kind: 'tasks', groups, tasks, completed, total: tasks.length };
}

export function parseDesign(path: string, text: string): DesignDocument {
  return { ...parseMarkdown(path, text), kind: 'design' };
}
