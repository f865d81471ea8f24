import { z } from 'zod';
import { detectLineEnding, withLineEnding } from './documentText';

/**
 * From this many lines on, a document is improved through find/replace edits instead of a whole new text:
 * small models asked to retype a long document drop or truncate parts of it.
 */
export const EDITS_THRESHOLD_LINES = 120;

/** What the model answers for a long document. Summary first: writing it is the model's plan. */
export const documentEditsAnswerSchema = z.object({
  summary: z.string().min(1).describe('One or two sentences: what you changed and why'),
  edits: z
    .array(
      z.object({
        find: z
          .string()
          .min(1)
          .describe(
            'An exact, contiguous excerpt of the current document, copied character for character without line numbers: a few whole lines that occur exactly once in the document',
          ),
        replace: z
          .string()
          .describe(
            'The text that takes the place of the excerpt: the same lines with your change made, every line that stays written out',
          ),
      }),
    )
    .describe(
      'The changes, in document order, none overlapping another; an empty list when the document needs no change',
    ),
});

export type DocumentEditsAnswer = z.infer<typeof documentEditsAnswerSchema>;

export interface DocumentEdit {
  readonly find: string;
  readonly replace: string;
}

export type EditsResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problems: string[] };

/**
 * Applies the edits to `base`. Each `find` must occur exactly once (line endings compared as LF) and no two
 * may overlap; otherwise nothing is applied and every problem is described so it can be quoted back to the
 * model. The replacements take the base's line ending, and every character outside them stays as it was.
 */
export function applyDocumentEdits(base: string, edits: readonly DocumentEdit[]): EditsResult {
  const { text, offsets } = normalized(base);
  const problems: string[] = [];
  const spans: Array<{
    readonly edit: number;
    readonly start: number;
    readonly end: number;
    readonly replace: string;
  }> = [];
  edits.forEach((edit, index) => {
    const label = `edit ${index + 1}`;
    const find = toLf(edit.find);
    if (find === '') {
      problems.push(`${label}: the text to find is empty; copy the lines to change from the document`);
      return;
    }
    const first = text.indexOf(find);
    if (first < 0) {
      problems.push(
        `${label}: the text to find does not occur in the document: ${quote(find)}; copy it exactly, without line numbers`,
      );
      return;
    }
    const count = occurrences(text, find, first);
    if (count > 1) {
      problems.push(
        `${label}: the text to find occurs ${count} times; include more lines to make it unique: ${quote(find)}`,
      );
      return;
    }
    spans.push({ edit: index + 1, start: first, end: first + find.length, replace: edit.replace });
  });
  const ordered = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let at = 1; at < ordered.length; at++) {
    const previous = ordered[at - 1];
    const current = ordered[at];
    if (previous && current && current.start < previous.end) {
      problems.push(
        `edits ${Math.min(previous.edit, current.edit)} and ${Math.max(previous.edit, current.edit)} overlap; make them one edit or pick separate lines`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const eol = detectLineEnding(base);
  let result = base;
  // From the end, so the offsets of the edits still to apply stay valid.
  for (const span of ordered.reverse()) {
    const start = offsets[span.start] ?? base.length;
    const end = offsets[span.end] ?? base.length;
    result = result.slice(0, start) + withLineEnding(span.replace, eol) + result.slice(end);
  }
  return { ok: true, text: result };
}

/** The base with every line ending as LF, and for each of its characters (and its end) the offset in the base. */
function normalized(base: string): { text: string; offsets: number[] } {
  let text = '';
  const offsets: number[] = [];
  for (let at = 0; at < base.length; at++) {
    offsets.push(at);
    if (base[at] === '\r') {
      text += '\n';
      if (base[at + 1] === '\n') at++;
    } else {
      text += base[at] ?? '';
    }
  }
  offsets.push(base.length);
  return { text, offsets };
}

function toLf(text: string): string {
  return text.replace(/\r\n|\r/g, '\n');
}

/** Occurrences of `find` in `text`, overlapping ones included (each is a different place it could mean). */
function occurrences(text: string, find: string, first: number): number {
  let count = 0;
  for (let at = first; at >= 0; at = text.indexOf(find, at + 1)) count++;
  return count;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 119)}…` : text);
}
