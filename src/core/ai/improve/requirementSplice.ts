import { indexLines } from '../../openspec/markdownLines';
import { detectLineEnding, stripWrappingFence, withLineEnding } from './documentText';

/**
 * Replaces 0-based lines `startLine..endLine` (inclusive, without the last line's ending) with `replacement`,
 * written with the file's line ending. Every character outside that span stays byte-identical.
 */
export function spliceLines(text: string, startLine: number, endLine: number, replacement: string): string {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  const from = starts[startLine];
  if (from === undefined || endLine < startLine) throw new RangeError(`Line ${startLine} is outside the text`);
  const nextStart = starts[endLine + 1];
  const to = nextStart === undefined ? text.length : nextStart - lineEndingLengthBefore(text, nextStart);
  return text.slice(0, from) + withLineEnding(replacement, detectLineEnding(text)) + text.slice(to);
}

function lineEndingLengthBefore(text: string, offset: number): number {
  return text[offset - 1] === '\n' && text[offset - 2] === '\r' ? 2 : 1;
}

const REQUIREMENT_HEADER = /^\s{0,3}#{1,6}\s*Requirement:\s*/i;

/**
 * The requirement block in a model's answer, ready to splice: from its `### Requirement:` header through its
 * last non-blank line. Models add a section header above it (`## MODIFIED Requirements`), drop the `### `, or
 * leave out the header altogether; those are repaired (a missing header becomes `originalHeader`). Anything
 * from the next `#`/`##` header on is not part of the block and is cut.
 */
export function requirementBlockFromAnswer(answer: string, originalHeader: string): string {
  const lines = stripWrappingFence(answer).split(/\r\n|\r|\n/);
  const index = indexLines(lines.join('\n'));
  const header = lines.findIndex(
    (line, at) => !index.inFence[at] && (REQUIREMENT_HEADER.test(line) || /^Requirement:/i.test(line.trim())),
  );
  let block: string[];
  if (header < 0) {
    const firstContent = lines.findIndex((line) => line.trim() !== '' && !/^\s{0,3}#{1,2}\s/.test(line));
    block = [originalHeader, ...(firstContent < 0 ? [] : lines.slice(firstContent))];
  } else {
    block = [
      `### Requirement: ${(lines[header] ?? '')
        .replace(REQUIREMENT_HEADER, '')
        .replace(/^\s*Requirement:\s*/i, '')
        .trim()}`,
      ...lines.slice(header + 1),
    ];
  }
  const blockIndex = indexLines(block.join('\n'));
  const sectionBreak = blockIndex.headings.find((heading) => heading.line > 0 && heading.level <= 2);
  if (sectionBreak) block = block.slice(0, sectionBreak.line);
  while (block.length > 1 && (block[block.length - 1] ?? '').trim() === '') block.pop();
  return block.join('\n');
}
