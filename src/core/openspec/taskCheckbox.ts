import { STALE, UNCHANGED, type TextEdit } from '../fs/fileWriter';

/**
 * Matches a task checkbox line exactly as OpenSpec's pattern
 * `/^\s*(?:[-*+]|\d{1,9}[.)])\s*\[(?:\s*([^\]\s]?)\s*\](?![([])|\s+\])\s*(.*)/` does, in linear time:
 * that pattern backtracks quadratically on a long run of spaces inside the brackets, which an editor that
 * re-parses on every keystroke cannot afford.
 */
export interface CheckboxMatch {
  /** Leading whitespace before the bullet. */
  readonly indent: string;
  /** The single character inside the brackets, '' when empty. Only `x`/`X` means done. */
  readonly mark: string;
  /** Index of `[` and of `]` in the line. */
  readonly open: number;
  readonly close: number;
  /** The text after the checkbox up to any line terminator, leading whitespace removed. */
  readonly rest: string;
}

const WHITESPACE = /\s/;
/** JavaScript's `\s`: ASCII whitespace answered directly, the rest of Unicode's spaces by the regex. */
const isSpace = (char: string | undefined): boolean => {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  return code > 127 && WHITESPACE.test(char);
};
const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';

export function matchCheckbox(line: string): CheckboxMatch | undefined {
  let at = skipSpaces(line, 0);
  const indent = line.slice(0, at);
  const bullet = line[at];
  if (bullet === '-' || bullet === '*' || bullet === '+') {
    at++;
  } else {
    const digitsStart = at;
    while (isDigit(line[at]) && at - digitsStart < 10) at++;
    const digits = at - digitsStart;
    if (digits < 1 || digits > 9 || (line[at] !== '.' && line[at] !== ')')) return undefined;
    at++;
  }
  at = skipSpaces(line, at);
  if (line[at] !== '[') return undefined;
  const open = at;
  const afterOpen = skipSpaces(line, at + 1);
  let cursor = afterOpen;
  let mark = '';
  if (line[cursor] !== undefined && line[cursor] !== ']' && !isSpace(line[cursor])) mark = line[cursor++] ?? '';
  cursor = skipSpaces(line, cursor);
  if (line[cursor] !== ']') return undefined;
  const next = line[cursor + 1];
  if (next === '(' || next === '[') {
    // Only the second alternative `\s+\]` can match here: spaces and nothing else between the brackets.
    if (mark !== '' || afterOpen === open + 1) return undefined;
  }
  const close = cursor;
  // `(.*)` stops at the first line terminator, which a split line can still hold (U+2028, U+2029).
  const rest = line.slice(skipSpaces(line, close + 1)).split(/[\n\r\u2028\u2029]/, 1)[0] ?? '';
  return { indent, mark, open, close, rest };
}

function skipSpaces(line: string, from: number): number {
  let at = from;
  while (isSpace(line[at])) at++;
  return at;
}

/** Where a task's checkbox was when the task was read: its 0-based line, and the range between its brackets. */
export interface CheckboxPlace {
  readonly line: number;
  readonly checkboxRange: {
    readonly start: { readonly line: number; readonly character: number };
    readonly end: { readonly line: number; readonly character: number };
  };
}

/**
 * The edit that checks (`done`) or unchecks the task read at `place`, rewriting only what stands between its
 * brackets and keeping every line ending as it was. `stale` when that line no longer holds the checkbox exactly
 * there (the file changed since the task was read); `unchanged` when the task already has that state. The one
 * checkbox toggle: the explorer, the Toggle Task command and the MCP tool all write through it.
 */
export function checkboxEdit(place: CheckboxPlace, done: boolean): TextEdit {
  return (text) => {
    const { line, checkboxRange: range } = place;
    const pieces = text.split(/(\r\n|\r|\n)/);
    const current = Number.isInteger(line) && line >= 0 ? pieces[line * 2] : undefined;
    const match = current === undefined ? undefined : matchCheckbox(current);
    if (current === undefined || !match) return STALE;
    const sameRange = range.start.line === line && range.end.line === line;
    if (!sameRange || match.open + 1 !== range.start.character || match.close !== range.end.character) return STALE;
    if ((match.mark === 'x' || match.mark === 'X') === done) return UNCHANGED;
    pieces[line * 2] = `${current.slice(0, match.open + 1)}${done ? 'x' : ' '}${current.slice(match.close)}`;
    return pieces.join('');
  };
}
