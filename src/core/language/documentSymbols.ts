import { lineRange, splitLines } from '../openspec/markdownLines';
import type {
  CapabilityReference,
  MarkdownDocument,
  OpenSpecWorkspace,
  Range,
  Rename,
  Requirement,
  TasksDocument,
} from '../openspec/model';
import { specDocumentAt } from './specDocumentAt';

/**
 * What a symbol is in OpenSpec terms; the shell maps each to one SymbolKind, the same everywhere (Outline,
 * breadcrumbs, Ctrl+T), so a reader learns the icons once.
 */
export type SpecSymbolKind = 'section' | 'requirement' | 'rename' | 'scenario' | 'capability' | 'taskGroup' | 'task';

export interface SpecSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: SpecSymbolKind;
  /** Everything the symbol owns, header to last line. */
  readonly range: Range;
  /** The header line: what Outline reveals and breadcrumbs highlight. */
  readonly selectionRange: Range;
  readonly children: readonly SpecSymbol[];
}

/**
 * The outline of an OpenSpec file from the model (already parsed, unsaved text included): `##` sections →
 * requirements → scenarios for main and delta specs, sections → capabilities for proposal.md, groups → tasks for
 * tasks.md. Undefined for a file the model does not hold.
 */
export function documentSymbols(workspace: OpenSpecWorkspace, file: string): SpecSymbol[] | undefined {
  const found = specDocumentAt(workspace, file);
  if (!found) return undefined;
  const lines = splitLines(found.document.text);
  const document = found.document;
  switch (document.kind) {
    case 'spec':
      return sectionSymbols(document, lines, document.requirements, [], []);
    case 'delta': {
      const sections = document.deltaSections;
      const requirements = sections.flatMap((section) => section.requirements);
      return sectionSymbols(
        document,
        lines,
        requirements,
        sections.flatMap((section) => section.renames),
        [],
      );
    }
    case 'proposal':
      return sectionSymbols(document, lines, [], [], [...document.newCapabilities, ...document.modifiedCapabilities]);
    case 'design':
      return sectionSymbols(document, lines, [], [], []);
    case 'tasks':
      return taskSymbols(document, lines);
  }
}

/** Each `##` section with what the model found inside its range, in line order. */
function sectionSymbols(
  document: MarkdownDocument,
  lines: readonly string[],
  requirements: readonly Requirement[],
  renames: readonly Rename[],
  capabilities: readonly CapabilityReference[],
): SpecSymbol[] {
  return document.sections.map((section) => {
    const inside = (line: number) => line > section.range.start.line && line <= section.range.end.line;
    const children = [
      ...requirements.filter((r) => inside(r.headerLine)).map((r) => requirementSymbol(r, lines)),
      ...renames.filter((r) => inside(r.fromLine)).map((r) => renameSymbol(r, lines)),
      ...capabilities.filter((c) => inside(c.line)).map((c) => capabilitySymbol(c, lines)),
    ].sort((a, b) => a.range.start.line - b.range.start.line);
    return symbol(section.title, '', 'section', section.range, lines, children);
  });
}

function requirementSymbol(requirement: Requirement, lines: readonly string[]): SpecSymbol {
  const scenarios = requirement.scenarios.map((scenario) =>
    symbol(scenario.name, '', 'scenario', scenario.range, lines, []),
  );
  const count = requirement.scenarios.length;
  const detail = count === 1 ? '1 scenario' : `${count} scenarios`;
  return symbol(requirement.name, detail, 'requirement', requirement.range, lines, scenarios);
}

function renameSymbol(rename: Rename, lines: readonly string[]): SpecSymbol {
  const last = rename.toLine ?? rename.fromLine;
  const name = rename.to ? `${rename.from} → ${rename.to}` : rename.from;
  return symbol(name, 'renamed', 'rename', lineRange(lines, rename.fromLine, last), lines, []);
}

function capabilitySymbol(capability: CapabilityReference, lines: readonly string[]): SpecSymbol {
  return symbol(
    capability.name,
    capability.description,
    'capability',
    lineRange(lines, capability.line, capability.line),
    lines,
    [],
  );
}

/** Groups own the lines up to the next group; tasks above the first group stand at the top. */
function taskSymbols(document: TasksDocument, lines: readonly string[]): SpecSymbol[] {
  const last = Math.max(0, lines.length - 1);
  const taskSymbol = (index: number) => {
    const task = document.tasks[index];
    if (!task) return [];
    const name = task.id ? `${task.id} ${task.text}` : task.text;
    return [symbol(name, task.done ? 'done' : 'open', 'task', lineRange(lines, task.line, task.line), lines, [])];
  };
  const tasksOf = (group: number) =>
    document.tasks.flatMap((task, index) => (task.group === group ? taskSymbol(index) : []));
  const groups = document.groups.map((group, index) => {
    const next = document.groups[index + 1];
    const end = trimBlankEnd(lines, group.headerLine, next ? next.headerLine - 1 : last);
    const title = group.number ? `${group.number}. ${group.title}` : group.title;
    const children = tasksOf(index);
    const done = document.tasks.filter((task) => task.group === index && task.done).length;
    const detail = `${done}/${children.length}`;
    return symbol(title, detail, 'taskGroup', lineRange(lines, group.headerLine, end), lines, children);
  });
  return [...tasksOf(-1), ...groups];
}

function trimBlankEnd(lines: readonly string[], start: number, end: number): number {
  let line = end;
  while (line > start && (lines[line] ?? '').trim() === '') line--;
  return line;
}

function symbol(
  name: string,
  detail: string,
  kind: SpecSymbolKind,
  range: Range,
  lines: readonly string[],
  children: readonly SpecSymbol[],
): SpecSymbol {
  const headerLine = range.start.line;
  // VS Code drops a symbol with an empty name: an unnamed header still shows, as its header text would.
  return {
    name: name || '(unnamed)',
    detail,
    kind,
    range,
    selectionRange: lineRange(lines, headerLine, headerLine),
    children,
  };
}
