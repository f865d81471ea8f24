import type { IssueLevel } from '../validation/types';
import type { Range } from '../openspec/model';

/** The source name of `openspec validate` verdicts, apart from our own checks (`openspec-loop`). */
export const VALIDATION_SOURCE = 'openspec';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** Anything the core found on a file and a line, in its own terms; the shell turns it into a Diagnostic. */
export interface Finding {
  /** Absolute POSIX path of the file the finding is shown on. */
  readonly file: string;
  /** 0-based, like the editor model's ranges. */
  readonly range: Range;
  readonly severity: FindingSeverity;
  readonly message: string;
  readonly code?: string;
  /** Other places the finding is about (the other change's header of an overlap), listed beneath it. */
  readonly related?: readonly RelatedPlace[];
}

/** A place a finding points at besides its own line, with what is there. */
export interface RelatedPlace {
  /** Absolute POSIX path. */
  readonly file: string;
  readonly range: Range;
  readonly message: string;
}

/** A validation issue placed on a file and a line, ready to be shown as an editor diagnostic. */
export interface LocatedFinding extends Finding {
  readonly source: typeof VALIDATION_SOURCE;
}

const SEVERITY: Record<IssueLevel, FindingSeverity> = { ERROR: 'error', WARNING: 'warning', INFO: 'info' };

export function severityOf(level: IssueLevel): FindingSeverity {
  return SEVERITY[level];
}

/**
 * The range of one 0-based line: its text when the file's lines are known, else up to the next line's start
 * (editors clamp it). A line past the end falls back to the last line, so a stale line number still shows.
 */
export function lineRange(line: number, lines: readonly string[] | undefined): Range {
  if (lines === undefined) return { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
  const clamped = Math.max(0, Math.min(line, lines.length - 1));
  const length = (lines[clamped] ?? '').replace(/\r$/, '').length;
  return { start: { line: clamped, character: 0 }, end: { line: clamped, character: length } };
}
