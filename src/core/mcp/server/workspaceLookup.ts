import { posix as path } from 'node:path';
import { z } from 'zod';
import { isWithin } from '../../fs/fileSystem';
import type { Change, MainSpecDocument, OpenSpecWorkspace, UnreadablePath } from '../../openspec/model';
import { checkRelativePath } from './pathConfinement';
import type { FolderContext, ToolContext } from './toolContext';
import { ToolRefusal } from './toolResults';

/** An item with the folder it was found in and the read of that folder it came from. */
export interface Located<T> {
  readonly folder: FolderContext;
  readonly workspace: OpenSpecWorkspace;
  readonly item: T;
}

/** One fresh read of each folder a call looks in. */
export async function scanFolders(
  folders: readonly FolderContext[],
): Promise<Array<{ folder: FolderContext; workspace: OpenSpecWorkspace }>> {
  return Promise.all(folders.map(async (folder) => ({ folder, workspace: await folder.scan() })));
}

/**
 * The active change `id`, in the folder named or in whichever folder holds it. An unknown id is refused with
 * the ids that exist, and an id more than one folder holds with those folders, so the agent can correct itself.
 */
export async function locateChange(context: ToolContext, id: string, folder?: string): Promise<Located<Change>> {
  checkRelativePath(id, 'Change id');
  const located = await locate(context, folder, {
    what: 'change',
    dir: 'openspec/changes/',
    plural: 'Changes',
    items: (workspace) => workspace.changes,
    key: (change) => change.id,
    wanted: id,
  });
  const failure = unreadableReason(located.item, located.item.dir);
  if (failure !== undefined) {
    throw new ToolRefusal(
      `Change "${id}" cannot be read: openspec/changes/${id} gives ${failure}. Let the user running the server read that folder, then call again.`,
    );
  }
  return located;
}

/** The main spec of `capability` (`audit/log`), found the same way as a change. */
export async function locateSpec(
  context: ToolContext,
  capability: string,
  folder?: string,
): Promise<Located<MainSpecDocument>> {
  checkRelativePath(capability, 'Capability');
  return locate(context, folder, {
    what: 'spec',
    dir: 'openspec/specs/',
    plural: 'Specs',
    items: (workspace) => workspace.specs,
    key: (spec) => spec.capability,
    wanted: capability,
  });
}

interface Search<T> {
  readonly what: string;
  readonly dir: string;
  readonly plural: string;
  readonly items: (workspace: OpenSpecWorkspace) => readonly T[];
  readonly key: (item: T) => string;
  readonly wanted: string;
}

async function locate<T>(context: ToolContext, folder: string | undefined, search: Search<T>): Promise<Located<T>> {
  const scanned = await scanFolders(context.within(folder));
  const found = scanned.flatMap(({ folder, workspace }) => {
    const item = search.items(workspace).find((candidate) => search.key(candidate) === search.wanted);
    return item ? [{ folder, workspace, item }] : [];
  });
  const [first] = found;
  if (first && found.length === 1) return first;
  if (found.length > 1) {
    throw new ToolRefusal(
      `The ${search.what} "${search.wanted}" is in ${found.length} folders: ${found.map((entry) => entry.folder.name).join(', ')}. Pass folder to name one.`,
    );
  }
  const known = (workspace: OpenSpecWorkspace) => search.items(workspace).map(search.key);
  const [only] = scanned;
  if (only && (scanned.length === 1 || folder !== undefined)) {
    const where = context.multiRoot ? ` of folder ${only.folder.name}` : '';
    throw new ToolRefusal(
      `No ${search.what} "${search.wanted}" under ${search.dir}${where}. ${listing(search.plural, known(only.workspace))}`,
    );
  }
  if (!only) throw new ToolRefusal('This server serves no folder with an openspec/ directory.');
  const perFolder = scanned.map(
    ({ folder, workspace }) => `${folder.name}: ${listing(search.plural, known(workspace))}`,
  );
  throw new ToolRefusal(
    `No ${search.what} "${search.wanted}" under ${search.dir} of any folder. ${perFolder.join(' ')}`,
  );
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
    folder: z.string().optional().describe('The workspace folder it is in; present when the server serves several'),
    path: z.string().describe('Project-relative path of the folder or file'),
    reason: z.string().describe('Why it could not be read, e.g. "permission denied (EACCES)"'),
  }),
);

/**
 * A listing's account of what it leaves out: what the scans could not read below `<openspec>/<dir>` of each
 * folder, project-relative (named by folder when the server serves several); nothing when all was read.
 */
export function unreadableBelow(
  context: ToolContext,
  scanned: ReadonlyArray<{ folder: FolderContext; workspace: OpenSpecWorkspace }>,
  dir: string,
): { unreadable?: Array<{ folder?: string; path: string; reason: string }> } {
  const entries = scanned.flatMap(({ folder, workspace }) => {
    const below = path.join(workspace.openspecDir, dir);
    return [...(workspace.unreadable ?? []), ...workspace.changes.flatMap((change) => change.unreadable ?? [])]
      .filter((entry: UnreadablePath) => isWithin(below, entry.path))
      .map((entry) => ({ ...context.folderField(folder), path: folder.relative(entry.path), reason: entry.reason }));
  });
  return entries.length === 0 ? {} : { unreadable: entries };
}
