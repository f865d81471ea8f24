import { posix as path } from 'node:path';
import { mapInSlices, type Pause } from '../async/timeSlices';
import { errorMessage } from '../errorMessage';
import { ConfinementError } from '../fs/confinedFileSystem';
import { FsError, readFileIfExists, type FileSystem } from '../fs/fileSystem';
import { discoverSpecFiles } from '../validation/specDiscovery';
import { parseArchiveName } from './documentPaths';
import { parseDesign, parseProposal, parseTasks } from './changeDocuments';
import { parseDeltaSpec, parseMainSpec } from './specDocuments';
import { ParseCache } from './parseCache';
import { parseChangeMetadata, parseProjectConfig } from './yamlFiles';
import type {
  ArchivedChange,
  Change,
  DeltaSpecDocument,
  MainSpecDocument,
  OpenSpecWorkspace,
  UnreadablePath,
} from './model';
import { compareText } from '../compareText';

/**
 * Reads a whole `openspec/` folder into the model. Every file is read once, in parallel; unreadable or
 * malformed files become model nodes with what could be read, never exceptions, and what could not be read
 * at all is listed with the reason (`unreadable` of the workspace and of each change). A `cache` kept between
 * scans skips re-parsing files whose text has not changed. A `pause` is awaited between files and folders,
 * so the editor's thread is never held for the whole scan.
 */
export async function scanWorkspace(
  fs: FileSystem,
  root: string,
  cache = new ParseCache(),
  pause?: Pause,
): Promise<OpenSpecWorkspace | undefined> {
  const openspecDir = path.join(root, 'openspec');
  if ((await fs.stat(openspecDir)) !== 'directory') return undefined;
  const changesDir = path.join(openspecDir, 'changes');
  const unreadable: Unreadable = new Map();
  const [configText, configYmlText, projectMd, changeIds, archiveIds, specs] = await Promise.all([
    readNoting(fs, path.join(openspecDir, 'config.yaml'), unreadable),
    readNoting(fs, path.join(openspecDir, 'config.yml'), unreadable),
    fs.stat(path.join(openspecDir, 'project.md')).catch(() => undefined),
    listDirectories(fs, changesDir, unreadable, (name) => name !== 'archive'),
    listDirectories(fs, path.join(changesDir, 'archive'), unreadable),
    scanMainSpecs(fs, path.join(openspecDir, 'specs'), cache, unreadable, pause),
  ]);
  const [changes, archive] = await Promise.all([
    mapInSlices(changeIds, (id) => scanChange(fs, path.join(changesDir, id), cache), pause),
    mapInSlices(archiveIds, (folder) => scanArchivedChange(fs, path.join(changesDir, 'archive', folder), cache), pause),
  ]);
  const configPath = configText !== undefined ? 'config.yaml' : 'config.yml';
  const config = configText ?? configYmlText;
  return {
    root,
    openspecDir,
    layout: config === undefined && projectMd === 'file' ? 'legacy' : 'current',
    ...(config !== undefined
      ? {
          config: cache.parse(path.join(openspecDir, configPath), config, (text) =>
            parseProjectConfig(path.join(openspecDir, configPath), text),
          ),
        }
      : {}),
    changes,
    specs,
    archive,
    ...unreadableField(unreadable),
  };
}

const CHANGE_FILES = ['proposal.md', 'design.md', 'tasks.md', '.openspec.yaml'];

/**
 * Reads one change folder: its metadata, proposal, design, tasks and every `specs/**\/spec.md`. A folder that
 * cannot be listed (no permission) comes back with nothing but that reason in `unreadable`; a file that cannot
 * be read is left out and named there.
 */
export async function scanChange(fs: FileSystem, dir: string, cache = new ParseCache()): Promise<Change> {
  const id = path.basename(dir);
  const folderFailure = await listingFailure(fs, dir);
  if (folderFailure !== undefined) {
    return { id, dir, deltas: [], lastModified: 0, unreadable: [{ path: dir, reason: folderFailure }] };
  }
  const unreadable: Unreadable = new Map();
  const file = (name: string) => path.join(dir, name);
  const [metadata, proposal, design, tasks, deltaFiles, mtimes] = await Promise.all([
    readNoting(fs, file('.openspec.yaml'), unreadable),
    readNoting(fs, file('proposal.md'), unreadable),
    readNoting(fs, file('design.md'), unreadable),
    readNoting(fs, file('tasks.md'), unreadable),
    findSpecFiles(fs, file('specs'), unreadable),
    Promise.all(CHANGE_FILES.map((name) => fs.mtime(file(name)).catch(noting(unreadable, file(name))))),
  ]);
  const deltas = await Promise.all(
    deltaFiles.map(async ({ capability, specFile }): Promise<DeltaSpecDocument | undefined> => {
      const text = await readNoting(fs, specFile, unreadable);
      return text === undefined
        ? undefined
        : cache.parse(specFile, text, (content) => parseDeltaSpec(specFile, capability, content));
    }),
  );
  return {
    id,
    dir,
    ...(metadata !== undefined
      ? {
          metadata: cache.parse(file('.openspec.yaml'), metadata, (text) =>
            parseChangeMetadata(file('.openspec.yaml'), text),
          ),
        }
      : {}),
    ...(proposal !== undefined
      ? { proposal: cache.parse(file('proposal.md'), proposal, (text) => parseProposal(file('proposal.md'), text)) }
      : {}),
    ...(design !== undefined
      ? { design: cache.parse(file('design.md'), design, (text) => parseDesign(file('design.md'), text)) }
      : {}),
    ...(tasks !== undefined
      ? { tasks: cache.parse(file('tasks.md'), tasks, (text) => parseTasks(file('tasks.md'), text)) }
      : {}),
    deltas: deltas.filter((delta): delta is DeltaSpecDocument => delta !== undefined),
    lastModified: Math.max(0, ...mtimes.filter((time): time is number => time !== undefined)),
    ...unreadableField(unreadable),
  };
}

async function scanArchivedChange(fs: FileSystem, dir: string, cache: ParseCache): Promise<ArchivedChange> {
  const change = await scanChange(fs, dir, cache);
  return { ...change, ...parseArchiveName(change.id) };
}

async function scanMainSpecs(
  fs: FileSystem,
  specsDir: string,
  cache: ParseCache,
  unreadable: Unreadable,
  pause: Pause | undefined,
): Promise<MainSpecDocument[]> {
  const files = await findSpecFiles(fs, specsDir, unreadable, pause);
  const specs = await mapInSlices(
    files,
    async ({ capability, specFile }) => {
      const text = await readNoting(fs, specFile, unreadable);
      return text === undefined
        ? undefined
        : cache.parse(specFile, text, (content) => parseMainSpec(specFile, capability, content));
    },
    pause,
  );
  return specs
    .filter((spec): spec is MainSpecDocument => spec !== undefined)
    .sort((a, b) => compareText(a.capability, b.capability));
}

/**
 * Every capability `spec.md` below `specsDir`, with its capability path (`audit/log`): exactly the files
 * `openspec validate` reads, so the tree never shows a spec the validator skips or hides one it checks.
 * Where discovery refuses (an unreadable folder, a link leading outside), the model shows none, the
 * validator reports why, and `unreadable` gets the reason.
 */
export async function findSpecFiles(
  fs: FileSystem,
  specsDir: string,
  unreadable?: Unreadable,
  pause?: Pause,
): Promise<Array<{ capability: string; specFile: string }>> {
  try {
    const discovered = await discoverSpecFiles(fs, specsDir, pause);
    return discovered
      .map(({ id, specFile }) => ({ capability: id, specFile }))
      .sort((a, b) => compareText(a.capability, b.capability));
  } catch (error) {
    if (unreadable) noteFailure(unreadable, FsError.isInstance(error) ? error.path : specsDir, error);
    return [];
  }
}

async function listDirectories(
  fs: FileSystem,
  dir: string,
  unreadable: Unreadable,
  keep: (name: string) => boolean = () => true,
): Promise<string[]> {
  try {
    const entries = await fs.readDirectory(dir);
    return entries
      .filter((entry) => entry.kind === 'directory' && !entry.name.startsWith('.') && keep(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if (!FsError.is(error)) throw error;
    if (!FsError.is(error, 'ENOENT', 'ENOTDIR')) noteFailure(unreadable, dir, error);
    return [];
  }
}

/** Why `dir` cannot be listed, or undefined when it can (or is simply not there). */
async function listingFailure(fs: FileSystem, dir: string): Promise<string | undefined> {
  try {
    await fs.readDirectory(dir);
    return undefined;
  } catch (error) {
    return FsError.is(error, 'ENOENT', 'ENOTDIR') ? undefined : failureReason(error);
  }
}

/** Paths a scan could not read, each with the first reason seen. */
export type Unreadable = Map<string, string>;

/** A file's text, or undefined when it is missing or cannot be read; a read failure is noted in `unreadable`. */
async function readNoting(fs: FileSystem, file: string, unreadable: Unreadable): Promise<string | undefined> {
  return readFileIfExists(fs, file).catch(noting(unreadable, file));
}

function noting(unreadable: Unreadable, file: string): (error: unknown) => undefined {
  return (error) => {
    noteFailure(unreadable, file, error);
    return undefined;
  };
}

function noteFailure(unreadable: Unreadable, file: string, error: unknown): void {
  if (!unreadable.has(file)) unreadable.set(file, failureReason(error));
}

function unreadableField(unreadable: Unreadable): { unreadable?: UnreadablePath[] } {
  if (unreadable.size === 0) return {};
  const entries = [...unreadable].map(([file, reason]) => ({ path: file, reason }));
  return { unreadable: entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
  EISDIR: 'a folder where a file belongs',
  EMFILE: 'too many open files',
};

/** A read failure in a few words: "permission denied (EACCES)", or what a refusing reader said. */
export function failureReason(error: unknown): string {
  if (error instanceof ConfinementError) return error.reason;
  if (FsError.isInstance(error)) return `${REASONS[error.code] ?? 'cannot be read'} (${error.code})`;
  return errorMessage(error);
}
