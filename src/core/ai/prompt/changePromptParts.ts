import { indexLines } from '../../openspec/markdownLines';
import { normalizeRequirementName } from '../../validation/requirementNames';
import type { DeltaSpecDocument, MainSpecDocument, MarkdownDocument } from '../../openspec/model';
import type { ChangeContext } from './changeContext';
import { configPart } from './configPart';
import { listDocument, workspacePath } from './documentListing';
import type { PromptPart } from './packPrompt';

export interface ChangePartsOptions {
  /** The document the prompt is about: listed in full, packed before the rest, required. */
  readonly target?: MarkdownDocument;
  /** Number the target's lines (default true). Off when the model must answer with the document itself. */
  readonly numberTarget?: boolean;
  /**
   * 0-based inclusive lines the prompt is about (one requirement). When the whole target does not fit, it
   * shrinks to these lines plus the document's headings rather than failing.
   */
  readonly focus?: readonly [number, number];
}

/**
 * The change as prompt parts: config.yaml's context and rules, the target, the other change documents, the
 * delta specs, and the main specs the deltas touch. A main spec can shrink to the requirements the deltas
 * name (the others keep just their header line) before it is left out.
 */
export function changePromptParts(context: ChangeContext, options: ChangePartsOptions = {}): PromptPart[] {
  const { change, root } = context;
  const target = options.target;
  const parts: PromptPart[] = [];
  const config = configPart(context);
  if (config) parts.push(config);
  if (target) {
    const label = workspacePath(root, target.path);
    const numbered = options.numberTarget ?? true;
    const focused = options.focus ? focusedListing(label, target.text, options.focus, numbered) : undefined;
    parts.push({
      kind: 'target',
      path: label,
      text: listDocument(label, target.text, { numbered }),
      required: true,
      ...(focused ? { shorter: [focused] } : {}),
    });
  }
  const others = [change.proposal, change.design, change.tasks].filter(
    (document): document is NonNullable<typeof document> => document !== undefined,
  );
  for (const document of others) {
    if (document.path !== target?.path) parts.push(documentPart('document', root, document));
  }
  for (const delta of change.deltas) {
    if (delta.path !== target?.path) parts.push(documentPart('delta', root, delta));
  }
  for (const spec of context.mainSpecs) {
    if (spec.path !== target?.path)
      parts.push(
        mainSpecPart(
          root,
          spec,
          change.deltas.filter((delta) => delta.capability === spec.capability),
        ),
      );
  }
  return parts;
}

function documentPart(kind: 'document' | 'delta', root: string, document: MarkdownDocument): PromptPart {
  const label = workspacePath(root, document.path);
  return { kind, path: label, text: listDocument(label, document.text) };
}

function mainSpecPart(root: string, spec: MainSpecDocument, deltas: readonly DeltaSpecDocument[]): PromptPart {
  const label = workspacePath(root, spec.path);
  const named = namedRequirements(deltas);
  const requirementsStart = spec.requirementsSection?.headerLine ?? spec.requirements[0]?.headerLine ?? spec.lineCount;
  const ranges: Array<[number, number]> = [[0, Math.max(0, requirementsStart)]];
  let inFull = 0;
  for (const requirement of spec.requirements) {
    const full = named.has(normalizeRequirementName(requirement.name));
    if (full) inFull++;
    const end = full ? requirement.range.end.line : requirement.headerLine;
    const last = ranges[ranges.length - 1];
    if (last && requirement.headerLine <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([requirement.headerLine, end]);
  }
  const note =
    inFull > 0
      ? `only the ${inFull} requirement(s) this change names are shown in full; the others by their header`
      : 'the requirements are listed by their header only';
  return {
    kind: 'mainSpec',
    path: label,
    text: listDocument(label, spec.text),
    shorter: [{ text: listDocument(label, spec.text, { ranges, shortened: note }), note }],
  };
}

/** The focus lines and every heading around them, numbered or not like the full listing. */
function focusedListing(
  label: string,
  text: string,
  [start, end]: readonly [number, number],
  numbered: boolean,
): { text: string; note: string } {
  const headings = indexLines(text)
    .headings.map((heading) => heading.line)
    .filter((line) => line < start || line > end);
  const ranges = [...headings.map((line): [number, number] => [line, line]), [start, end] as [number, number]].sort(
    (a, b) => a[0] - b[0],
  );
  const note = 'only the part to improve is shown in full; the rest by its headings';
  return { text: listDocument(label, text, { ranges, numbered, shortened: note }), note };
}

/** Every requirement name the deltas mention: blocks in any section and both sides of a rename. */
function namedRequirements(deltas: readonly DeltaSpecDocument[]): Set<string> {
  const names = new Set<string>();
  for (const delta of deltas) {
    for (const section of delta.deltaSections) {
      for (const requirement of section.requirements) names.add(normalizeRequirementName(requirement.name));
      for (const rename of section.renames) {
        names.add(normalizeRequirementName(rename.from));
        if (rename.to) names.add(normalizeRequirementName(rename.to));
      }
    }
  }
  return names;
}
