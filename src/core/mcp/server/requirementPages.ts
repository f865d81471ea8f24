import { lineStarts } from '../../openspec/markdownLines';
import type { DeltaSpecDocument, MainSpecDocument, MarkdownDocument, Requirement } from '../../openspec/model';
import type { AnswerFormat } from './argumentSchemas';
import { requirementSummary } from './documentSummaries';
import { ANSWER_LIMIT_BYTES, boundText, countFitting, jsonBytes, ToolRefusal } from './toolResults';

export interface PageRequest {
  readonly format: AnswerFormat;
  /** The document in words, for a refusal: `the spec "notes"`. */
  readonly what: string;
  /** The requirement to start from (its name after `### Requirement:`); the first when absent. */
  readonly fromRequirement?: string;
  /** The call that continues from `name`, in words: `get_spec again with fromRequirement: "X"`. */
  readonly continuation: (name: string) => string;
  /** The answer around the page, when the page is part of one (a change around its delta spec). */
  readonly wrap?: (page: Record<string, unknown>) => Record<string, unknown>;
}

/** Said in an answer that leaves something out: how much, and how to ask for the rest. */
export interface Truncation {
  readonly shown: number;
  readonly total: number;
  readonly nextRequirement?: string;
  readonly message: string;
}

/** What comes before the first requirement (title, purpose) takes at most this much of a page. */
const PREAMBLE_BYTES = ANSWER_LIMIT_BYTES / 4;

/**
 * A main spec's page: its requirements in file order from `fromRequirement`, as many as fit in one answer beside
 * `head`. The first page also has the title and purpose; a page that stops early says so in `truncated`.
 */
export function specPage(spec: MainSpecDocument, head: Record<string, unknown>, request: PageRequest) {
  if (request.format === 'markdown') return markdownPage(spec, spec.requirements, head, request);
  const preamble = {
    ...(spec.title !== undefined ? { title: spec.title } : {}),
    ...(spec.purpose ? { purpose: boundText(spec.purpose.body, PREAMBLE_BYTES) } : {}),
  };
  return paged(spec.requirements, request, {
    unit: (requirement) => requirementSummary(requirement),
    view: (start, count) => ({
      ...head,
      ...(start === 0 ? preamble : {}),
      requirements: spec.requirements.slice(start, start + count).map(requirementSummary),
    }),
  });
}

/**
 * A delta spec's page, the same way: its requirements across its sections in file order. A section shows on the
 * pages holding its requirements, with its renames where its first requirement is (a section of renames only
 * shows on the first page).
 */
export function deltaPage(delta: DeltaSpecDocument, head: Record<string, unknown>, request: PageRequest) {
  const requirements = delta.deltaSections.flatMap((section) => section.requirements);
  if (request.format === 'markdown') return markdownPage(delta, requirements, head, request);
  return paged(requirements, request, {
    unit: (requirement) => requirementSummary(requirement),
    view: (start, count) => {
      const window = new Set(requirements.slice(start, start + count));
      const sections = deltaSections(delta, (requirement) => window.has(requirement), start === 0);
      return { ...head, sections };
    },
  });
}

/**
 * The sections of a delta holding requirements `shown` picks, each with its renames where its first requirement
 * shows; sections without requirements (renames only) when `first` (the first page) is set.
 */
function deltaSections(delta: DeltaSpecDocument, shown: (requirement: Requirement) => boolean, first: boolean) {
  return delta.deltaSections
    .filter((section) => (section.requirements.length === 0 ? first : section.requirements.some(shown)))
    .map((section) => {
      const [lead] = section.requirements;
      return {
        operation: section.operation,
        requirements: section.requirements.filter(shown).map(requirementSummary),
        renames:
          lead === undefined || shown(lead)
            ? section.renames.map((rename) => ({ from: rename.from, to: rename.to }))
            : [],
      };
    });
}

/** A whole delta spec, parsed or as markdown, for an answer that has room for all of it. */
export function wholeDelta(delta: DeltaSpecDocument, head: Record<string, unknown>, format: AnswerFormat) {
  if (format === 'markdown') return { ...head, text: delta.text };
  return { ...head, sections: deltaSections(delta, () => true, true) };
}

/**
 * The markdown itself, cut at requirement headers: the first page from the top of the file, each page up to the
 * header of the first requirement it leaves out, so the pages put together are the file.
 */
function markdownPage(
  document: MarkdownDocument,
  requirements: readonly Requirement[],
  head: Record<string, unknown>,
  request: PageRequest,
) {
  const starts = lineStarts(document.text);
  const offset = (line: number) => starts[line] ?? document.text.length;
  const chunk = (index: number) => {
    const next = requirements[index + 1];
    return document.text.slice(offset(requirements[index]!.headerLine), next ? offset(next.headerLine) : undefined);
  };
  const first = requirements[0];
  const preamble = boundText(document.text.slice(0, first ? offset(first.headerLine) : undefined), PREAMBLE_BYTES);
  return paged(requirements, request, {
    unit: (_, index) => chunk(index),
    view: (start, count) => {
      const shown = Array.from({ length: Math.min(count, requirements.length - start) }, (_, at) => chunk(start + at));
      return { ...head, text: (start === 0 ? preamble : '') + shown.join('') };
    },
  });
}

interface PageShape {
  /** What one requirement costs in the answer (its summary, or its markdown). */
  unit(requirement: Requirement, index: number): unknown;
  /** The answer showing `count` requirements from `start`. */
  view(start: number, count: number): Record<string, unknown>;
}

/** No requirement costs less than this in an answer: how far ahead a page needs to look. */
const SMALLEST_UNIT_BYTES = 16;

/**
 * Fits a window of requirements into one answer: the largest window from the start that fits is taken. One
 * requirement is always shown, even alone too large (the answer's bound then cuts its text, marked as cut), so
 * paging always moves on.
 */
function paged(requirements: readonly Requirement[], request: PageRequest, shape: PageShape): Record<string, unknown> {
  const start = startIndex(request, requirements);
  const total = requirements.length;
  const truncation = (count: number): Truncation => {
    const next = requirements[start + count]!;
    return {
      shown: count,
      total,
      nextRequirement: next.name,
      message:
        `truncated: ${count} of ${total} requirements shown (from number ${start + 1}); ` +
        `call ${request.continuation(next.name)} for the rest.`,
    };
  };
  const wrap = request.wrap ?? ((page) => page);
  const view = (from: number, count: number) => wrap(shape.view(from, count));
  const build = (count: number) => {
    const value = view(start, count);
    return start + count < total ? { ...value, truncated: truncation(count) } : value;
  };
  if (start === total) return build(0);
  const ahead = requirements
    .slice(start, start + Math.ceil(ANSWER_LIMIT_BYTES / SMALLEST_UNIT_BYTES))
    .map((requirement, index) => shape.unit(requirement, start + index));
  const room = ANSWER_LIMIT_BYTES - jsonBytes(view(start, 0)) - 64;
  const fitting = countFitting(ahead, room, (shown) => jsonBytes(truncation(shown)), total - start);
  let count = Math.max(1, fitting);
  let value = build(count);
  for (let size = jsonBytes(value); count > 1 && size > ANSWER_LIMIT_BYTES; size = jsonBytes(value)) {
    count = Math.max(1, Math.min(count - 1, Math.floor((count * ANSWER_LIMIT_BYTES) / size)));
    value = build(count);
  }
  return value;
}

/** The index of `fromRequirement` among the requirements, or 0; a name the document does not hold is refused. */
function startIndex(request: PageRequest, requirements: readonly Requirement[]): number {
  const name = request.fromRequirement;
  if (name === undefined) return 0;
  const index = requirements.findIndex((requirement) => requirement.name === name);
  if (index < 0) {
    throw new ToolRefusal(
      `${request.what} has no requirement "${name}". Pass a name exactly as truncated.nextRequirement gave it, or leave fromRequirement out to start from the first.`,
    );
  }
  return index;
}
