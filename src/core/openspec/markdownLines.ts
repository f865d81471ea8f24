import type { Range, Section } from './model';

/** Splits on LF, CRLF or lone CR, so ranges agree with what an editor shows for any line ending. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly line: number;
}

export interface LineIndex {
  readonly lines: readonly string[];
  /** Headings outside fenced code blocks, in order. */
  readonly headings: readonly Heading[];
  /** True for lines inside (or delimiting) a fenced code block. */
  readonly inFence: readonly boolean[];
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const HEADING_START = /^ {0,3}(#{1,6})(?=[ \t]|$)/;

/** One pass over the lines: fences and headings. Never throws, whatever the input. */
export function indexLines(text: string): LineIndex {
  const lines = splitLines(text);
  const headings: Heading[] = [];
  const inFence: boolean[] = new Array<boolean>(lines.length).fill(false);
  let fence: { char: string; length: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (fence) {
      inFence[index] = true;
      const close = FENCE_OPEN.exec(line);
      if (close?.[1] && close[1][0] === fence.char && close[1].length >= fence.length && line.trim() === close[1])
        fence = undefined;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open?.[1]) {
      // A backtick fence whose info string has a backtick is not a fence (CommonMark).
      const info = line.slice(line.indexOf(open[1]) + open[1].length);
      if (open[1][0] !== '`' || !info.includes('`')) {
        fence = { char: open[1][0] ?? '`', length: open[1].length };
        inFence[index] = true;
        continue;
      }
    }
    if (line.charCodeAt(line.search(/\S|$/)) !== 35 /* # */) continue;
    const heading = HEADING_START.exec(line);
    if (heading?.[1])
      headings.push({ level: heading[1].length, text: headingText(line.slice(heading[0].length)), line: index });
  }
  return { lines, headings, inFence };
}

/** The heading's text without the optional closing `#` sequence; written by hand to stay linear on long lines. */
function headingText(rest: string): string {
  const text = rest.trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end === text.length) return text;
  if (end === 0) return '';
  const before = text[end - 1];
  return before === ' ' || before === '\t' ? text.slice(0, end).trimEnd() : text;
}

export function lineRange(lines: readonly string[], startLine: number, endLine: number): Range {
  const last = Math.max(startLine, Math.min(endLine, lines.length - 1));
  return { start: { line: startLine, character: 0 }, end: { line: last, character: (lines[last] ?? '').length } };
}

/** The last line a heading owns: the line before the next heading of the same or a higher level, trailing blanks dropped. */
export function sectionEnd(index: LineIndex, headingPosition: number, limit = index.lines.length - 1): number {
  return sectionSpan(index, headingPosition, limit).end;
}

/**
 * A heading's last line and the position of the heading that closes it (`index.headings.length` when none).
 * Scans forward only as far as the section reaches, so walking all sections of a document stays linear.
 */
export function sectionSpan(
  index: LineIndex,
  headingPosition: number,
  limit = index.lines.length - 1,
): { end: number; next: number } {
  const heading = index.headings[headingPosition];
  if (!heading) return { end: limit, next: index.headings.length };
  let end = limit;
  let next = headingPosition + 1;
  for (; next < index.headings.length; next++) {
    const candidate = index.headings[next];
    if (candidate && (candidate.level <= heading.level || candidate.line > limit)) {
      end = Math.min(limit, candidate.line - 1);
      break;
    }
  }
  while (end > heading.line && (index.lines[end] ?? '').trim() === '') end--;
  return { end, next };
}

/** The trimmed text from the line after a heading up to (not including) its first sub-heading. */
export function bodyBeforeSubheading(index: LineIndex, headingPosition: number, end: number): string {
  const heading = index.headings[headingPosition];
  if (!heading) return '';
  const next = index.headings[headingPosition + 1];
  const stop = next && next.line <= end ? next.line - 1 : end;
  return index.lines
    .slice(heading.line + 1, stop + 1)
    .join('\n')
    .trim();
}

/** All sections of one heading level, with their ranges and bodies. */
export function sectionsAt(index: LineIndex, level: number): Section[] {
  const sections: Section[] = [];
  index.headings.forEach((heading, position) => {
    if (heading.level !== level) return;
    const end = sectionEnd(index, position);
    sections.push({
      title: heading.text,
      level,
      headerLine: heading.line,
      range: lineRange(index.lines, heading.line, end),
      body: bodyBeforeSubheading(index, position, end),
    });
  });
  return sections;
}

/** Finds the first section whose title matches, case-insensitively and ignoring surrounding space. */
export function findSection(sections: readonly Section[], title: string): Section | undefined {
  const wanted = title.toLowerCase();
  return sections.find((section) => section.title.toLowerCase() === wanted);
}

/** The offset in `text` where each line starts, split as `splitLines` splits (so line numbers agree). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (const ending of text.matchAll(/\r\n|\r|\n/g)) starts.push(ending.index + ending[0].length);
  return starts;
}
