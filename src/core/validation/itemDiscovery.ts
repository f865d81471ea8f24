import { posix as path } from 'node:path';
import { FsError, type FileSystem } from '../fs/fileSystem';
import { artifactOutputExists } from './artifactOutputs';
import { METADATA_FILENAME, resolveSchemaForChange } from './changeMetadata';
import { discoverSpecFiles, hasAnyFileUnder } from './specDiscovery';
import type { Pause } from '../async/timeSlices';
import { resolveSchema } from './workflowSchemas';

/**
 * Which changes and specs `openspec validate` can name, and the diagnostics around names: a namespace
 * folder wrapping nested changes, unsafe item names, and nearest-match suggestions.
 */

/** Active change ids: every real directory under changes/ except `archive` and dot folders, sorted. */
export async function listChangeIds(fs: FileSystem, changesDir: string): Promise<string[]> {
  try {
    const entries = await fs.readDirectory(changesDir);
    return entries
      .filter((entry) => entry.kind === 'directory' && entry.name !== 'archive' && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if (FsError.is(error, 'ENOENT')) return [];
    throw error;
  }
}

/** Spec ids (capability paths such as `audit/log`), sorted. */
export async function listSpecIds(fs: FileSystem, specsDir: string, pause?: Pause): Promise<string[]> {
  return (await discoverSpecFiles(fs, specsDir, pause)).map((spec) => spec.id);
}

/** The problem with a name that cannot be joined onto a folder, or null when it is safe. */
export function folderStyleNameProblem(value: string, label: string): string | null {
  if (value.length === 0) return `${label} must not be empty`;
  if (value === '.' || value === '..') return `${label} must not be '${value}'`;
  if (/[\\/]/u.test(value)) return `${label} must not contain path separators`;
  return null;
}

/** Change names are flat; spec ids are checked per path segment because capabilities nest. */
export function itemNameProblem(type: 'change' | 'spec', id: string): string | null {
  if (type === 'change') return folderStyleNameProblem(id, 'Change name');
  return (
    id
      .split('/')
      .map((segment) => folderStyleNameProblem(segment, 'Spec id'))
      .find(Boolean) ?? null
  );
}

/**
 * Up to `max` candidates closest to `input` by edit distance, closest first (ties keep their order): the CLI's
 * suggestions, exactly. Once `max` are found, a candidate is only measured as far as it could still beat the
 * farthest of them, so a 100 KB name costs a few full distances, not one per candidate.
 */
export function nearestMatches(input: string, candidates: readonly string[], max = 5): string[] {
  const best: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    const bound = best.length < max ? Infinity : (best[best.length - 1]?.distance ?? Infinity);
    const distance = levenshtein(input, candidate, bound);
    // A tie with the farthest kept one loses: it comes later, and the CLI's stable sort keeps the earlier.
    if (distance >= bound) continue;
    const at = best.findIndex((kept) => kept.distance > distance);
    best.splice(at === -1 ? best.length : at, 0, { candidate, distance });
    if (best.length > max) best.pop();
  }
  return best.map((scored) => scored.candidate);
}

/** The edit distance of `a` and `b`, or some value ≥ `atLeast` as soon as the distance cannot be below it. */
export function levenshtein(a: string, b: string, atLeast = Infinity): number {
  if (Math.abs(a.length - b.length) >= atLeast) return atLeast;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      rowMinimum = Math.min(rowMinimum, current[j] ?? 0);
    }
    // Every later row is at least this row's minimum: the distance can no longer come in under the bound.
    if (rowMinimum >= atLeast) return atLeast;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export interface NestedChangeFinding {
  name: string;
  /** Nested change paths below changes/, such as `mobile/refresh-token`, sorted. */
  nested: string[];
}

/** The phrase every nested-change diagnostic contains. */
export const NESTED_CHANGE_ISSUE_MARKER = 'is not a change: it is a folder wrapping';

const CHANGE_ROOT_MARKERS = [METADATA_FILENAME, 'proposal.md', 'tasks.md', 'design.md'];
const MAX_NESTING_DEPTH = 3;

/**
 * Whether `changes/<name>/` is a namespace folder holding nested change folders rather than a change.
 * Undefined for every ordinary change, including a freshly scaffolded empty one.
 */
export async function findNestedChangesIn(
  fs: FileSystem,
  changesDir: string,
  name: string,
): Promise<NestedChangeFinding | undefined> {
  if (name === 'archive' || name.startsWith('.')) return undefined;
  const dir = path.join(changesDir, name);
  const projectRoot = path.resolve(changesDir, '..', '..');
  if (await looksLikeChange(fs, dir, projectRoot)) return undefined;
  if (await hasOwnFile(fs, dir)) return undefined;
  const nested: string[] = [];
  await collectNested(fs, dir, name, 1, nested, projectRoot);
  return nested.length === 0 ? undefined : { name, nested: nested.sort() };
}

export function describeNestedChange(finding: NestedChangeFinding): string {
  const list = finding.nested.map((id) => `openspec/changes/${id}/`).join(', ');
  const example = (finding.nested[0] ?? '').split('/').join('-');
  return (
    `"${finding.name}" ${NESTED_CHANGE_ISSUE_MARKER} ${list}. ` +
    'A change must be a directory directly under openspec/changes/, so those ' +
    'nested directories are invisible to OpenSpec while the folder around them ' +
    'is reported as a change. Nested paths are supported under openspec/specs/ ' +
    `only. Rename each nested change to a flat name (for example "${example}").`
  );
}

/** A root artifact, a populated specs/, or any file where the change's schema would generate one. */
async function looksLikeChange(fs: FileSystem, dir: string, projectRoot: string): Promise<boolean> {
  for (const marker of CHANGE_ROOT_MARKERS) {
    if ((await fs.stat(path.join(dir, marker))) === 'file') return true;
  }
  if (await hasAnyFileUnder(fs, path.join(dir, 'specs')).catch(() => false)) return true;
  try {
    const schema = await resolveSchema(fs, await resolveSchemaForChange(fs, dir, projectRoot), projectRoot);
    for (const artifact of schema.artifacts) {
      if (await artifactOutputExists(fs, dir, artifact.generates)) return true;
    }
    return false;
  } catch {
    return false;
  }
}

async function entriesOf(fs: FileSystem, dir: string) {
  return fs.readDirectory(dir).catch(() => []);
}

async function hasOwnFile(fs: FileSystem, dir: string): Promise<boolean> {
  return (await entriesOf(fs, dir)).some((entry) => !entry.name.startsWith('.') && entry.kind !== 'directory');
}

async function collectNested(
  fs: FileSystem,
  dir: string,
  prefix: string,
  depth: number,
  found: string[],
  projectRoot: string,
): Promise<void> {
  if (depth > MAX_NESTING_DEPTH) return;
  const children = (await entriesOf(fs, dir))
    .filter((entry) => entry.kind === 'directory' && !entry.name.startsWith('.'))
    .map((entry) => entry.name);
  for (const child of children) {
    const childPath = path.join(dir, child);
    const id = `${prefix}/${child}`;
    if (await looksLikeChange(fs, childPath, projectRoot)) found.push(id);
    else await collectNested(fs, childPath, id, depth + 1, found, projectRoot);
  }
}
