import { containsShallOrMust } from './requirementText';

/**
 * A body without SHALL/MUST. When the keyword sits in the header instead, the message says to move it to the
 * line after the header, since a generic "must contain SHALL" is confusing next to a visible SHALL.
 */
export function missingShallOrMustMessage(prefix: string, blockName: string, guidanceOnly = false): string {
  const base = `${prefix} ${guidanceOnly ? 'should' : 'must'} contain SHALL or MUST`;
  const suffix = guidanceOnly ? ' (RFC 2119 best practice for English specs)' : '';
  if (containsShallOrMust(blockName)) {
    return `${base} in the requirement body, not only in the header. Move the SHALL/MUST statement to the line immediately after the "### Requirement: ..." header.${suffix}`;
  }
  return `${base}${suffix}`;
}
