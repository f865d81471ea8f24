/**
 * A unified diff (`diff -u` / `git diff` layout: `--- a/path`, `+++ b/path`, `@@ -l,n +l,n @@` hunks with three
 * lines of context) of two texts, line by line. Lines compare without their ending, so a CRLF file and its
 * LF copy are equal; a missing final newline is marked as `diff` marks it. Equal texts give ''. An undefined
 * `oldText` is a file that does not exist yet: its side is `/dev/null`, as `git diff` shows a new file.
 */
export function unifiedDiff(oldText: string | undefined, newText: string, path: string, context = 3): string {
  const before = toLines(oldText ?? '');
  const after = toLines(newText);
  const edits = diffLines(before.lines, after.lines);
  if (edits.every((edit) => edit.kind === 'same') && before.finalNewline === after.finalNewline) return '';
  // A change to the final newline alone still has to show the last line as removed and added.
  if (before.finalNewline !== after.finalNewline && before.lines.length > 0 && after.lines.length > 0) {
    const last = edits[edits.length - 1];
    if (last?.kind === 'same')
      edits.splice(
        edits.length - 1,
        1,
        { kind: 'removed', oldIndex: last.oldIndex, newIndex: last.newIndex },
        { kind: 'added', oldIndex: last.oldIndex + 1, newIndex: last.newIndex },
      );
  }
  const out = [oldText === undefined ? '--- /dev/null' : `--- a/${path}`, `+++ b/${path}`];
  for (const hunk of hunks(edits, context)) {
    const oldCount = hunk.filter((edit) => edit.kind !== 'added').length;
    const newCount = hunk.filter((edit) => edit.kind !== 'removed').length;
    const oldStart = startLine(hunk, 'added', (edit) => edit.oldIndex);
    const newStart = startLine(hunk, 'removed', (edit) => edit.newIndex);
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const edit of hunk) {
      const fromOld = edit.kind !== 'added';
      const side = fromOld ? before : after;
      const index = fromOld ? edit.oldIndex : edit.newIndex;
      out.push(`${edit.kind === 'same' ? ' ' : edit.kind === 'removed' ? '-' : '+'}${side.lines[index] ?? ''}`);
      if (index === side.lines.length - 1 && !side.finalNewline) out.push('\\ No newline at end of file');
    }
  }
  return out.join('\n') + '\n';
}

interface Edit {
  readonly kind: 'same' | 'removed' | 'added';
  /** Position in the old text (for `added`: the old line it comes before). */
  readonly oldIndex: number;
  /** Position in the new text (for `removed`: the new line it comes before). */
  readonly newIndex: number;
}

function toLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === '') return { lines: [], finalNewline: true };
  const lines = text.split(/\r\n|\r|\n/);
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

/** A hunk side's 1-based first line; for a side with no lines, the line before the hunk (as `diff` writes it). */
function startLine(hunk: readonly Edit[], otherSide: Edit['kind'], position: (edit: Edit) => number): number {
  const first = hunk.find((edit) => edit.kind !== otherSide);
  return first ? position(first) + 1 : position(hunk[0] ?? { kind: 'same', oldIndex: 0, newIndex: 0 });
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Groups edits into hunks: each change with up to `context` unchanged lines around it, close ones merged. */
function hunks(edits: readonly Edit[], context: number): Edit[][] {
  const changed = edits.flatMap((edit, index) => (edit.kind === 'same' ? [] : [index]));
  const groups: Edit[][] = [];
  let start = -1;
  let end = -1;
  for (const index of changed) {
    if (start >= 0 && index - context <= end + context) {
      end = index;
      continue;
    }
    if (start >= 0) groups.push(edits.slice(Math.max(0, start - context), Math.min(edits.length, end + context + 1)));
    start = index;
    end = index;
  }
  if (start >= 0) groups.push(edits.slice(Math.max(0, start - context), Math.min(edits.length, end + context + 1)));
  return groups;
}

/**
 * Myers' O((N+M)·D) shortest edit script, after trimming the common head and tail (an improvement usually
 * touches a few lines of a long file). Deletions come before insertions within a change, as `diff` prints them.
 */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const edits: Edit[] = [];
  for (let index = 0; index < head; index++) edits.push({ kind: 'same', oldIndex: index, newIndex: index });
  edits.push(...middle(a, b, head, a.length - tail, b.length - tail));
  for (let index = tail; index > 0; index--)
    edits.push({ kind: 'same', oldIndex: a.length - index, newIndex: b.length - index });
  return edits;
}

function middle(a: readonly string[], b: readonly string[], offset: number, aEnd: number, bEnd: number): Edit[] {
  const n = aEnd - offset;
  const m = bEnd - offset;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[max + k - 1] ?? 0) < (v[max + k + 1] ?? 0))
          ? (v[max + k + 1] ?? 0)
          : (v[max + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[offset + x] === b[offset + y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m), collecting edits in reverse.
  const reversed: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const previous = trace[d] ?? v;
    const k = x - y;
    const down = k === -d || (k !== d && (previous[max + k - 1] ?? 0) < (previous[max + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = previous[max + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      reversed.push({ kind: 'same', oldIndex: offset + x, newIndex: offset + y });
    }
    if (d === 0) break;
    if (down) reversed.push({ kind: 'added', oldIndex: offset + x, newIndex: offset + --y });
    else reversed.push({ kind: 'removed', oldIndex: offset + --x, newIndex: offset + y });
  }
  return reversed.reverse();
}
