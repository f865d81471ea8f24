import { startsWithHash } from './codeFence';

/**
 * Requirement blocks as `openspec validate` and `openspec archive` read them: the `## Requirements` section
 * of a main spec (requirementsSection) and the four delta sections of a change's delta spec (deltaSpecParser).
 * The merge, the validator and the scenario-loss check all go through those readers, and the readers share
 * the block shape and the header tests below, so they agree on what a requirement is.
 */

export interface RequirementBlock {
  headerLine: string;
  name: string;
  /** The header line and every line of the block, trailing whitespace trimmed. */
  raw: string;
}

export const REQUIREMENT_HEADER_REGEX = /^###\s*Requirement:\s*(.+)\s*$/i;
export const TOP_LEVEL_HEADER = /^##\s+/;

export function isHeader(pattern: RegExp, line: string | undefined): boolean {
  return line !== undefined && startsWithHash(line) && pattern.test(line);
}

/** A BOM would keep a first-line header from matching. */
export function normalizeLineEndings(content: string): string {
  return content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}
