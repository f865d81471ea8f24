/** Text-shape helpers: a proposal must look like the file it replaces, down to line endings. */

export type LineEnding = '\r\n' | '\n' | '\r';

/** The file's line ending: the first one found, LF for a one-line file. */
export function detectLineEnding(text: string): LineEnding {
  const match = /\r\n|\r|\n/.exec(text);
  return (match?.[0] as LineEnding | undefined) ?? '\n';
}

export function withLineEnding(text: string, eol: LineEnding): string {
  return text.replace(/\r\n|\r|\n/g, eol);
}

const OPENING_FENCE = /^(`{3,}|~{3,})[ \t]*(markdown|md|text)?[ \t]*$/i;

/**
 * Removes a code fence wrapped around the whole answer (```markdown ... ```), which models add out of habit.
 * A fence that opens mid-text, or a closing line that does not match the opener, is content and stays.
 */
export function stripWrappingFence(text: string): string {
  const lines = text.trim().split(/\r\n|\r|\n/);
  const first = OPENING_FENCE.exec(lines[0]?.trim() ?? '');
  const last = lines[lines.length - 1]?.trim() ?? '';
  const marker = first?.[1];
  if (!marker || lines.length < 2 || last !== marker) return text;
  return lines.slice(1, -1).join('\n');
}

/**
 * The model's document in the shape of the file it replaces: the file's line ending, its BOM, and its run of
 * final newlines (so an unchanged document compares equal and a diff shows no spurious last line).
 */
export function conformToBase(proposed: string, base: string): string {
  const eol = detectLineEnding(base);
  const bom = base.startsWith('\uFEFF') ? '\uFEFF' : '';
  const trailing = /(?:\r\n|\r|\n)*$/.exec(base)?.[0] ?? '';
  const body = withLineEnding(proposed.replace(/^\uFEFF/, ''), eol).replace(/(?:\r\n|\r|\n|[ \t])*$/, '');
  return bom + body + trailing;
}
