import { posix as path } from 'node:path';
import { FsError, isWithin, type DirectoryEntry, type FileSystem } from '../fs/fileSystem';
import { hasDeltaSection } from './deltaSectionPresence';
import type { Pause } from '../async/timeSlices';

/** One capability's spec file; `id` is the capability path below specs/ (`audit/log`). */
export interface DiscoveredSpec {
  id: string;
  specFile: string;
}

/** A Markdown file under a change's specs/ that carries delta sections but is never read as a delta. */
export interface UnreadDeltaFile {
  /** Relative to the specs/ folder, POSIX-separated. */
  path: string;
  /** Where the delta should live instead (`<capability>/spec.md`). */
  expected: string;
}

/**
 * Every `spec.md` below a specs root, at any depth but never directly in the root, sorted by id in code-point
 * order. Mirrors `openspec validate`: dot entries are skipped, symlinked directories are not followed, a
 * symlinked `spec.md` counts when it points at a file inside its capability, and a dangling one is skipped.
 * A missing root is an empty list; any other read failure rejects. A `pause` is awaited before each folder.
 */
export async function discoverSpecFiles(fs: FileSystem, specsDir: string, pause?: Pause): Promise<DiscoveredSpec[]> {
  const results: DiscoveredSpec[] = [];
  const walk = async (dir: string, segments: string[]): Promise<void> => {
    let entries: DirectoryEntry[];
    // A folder at a time: the editor's file system answers without waiting, and 300 specs held its thread.
    await pause?.();
    try {
      entries = await fs.readDirectory(dir);
    } catch (error) {
      if (FsError.is(error, 'ENOENT')) return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (entry.kind === 'directory') {
        await walk(entryPath(dir, entry.name), [...segments, entry.name]);
      } else if (entry.name === 'spec.md' && segments.length > 0) {
        const specFile = entryPath(dir, entry.name);
        if (entry.kind === 'symlink' && (await fs.stat(specFile)) !== 'file') continue;
        if (entry.kind !== 'file' && entry.kind !== 'symlink') continue;
        // The walk enters real folders only, so a plain file's real path is inside the root's: only a link is
        // asked where it leads.
        if (entry.kind === 'symlink') await assertDiscoveredSpecPath(fs, specsDir, dir, specFile);
        results.push({ id: segments.join('/'), specFile });
      }
    }
  };
  await walk(path.join(specsDir, '.'), []);
  return results.sort((a, b) => compareCodePoints(a.id, b.id));
}

/**
 * A listed entry's path in a normal folder path: what `path.join` gives, since a listed name is one segment,
 * without normalizing the whole path again (for each of the thousand paths of a walk, a fifth of what validating
 * one change allocated).
 */
function entryPath(dir: string, name: string): string {
  return dir === '/' || dir === '.' ? path.join(dir, name) : `${dir}/${name}`;
}

/**
 * Markdown files under a change's specs/ that carry delta sections but are not a capability's `spec.md`
 * (`specs/auth.md`, `specs/auth/delta.md`), so validation and archive never read them. A `spec.md` at the
 * specs/ root has its own check and is not listed. Same walk as discoverSpecFiles; sorted by path.
 */
export async function findUnreadDeltaFiles(fs: FileSystem, specsDir: string): Promise<UnreadDeltaFile[]> {
  const results: UnreadDeltaFile[] = [];
  const walk = async (dir: string, segments: string[]): Promise<void> => {
    let entries: DirectoryEntry[];
    try {
      entries = await fs.readDirectory(dir);
    } catch (error) {
      if (FsError.is(error, 'ENOENT', 'ENOTDIR')) return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (entry.kind === 'directory') {
        await walk(path.join(dir, entry.name), [...segments, entry.name]);
        continue;
      }
      if (entry.kind !== 'file' && entry.kind !== 'symlink') continue;
      if (entry.name === 'spec.md' || !entry.name.toLowerCase().endsWith('.md')) continue;
      const filePath = path.join(dir, entry.name);
      if (entry.kind === 'symlink' && (await fs.stat(filePath)) !== 'file') continue;
      let content: string;
      try {
        content = await fs.readFile(filePath);
      } catch (error) {
        if (FsError.is(error, 'ENOENT')) continue;
        throw error;
      }
      if (!hasDeltaSection(content)) continue;
      const capability = segments.length > 0 ? segments.join('/') : entry.name.slice(0, -'.md'.length);
      results.push({ path: [...segments, entry.name].join('/'), expected: `${capability}/spec.md` });
    }
  };
  await walk(specsDir, []);
  return results.sort((a, b) => compareCodePoints(a.path, b.path));
}

/**
 * True when any non-dot file (or link, not followed) exists anywhere below `dir`. A missing directory is
 * false; other read failures reject. Used to catch content that contradicts a `skip_specs` marker.
 */
export async function hasAnyFileUnder(fs: FileSystem, dir: string): Promise<boolean> {
  let entries: DirectoryEntry[];
  try {
    entries = await fs.readDirectory(dir);
  } catch (error) {
    if (FsError.is(error, 'ENOENT')) return false;
    throw error;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.kind === 'file' || entry.kind === 'symlink') return true;
    if (entry.kind === 'directory' && (await hasAnyFileUnder(fs, path.join(dir, entry.name)))) return true;
  }
  return false;
}

/** Plain code-point order: `localeCompare` would make the order depend on the machine's locale. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A linked `spec.md` must resolve inside the specs root, or at least inside its own capability folder
 * (capability folders may be links into a monorepo). Anything else is refused, as the CLI refuses it.
 */
async function assertDiscoveredSpecPath(
  fs: FileSystem,
  specsRoot: string,
  capabilityDir: string,
  specFile: string,
): Promise<void> {
  const target = await fs.realPath(specFile);
  if (isWithin(await fs.realPath(specsRoot), target)) return;
  if (isWithin(await fs.realPath(capabilityDir), target)) return;
  throw new Error(`Path is outside the allowed directory: ${specFile}`);
}
