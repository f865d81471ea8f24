import { indexLines } from '../openspec/markdownLines';
import type { Change, OpenSpecWorkspace } from '../openspec/model';
import type { SpecCompletion } from './specCompletion';

const LISTS = new Set(['new capabilities', 'modified capabilities']);
/** A bullet of a capability list up to the cursor: `- `, then an optional opening backtick and the name so far. */
const BULLET_PREFIX = /^(\s*[-*+]\s+)`?[^`\s]*$/;
/** What of the old name and its closing backtick sits right after the cursor, replaced along with the typed part. */
const NAME_AFTER = /^[^`\s]*`?/;

/**
 * Capability names on a bullet of proposal.md's `### New Capabilities` or `### Modified Capabilities`: the
 * main specs' and the change's own deltas'. A list prefers what fits it: existing specs under Modified,
 * capabilities without a main spec under New.
 */
export function capabilityCompletions(
  workspace: OpenSpecWorkspace,
  change: Change,
  line: number,
  character: number,
  lineText: string,
): SpecCompletion[] {
  const list = listAt(change.proposal?.text ?? '', line);
  const prefix = BULLET_PREFIX.exec(lineText.slice(0, character));
  if (!list || !prefix?.[1]) return [];
  const existing = new Set(workspace.specs.map((spec) => spec.capability));
  const names = [...new Set([...existing, ...change.deltas.map((delta) => delta.capability)])].sort();
  const start = prefix[1].length;
  const end = character + (NAME_AFTER.exec(lineText.slice(character))?.[0].length ?? 0);
  return names.map((name) => {
    const fits = (list === 'modified capabilities') === existing.has(name);
    return {
      label: name,
      kind: 'capability' as const,
      detail: existing.has(name) ? `openspec/specs/${name}/spec.md` : 'new: only a delta in this change',
      insertText: `\`${name}\``,
      snippet: false,
      line,
      start,
      end,
      filterText: `\`${name}\``,
      sortText: `${fits ? 0 : 1}${name}`,
    };
  });
}

/** Which capability list (lower-cased heading) a line of the proposal is in, if any. */
function listAt(text: string, line: number): string | undefined {
  let list: string | undefined;
  for (const heading of indexLines(text).headings) {
    if (heading.line >= line) break;
    if (heading.level <= 3) list = heading.level === 3 ? heading.text.toLowerCase() : undefined;
  }
  return list && LISTS.has(list) ? list : undefined;
}
