import { posix as path } from 'node:path';
import { liesInside, realPathOfNearest, type FileSystem } from '../../fs/fileSystem';
import { ToolRefusal } from './toolResults';

/**
 * Every path or id an agent sends names something inside `<root>/openspec/` and nothing else. Checked on the
 * text first (no `..`, no absolute path, no backslash, no NUL, no empty segment), then on the disk: the real
 * path, links resolved, must still be under the real `openspec/` folder, so a symlink cannot lead outside.
 * These checks give an agent a clear refusal for the path it named; what the server reads is confined by its
 * file system (ConfinedFileSystem) whatever the tool.
 */
export function checkRelativePath(relative: string, what: string): string[] {
  if (relative === '') throw new ToolRefusal(`${what} is empty.`);
  if (relative.includes('\0')) throw new ToolRefusal(`${what} contains a NUL character.`);
  if (relative.includes('\\'))
    throw new ToolRefusal(`${what} "${relative}" contains a backslash; use "/" between folders.`);
  if (relative.startsWith('/') || /^[A-Za-z]:/.test(relative))
    throw new ToolRefusal(`${what} "${relative}" is absolute; give it relative to the openspec/ folder.`);
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '..'))
    throw new ToolRefusal(`${what} "${relative}" contains "..": paths must stay inside openspec/.`);
  if (segments.some((segment) => segment === '' || segment === '.'))
    throw new ToolRefusal(`${what} "${relative}" has an empty or "." segment.`);
  return segments;
}

/** `openspec/` below the project root, as the real path when it exists. */
export async function realOpenSpecDir(fs: FileSystem, root: string): Promise<string> {
  return fs.realPath(path.join(root, 'openspec'));
}

/**
 * Joins checked segments below `base` (a folder inside openspec/) and refuses when the file's real location is
 * outside the real openspec/ folder. Returns the path as joined (not the real one), so messages and model
 * paths stay the ones the project uses.
 */
export async function confinedPath(
  fs: FileSystem,
  root: string,
  base: string,
  relative: string,
  what: string,
): Promise<string> {
  const segments = checkRelativePath(relative, what);
  const joined = path.join(base, ...segments);
  const openspecDir = path.join(root, 'openspec');
  if (joined !== openspecDir && !joined.startsWith(openspecDir + '/'))
    throw new ToolRefusal(`${what} "${relative}" is outside openspec/.`);
  const [realDir, realTarget] = await Promise.all([realOpenSpecDir(fs, root), realPathOfNearest(fs, joined)]);
  if (realTarget !== realDir && !realTarget.startsWith(realDir + '/')) {
    throw new ToolRefusal(`${what} "${relative}" leads outside openspec/ through a symbolic link; refused.`);
  }
  return joined;
}

/** False when `file`'s real location is outside the real openspec/ folder (a link pointing elsewhere). */
export function staysInside(fs: FileSystem, root: string, file: string): Promise<boolean> {
  return liesInside(fs, path.join(root, 'openspec'), file);
}
