import type { Change, MainSpecDocument, OpenSpecWorkspace } from '../../openspec/model';
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
  return locate(context, folder, {
    what: 'change',
    dir: 'openspec/changes/',
    plural: 'Changes',
    items: (workspace) => workspace.changes,
    key: (change) => change.id,
    wanted: id,
  });
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
