import { posix as path } from 'node:path';
import type { Change } from '../../openspec/model';
import { confinedPath } from './pathConfinement';
import type { FolderContext } from './toolContext';
import { ToolRefusal } from './toolResults';

/**
 * A file of a change as an agent names it: relative to the change folder (`specs/auth/spec.md`) or to the
 * project (`openspec/changes/<id>/specs/auth/spec.md`). Returns the absolute path, confined to the change.
 */
export async function changeFilePath(folder: FolderContext, change: Change, file: string): Promise<string> {
  const { fs, root } = folder;
  const projectPrefix = `${folder.relative(change.dir)}/`;
  const relative = file.startsWith(projectPrefix) ? file.slice(projectPrefix.length) : file.replace(/^\.\//, '');
  const absolute = await confinedPath(fs, root, change.dir, relative, 'File');
  if ((await fs.stat(absolute)) !== 'file')
    throw new ToolRefusal(`${path.join(projectPrefix, relative)} is not a file of change "${change.id}".`);
  return absolute;
}
