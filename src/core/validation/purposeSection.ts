import { buildCodeFenceMask } from './codeFence';

/** Blanks `<!-- ... -->` spans (an unclosed one runs to the end), keeping every newline so line numbers hold. */
function maskHtmlComments(content: string): string {
  const blank = (text: string): string => text.replace(/[^\n]/g, ' ');
  let out = '';
  let index = 0;
  for (;;) {
    const open = content.indexOf('<!--', index);
    if (open === -1) return out + content.slice(index);
    out += content.slice(index, open);
    let close = -1;
    for (let i = open + 4; i < content.length; i++) {
      if (content.startsWith('-->', i)) {
        close = i + 3;
        break;
      }
      if (content.startsWith('--!>', i)) {
        close = i + 4;
        break;
      }
    }
    if (close === -1) return out + blank(content.slice(open));
    out += blank(content.slice(open, close));
    index = close;
  }
}

/**
 * The body of a `## Purpose` section, or undefined when absent or empty. Structure is read with fences and
 * HTML comments masked; the body is returned as written.
 */
export function extractPurposeSection(content: string): string | undefined {
  const normalized = content.replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n');
  const masked = maskHtmlComments(normalized).split('\n');
  const fenceMask = buildCodeFenceMask(masked);
  const structural = (i: number): boolean => !fenceMask[i];
  const start = masked.findIndex((line, i) => structural(i) && /^##\s+Purpose\s*$/i.test(line));
  if (start === -1) return undefined;
  let end = masked.length;
  for (let i = start + 1; i < masked.length; i++) {
    if (structural(i) && /^##\s+/.test(masked[i] ?? '')) {
      end = i;
      break;
    }
  }
  const prose = masked
    .slice(start + 1, end)
    .filter((_, offset) => structural(start + 1 + offset))
    .join('\n')
    .trim();
  if (!prose) return undefined;
  return (
    lines
      .slice(start + 1, end)
      .join('\n')
      .trim() || undefined
  );
}
