import type { Finding } from '../diagnostics/locatedFinding';
import type { Range } from '../openspec/model';

/** The source name our own checks report under, apart from the CLI-compatible `openspec` verdict. */
export const LINT_SOURCE = 'openspec-loop';

/** A finding of our own checks, always with a code. They advise; they never change the `openspec validate` verdict. */
export interface LintFinding extends Finding {
  readonly code: string;
}

export function lineStart(line: number): Range {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

/** A whole line; editors clamp the end, so the line length need not be known. */
export function wholeLine(line: number): Range {
  return { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
}
