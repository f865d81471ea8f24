import { documentLines } from '../prompt/documentListing';

/**
 * Line-level comparisons for the impact check: how much of a document a proposal keeps, and whether text
 * outside one block stayed as it was. Lines compare trimmed and blank lines are ignored, so re-indenting or
 * re-spacing a document is not mistaken for losing it.
 */

/** The text as it is compared: no BOM, LF line endings, no trailing blank lines or spaces at its end. */
export function comparableText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n|\r/g, '\n')
    .trimEnd();
}

/** The lines of a comparable text; an empty text has none. */
export function textLines(comparable: string): string[] {
  return comparable === '' ? [] : documentLines(comparable);
}

export function contentLines(lines: readonly string[]): string[] {
  return lines.map((line) => line.trim()).filter((line) => line !== '');
}

/** Above this many table cells the exact LCS is replaced by a greedy in-order match (a lower bound). */
const LCS_CELL_LIMIT = 4_000_000;

/** Pairs of indexes (into `a`, into `b`) of a longest common subsequence, in order. */
export function alignLines(a: readonly string[], b: readonly string[]): Array<readonly [number, number]> {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const pairs: Array<readonly [number, number]> = [];
  for (let index = 0; index < head; index++) pairs.push([index, index]);
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  const middle =
    n === 0 || m === 0 ? [] : n * m > LCS_CELL_LIMIT ? greedyPairs(a, b, head, n, m) : lcsPairs(a, b, head, n, m);
  pairs.push(...middle);
  for (let index = tail; index > 0; index--) pairs.push([a.length - index, b.length - index]);
  return pairs;
}

/** The classic dynamic programme over the middle part, walked back to the matched pairs. */
function lcsPairs(
  a: readonly string[],
  b: readonly string[],
  offset: number,
  n: number,
  m: number,
): Array<readonly [number, number]> {
  const width = m + 1;
  const table = new Int32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        a[offset + i] === b[offset + j]
          ? (table[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
    }
  }
  const pairs: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[offset + i] === b[offset + j]) {
      pairs.push([offset + i, offset + j]);
      i++;
      j++;
    } else if ((table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0)) i++;
    else j++;
  }
  return pairs;
}

/** Each line of `a` matched to its next occurrence in `b`: linear, and never more than the true LCS. */
function greedyPairs(
  a: readonly string[],
  b: readonly string[],
  offset: number,
  n: number,
  m: number,
): Array<readonly [number, number]> {
  const positions = new Map<string, number[]>();
  for (let j = 0; j < m; j++) {
    const line = b[offset + j] ?? '';
    const list = positions.get(line);
    if (list) list.push(offset + j);
    else positions.set(line, [offset + j]);
  }
  const cursor = new Map<string, number>();
  const pairs: Array<readonly [number, number]> = [];
  let after = offset - 1;
  for (let i = 0; i < n; i++) {
    const line = a[offset + i] ?? '';
    const list = positions.get(line);
    if (!list) continue;
    let at = cursor.get(line) ?? 0;
    while (at < list.length && (list[at] ?? 0) <= after) at++;
    cursor.set(line, at);
    const found = list[at];
    if (found === undefined) continue;
    pairs.push([offset + i, found]);
    after = found;
  }
  return pairs;
}

/** Share (0..1) of the base's non-blank lines found, in order, in the proposal; 1 for a blank base. */
export function keptShare(baseLines: readonly string[], proposedLines: readonly string[]): number {
  const base = contentLines(baseLines);
  if (base.length === 0) return 1;
  return alignLines(base, contentLines(proposedLines)).length / base.length;
}

/**
 * How many non-blank lines outside the base's lines `start..end` the proposal does not keep as they were.
 * `keep` is the span of the proposal that replaces that block, when it can be located: then lines the
 * proposal added outside it count too, and a line rewritten in place counts once.
 */
export function linesChangedOutside(
  baseLines: readonly string[],
  proposedLines: readonly string[],
  start: number,
  end: number,
  keep?: { readonly start: number; readonly end: number },
): number {
  const before = contentLines([...baseLines.slice(0, start), ...baseLines.slice(end + 1)]);
  if (!keep) return before.length - alignLines(before, contentLines(proposedLines)).length;
  const after = contentLines([...proposedLines.slice(0, keep.start), ...proposedLines.slice(keep.end + 1)]);
  const common = alignLines(before, after).length;
  return Math.max(before.length - common, after.length - common);
}
