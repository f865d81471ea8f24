import { posix as path } from 'node:path';
import { splitLines } from '../../openspec/markdownLines';

/** A file's path as prompts and findings spell it: relative to the project folder, e.g. `openspec/specs/x/spec.md`. */
export function workspacePath(root: string, file: string): string {
  return path.relative(root, file);
}

/** The lines a document shows, without the empty "line" after a final newline. */
export function documentLines(text: string): string[] {
  const lines = splitLines(text);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface ListingOptions {
  /** Prefix each line with its 1-based number (`12: `), so the model can cite it. Default true. */
  readonly numbered?: boolean;
  /** Show only these 0-based inclusive line ranges (sorted, not overlapping); gaps become `...`. */
  readonly ranges?: ReadonlyArray<readonly [number, number]>;
  /** Said in the label when the listing is not the whole file. */
  readonly shortened?: string;
}

/**
 * One document as the model sees it: a `<file>` element labelled with its workspace-relative path and line
 * span, each line numbered as an editor numbers it. Trimmed listings keep the original numbers.
 */
export function listDocument(label: string, text: string, options: ListingOptions = {}): string {
  const lines = documentLines(text);
  const numbered = options.numbered ?? true;
  const shown: string[] = [];
  const ranges = options.ranges ?? [[0, lines.length - 1]];
  let next = 0;
  for (const [start, end] of ranges) {
    if (start > next) shown.push('...');
    for (let line = Math.max(start, 0); line <= Math.min(end, lines.length - 1); line++) {
      const content = lines[line] ?? '';
      shown.push(numbered ? `${line + 1}: ${content}` : content);
    }
    next = end + 1;
  }
  if (next < lines.length) shown.push('...');
  const shortened = options.shortened ? ` shortened="${options.shortened}"` : '';
  return `<file path="${label}" lines="1-${lines.length}"${shortened}>\n${shown.join('\n')}\n</file>`;
}
