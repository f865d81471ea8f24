import { buildCodeFenceMask } from './codeFence';

/**
 * Whether a Markdown text has any of the four delta sections (`## ADDED Requirements` and its siblings,
 * case-insensitive), ignoring headers inside fenced code blocks. Mirrors how `openspec validate` decides that
 * a stray Markdown file under a change's specs/ is really a delta nobody reads.
 */
const DELTA_SECTION_TITLES = new Set(
  ['ADDED Requirements', 'MODIFIED Requirements', 'REMOVED Requirements', 'RENAMED Requirements'].map((title) =>
    title.toLowerCase(),
  ),
);

export function hasDeltaSection(content: string): boolean {
  const lines = content
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const fenced = buildCodeFenceMask(lines);
  return lines.some((line, index) => {
    if (fenced[index]) return false;
    const header = /^(##)\s+(.+)$/.exec(line);
    return header !== null && DELTA_SECTION_TITLES.has((header[2] ?? '').trim().toLowerCase());
  });
}
