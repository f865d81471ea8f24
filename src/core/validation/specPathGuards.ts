import { posix as path } from 'node:path';
import { isWithin, type FileSystem } from '../fs/fileSystem';

/**
 * Archive's path guard: a spec path must stay inside its specs root once links are resolved; failing
 * that (a capability folder linked from elsewhere), inside its own capability folder. Returns the path
 * rebased on the canonical root.
 */
export async function resolveTrustedSpecPath(fs: FileSystem, specsRoot: string, specPath: string): Promise<string> {
  if (!isWithin(specsRoot, specPath)) throw new Error(`Path is outside the allowed directory: ${specPath}`);
  try {
    await assertPathWithin(fs, specsRoot, specPath);
    return path.join(await fs.realPath(specsRoot), path.relative(specsRoot, specPath));
  } catch {
    // Falls through: a capability folder may deliberately be a link out of the specs tree.
  }
  const root = await fs.realPath(path.dirname(specPath));
  const file = path.join(root, path.basename(specPath));
  await assertPathWithin(fs, root, file);
  return file;
}

/** Refuses `target` when it leaves `directory`, lexically or through a link. */
export async function assertPathWithin(fs: FileSystem, directory: string, target: string): Promise<void> {
  const inside =
    isWithin(directory, target) &&
    isWithin(await canonicalizePotentialPath(fs, directory), await canonicalizePotentialPath(fs, target));
  if (!inside) throw new Error(`Path is outside the allowed directory: ${target}`);
}

/** The canonical form of a path that may not exist yet: its nearest existing ancestor resolved, the rest appended. */
async function canonicalizePotentialPath(fs: FileSystem, target: string): Promise<string> {
  const missing: string[] = [];
  let existing = target;
  while ((await fs.stat(existing)) === undefined) {
    const parent = path.dirname(existing);
    if (parent === existing) throw new Error(`Cannot resolve an existing parent for ${target}`);
    // A dangling link cannot be proven to stay inside anything.
    const entries = await fs.readDirectory(parent).catch(() => []);
    if (entries.some((entry) => entry.name === path.basename(existing) && entry.kind === 'symlink')) {
      throw new Error(`Cannot verify dangling symbolic link: ${existing}`);
    }
    missing.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(await fs.realPath(existing), ...missing);
}
