import { z } from 'zod';
import { isWithin } from '../../fs/fileSystem';
import type { Change, MainSpecDocument, OpenSpecWorkspace, UnreadablePath } from '../../openspec/model';
import { checkRelativePath } from './pathConfinement';
import { ToolRefusal } from './toolResults';

/** The active change `id`; an unknown id is refused with the ids that exist, so the agent can correct itself. */
export function findChange(workspace: OpenSpecWorkspace, id: string): Change {
  checkRelativePath(id, 'Change id');
  const change = workspace.changes.find((candidate) => candidate.id === id);
  const failure = change && unreadableReason(change, change.dir);
  if (failure !== undefined) {
    throw new ToolRefusal(
      `Change "${id}" cannot be read: openspec/changes/${id} gives ${failure}. Let the user running the server read that folder, then call again.`,
    );
  }
  if (change) return change;
  const known = workspace.changes.map((candidate) => candidate.id);
  throw new ToolRefusal(`No change "${id}" under openspec/changes/. ${listing('Changes', known)}`);
}

/** The main spec of `capability` (`audit/log`). */
export function findSpec(workspace: OpenSpecWorkspace, capability: string): MainSpecDocument {
  checkRelativePath(capability, 'Capability');
  const spec = workspace.specs.find((candidate) => candidate.capability === capability);
  if (spec) return spec;
  const known = workspace.specs.map((candidate) => candidate.capability);
  throw new ToolRefusal(`No spec "${capability}" under openspec/specs/. ${listing('Specs', known)}`);
}

function listing(what: string, ids: readonly string[]): string {
  if (ids.length === 0) return `There are none.`;
  const shown = ids.slice(0, 50);
  return `${what}: ${shown.join(', ')}${ids.length > shown.length ? `, and ${ids.length - shown.length} more` : ''}.`;
}

/** Why `file` of `change` (or its folder) could not be read, when the scan could not read it. */
export function unreadableReason(change: Change, file: string): string | undefined {
  return change.unreadable?.find((entry) => entry.path === file)?.reason;
}

/** The `unreadable` field of listings: what could not be read and was left out. */
export const unreadableSchema = z.array(
  z.object({
    path: z.string().describe('Project-relative path of the folder or file'),
    reason: z.string().describe('Why it could not be read, e.g. "permission denied (EACCES)"'),
  }),
);

/** A listing's account of what it leaves out: what the scan could not read below `dir`, project-relative. */
export function unreadableBelow(
  workspace: OpenSpecWorkspace,
  dir: string,
  relative: (file: string) => string,
): { unreadable?: Array<{ path: string; reason: string }> } {
  const entries: UnreadablePath[] = [
    ...(workspace.unreadable ?? []),
    ...workspace.changes.flatMap((change) => change.unreadable ?? []),
  ].filter((entry) => isWithin(dir, entry.path));
  return entries.length === 0
    ? {}
    : { unreadable: entries.map((entry) => ({ path: relative(entry.path), reason: entry.reason })) };
}
