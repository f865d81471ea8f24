/**
 * Fenced-code-block detection shared by every Markdown reader here, so a `### Requirement:` or `## ADDED`
 * quoted inside a fence is never read as structure. One definition keeps the readers from drifting apart.
 */
interface Fence {
  marker: string;
  length: number;
}

function openingFence(line: string): Fence | undefined {
  const run = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
  return run ? { marker: run.charAt(0), length: run.length } : undefined;
}

function closesFence(line: string, fence: Fence): boolean {
  const run = /^\s*(`{3,}|~{3,})\s*$/.exec(line)?.[1];
  return run !== undefined && run.charAt(0) === fence.marker && run.length >= fence.length;
}

/** A fence line needs a run of three backticks or tildes; testing that first keeps long documents cheap. */
function mayBeFence(line: string): boolean {
  return line.includes('```') || line.includes('~~~');
}

/** One flag per line: true for a line inside a fenced block, the opening and closing fence lines included. */
export function buildCodeFenceMask(lines: readonly string[]): boolean[] {
  const mask = new Array<boolean>(lines.length).fill(false);
  let active: Fence | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!active) {
      if (!mayBeFence(line)) continue;
      active = openingFence(line);
      if (active) mask[i] = true;
      continue;
    }
    mask[i] = true;
    if (mayBeFence(line) && closesFence(line, active)) active = undefined;
  }
  return mask;
}

/** The readers here only take headers with `#` in column one; this cheap test runs before their regexes. */
export function startsWithHash(line: string): boolean {
  return line.charCodeAt(0) === 0x23;
}
