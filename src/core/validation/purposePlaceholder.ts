import { buildCodeFenceMask } from './codeFence';
import { PURPOSE_PLACEHOLDER_PREFIX, PURPOSE_PLACEHOLDER_SUFFIX } from './messages';

/**
 * A main spec's Purpose that nobody wrote: the sentence `openspec archive` stamps into a capability it
 * creates, or a `TBD`/`TODO` opening the Purpose. A marker inside a sentence ("the budget is TBD") is prose.
 * Fenced code in the Purpose is quoted material and is read out first.
 */
export interface PurposePlaceholderIssue {
  /** 1-based line of the placeholder text, when it can be located. */
  line?: number;
}

/**
 * `WORD_END` keeps the marker off longer words (`TBDs`, or a marker followed by any letter, digit or mark in
 * any script). In capitals the marker counts whatever follows; in other cases only before punctuation or the
 * line end, because `Todo` opens ordinary Spanish and Portuguese sentences.
 */
const WORD_END = '(?![\\p{L}\\p{N}\\p{M}_])';
const MARKER_PUNCTUATION = '(?=[ \\t]*(?:$|\\n|[:\\-\u2013\u2014.,;()\\[\\]{}]))';
const LEADING_MARKER_SHOUTED = new RegExp(`^(?:TBD|TODO)${WORD_END}`, 'u');
const LEADING_MARKER_PUNCTUATED = new RegExp(`^(?:TBD|TODO)${WORD_END}${MARKER_PUNCTUATION}`, 'iu');
const PURPOSE_HEADER = /^ {0,3}##(?!#)[ \t]+Purpose[ \t]*$/i;
const TOP_LEVEL_HEADER = /^ {0,3}#{1,2}(?!#)[ \t]+/;

function unfencedLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const fenced = buildCodeFenceMask(lines);
  return lines.filter((_, index) => !fenced[index]);
}

/** Where the generated sentence starts: the prefix closest before a suffix (an explanation may quote the prefix above it). */
function generatedPlaceholderPrefixIndex(text: string): number | undefined {
  let suffixAt = text.indexOf(PURPOSE_PLACEHOLDER_SUFFIX);
  while (suffixAt !== -1) {
    const prefixAt = text.lastIndexOf(PURPOSE_PLACEHOLDER_PREFIX, suffixAt);
    if (prefixAt !== -1) return prefixAt;
    suffixAt = text.indexOf(PURPOSE_PLACEHOLDER_SUFFIX, suffixAt + 1);
  }
  return undefined;
}

/** The finding for a placeholder Purpose, or null when it reads as written. An empty Purpose is not one. */
export function findPurposePlaceholderIssue(overview: string, content?: string): PurposePlaceholderIssue | null {
  const prose = unfencedLines(overview).join('\n').trim();
  const leading = LEADING_MARKER_SHOUTED.test(prose) || LEADING_MARKER_PUNCTUATED.test(prose);
  if (!leading && generatedPlaceholderPrefixIndex(prose) === undefined) return null;
  return { line: content === undefined ? undefined : findPlaceholderLine(content, leading) };
}

/**
 * The line inside `## Purpose` carrying the placeholder: the first non-blank line for a leading marker, the
 * line where the generated sentence starts otherwise. Undefined when it cannot be located, since a wrong line
 * is worse than none.
 */
function findPlaceholderLine(content: string, leading: boolean): number | undefined {
  const lines = content.replace(/\r\n?/g, '\n').split('\n');
  const fenced = buildCodeFenceMask(lines);
  const headerIndex = lines.findIndex((line, index) => !fenced[index] && PURPOSE_HEADER.test(line));
  if (headerIndex === -1) return undefined;
  const purposeLines: Array<{ line: number; text: string }> = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (fenced[i]) continue;
    const text = lines[i] ?? '';
    if (TOP_LEVEL_HEADER.test(text)) break;
    if (leading && text.trim()) return i + 1;
    purposeLines.push({ line: i + 1, text });
  }
  if (leading) return undefined;
  const purpose = purposeLines.map(({ text }) => text).join('\n');
  const prefixAt = generatedPlaceholderPrefixIndex(purpose);
  if (prefixAt === undefined) return undefined;
  const lineOffset = purpose.slice(0, prefixAt).split('\n').length - 1;
  return purposeLines[lineOffset]?.line;
}
