/** How requirement headers are named and compared: every reader, the merge and the checks key on these. */

/**
 * A requirement's name as every reader matches it: a closing ATX `#` run (`### Requirement: Foo ###`) is not
 * part of it, but only when a space or tab precedes it, so `C#` keeps its `#`.
 */
export function normalizeRequirementName(name: string): string {
  return name.replace(/[ \t]+#+[ \t]*$/, '').trim();
}

/** Case- and whitespace-insensitive fold, used only to spot typos; matching itself is case-sensitive. */
export function foldRequirementName(name: string): string {
  return normalizeRequirementName(name).toLowerCase().replace(/\s+/g, ' ');
}
