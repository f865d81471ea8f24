import { documentLines } from '../prompt/documentListing';
import { stripWrappingFence } from './documentText';
import { improveInstructions } from './improveInstructions';

export interface CleanedText {
  readonly text: string;
  /** What was removed mechanically, for the log: "removed listing numbers from 42 of 45 lines". */
  readonly cleaned: readonly string[];
  /** What cannot be removed mechanically and needs a repair round. */
  readonly problems: readonly string[];
}

/**
 * Takes off what models wrap around or write into a document that is not part of it: a code fence around
 * the whole answer, and the line numbers of our listings. Reports what it cannot take off safely: think
 * tags and reasoning, our own instructions echoed, JSON where the document should be. Anything the current
 * document has itself is content, so a clean text comes back unchanged and without problems.
 */
export function cleanModelText(proposed: string, base: string): CleanedText {
  const cleaned: string[] = [];
  let text = proposed;
  // A document that itself opens with a fence keeps whatever fence the model wrote.
  if (!/^\uFEFF?\s*(```|~~~)/.test(base)) {
    const unwrapped = stripWrappingFence(text);
    if (unwrapped !== text) {
      text = unwrapped;
      cleaned.push('removed a code fence around the whole answer');
    }
  }
  const numbers = stripListingNumbers(text, base);
  if (numbers) {
    text = numbers.text;
    cleaned.push(`removed listing numbers from ${numbers.stripped} of ${numbers.lines} lines`);
  }
  return { text, cleaned, problems: problemsIn(text, base) };
}

/** Line-number prefixes as listings write them (`12: `), or as models retype them (`12 | `, `  12  `). */
const NUMBER_STYLES: readonly RegExp[] = [
  /^\s*(\d{1,6}):(?: |(?=\S)|$)/,
  /^\s*(\d{1,6})[ \t]*\|(?: |$)/,
  /^\s*(\d{1,6})(?:\t| {1,2}(?=\s*\S)|[ \t]*$)/,
];
const MIN_NUMBERED_SHARE = 0.6;
/** The base may have a line that looks numbered ("2024: review"), not a numbered listing. */
const MAX_BASE_NUMBERED_SHARE = 0.1;
const MIN_SEQUENTIAL_SHARE = 0.8;

/**
 * The text without line-number prefixes, when most non-blank lines carry one in the same style, their
 * numbers go up roughly line by line (a number or two skipped for a blank line left unnumbered), and the
 * base itself is not written that way. Only the prefix goes: the line's own indentation stays.
 */
function stripListingNumbers(
  text: string,
  base: string,
): { text: string; stripped: number; lines: number } | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const eols = text.match(/\r\n|\r|\n/g) ?? [];
  const nonBlank = lines.filter((line) => line.trim() !== '').length;
  const baseLines = documentLines(base).filter((line) => line.trim() !== '');
  for (const style of NUMBER_STYLES) {
    const numbered = lines.flatMap((line, index) => {
      const match = style.exec(line);
      return match?.[1] ? [{ index, number: Number(match[1]), prefix: match[0].length }] : [];
    });
    if (numbered.length < 2 || numbered.length < nonBlank * MIN_NUMBERED_SHARE) continue;
    if (baseLines.filter((line) => style.test(line)).length > baseLines.length * MAX_BASE_NUMBERED_SHARE) continue;
    let sequential = 0;
    for (let at = 1; at < numbered.length; at++) {
      const previous = numbered[at - 1];
      const current = numbered[at];
      if (!previous || !current) continue;
      const step = current.number - previous.number;
      if (step >= 1 && step <= current.index - previous.index + 2) sequential++;
    }
    if (sequential < (numbered.length - 1) * MIN_SEQUENTIAL_SHARE) continue;
    const prefixes = new Map(numbered.map((entry) => [entry.index, entry.prefix]));
    const out = lines.map((line, index) => line.slice(prefixes.get(index) ?? 0) + (eols[index] ?? ''));
    return { text: out.join(''), stripped: numbered.length, lines: nonBlank };
  }
  return undefined;
}

/** Fixed phrases of our prompts that never belong in a document. */
const PROMPT_PHRASES = [
  'Answer with exactly one JSON object',
  'It must match this JSON Schema',
  'Fix these review findings:',
  'Instruction from the author:',
  'Improve only the requirement',
  'Answer with "document"',
  'Answer with "requirement"',
  'Answer with "edits"',
  'Lessons from earlier proposals in this project',
  '<file path="',
  '</file>',
];

/** The instruction lines long enough to be recognised when echoed. */
const INSTRUCTION_LINES = improveInstructions()
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.length >= 30);

const REASONING_START = [
  /^(?:okay|ok|alright|all right|hmm+|so|well)\b[,.!]?\s+(?:let me|let's|let us|i\b|i'm|we\b|the user|now|first)/i,
  /^(?:thinking process|thought process|reasoning|analysis)\s*:/i,
  /^(?:let me|let's) (?:think|analy[sz]e|look|check|start|review|see|break|figure|rewrite|fix)/i,
  /^(?:i need to|i will|i'll|i should|first,? i|the user (?:wants|asks|has asked|is asking))\b/i,
];

const JSON_FIELD = /^\s*(?:\{\s*)?"(?:summary|document|requirement|edits|find|replace)"\s*:/;

function problemsIn(text: string, base: string): string[] {
  const problems: string[] = [];
  if (/<\/?think>/i.test(text) && !/<\/?think>/i.test(base))
    problems.push('the text contains <think> tags: write only the document, without your reasoning');
  const first = firstContentLine(text);
  if (REASONING_START.some((pattern) => pattern.test(first)) && first !== firstContentLine(base)) {
    problems.push(`the text starts with reasoning ("${shorten(first)}"): write only the document`);
  }
  const echoed = echoedPrompt(text, base);
  if (echoed.length > 0)
    problems.push(
      `the text repeats the instructions ("${shorten(echoed[0] ?? '')}"${echoed.length > 1 ? ` and ${echoed.length - 1} more` : ''}): write only the document`,
    );
  if (looksLikeJsonAnswer(text) && !looksLikeJsonAnswer(base))
    problems.push('the text is JSON, not the document: put the document text itself in the field');
  return problems;
}

function echoedPrompt(text: string, base: string): string[] {
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim());
  const foreign = PROMPT_PHRASES.filter((phrase) => !base.includes(phrase));
  const found = new Set<string>();
  for (const line of lines) {
    if (line === '') continue;
    const phrase = foreign.find((candidate) => line.includes(candidate));
    if (phrase) found.add(phrase);
    else if (INSTRUCTION_LINES.includes(line) && !base.includes(line)) found.add(line);
  }
  return [...found];
}

/** An answer object left as the text, or its fields written into it. */
function looksLikeJsonAnswer(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      if (typeof value === 'object' && value !== null) return true;
    } catch {
      // Not whole JSON; its fields may still show below.
    }
  }
  return text.split(/\r\n|\r|\n/).some((line) => JSON_FIELD.test(line));
}

function firstContentLine(text: string): string {
  return (
    text
      .replace(/^\uFEFF/, '')
      .split(/\r\n|\r|\n/)
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  );
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
