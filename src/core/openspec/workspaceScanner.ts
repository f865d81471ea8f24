import { posix as path } from 'node:path';
import { FsError, readFileIfExists, type FileSystem } from '../fs/fileSystem';
import { discoverSpecFiles } from '../validation/specDiscovery';
import { parseArchiveName } from './documentPaths';
import { parseDesign, parseProposal, parseTasks } from './changeDocuments';
import { parseDeltaSpec, parseMainSpec } from './specDocuments';
import { ParseCache } from './parseCache';
import { parseChangeMetadata, parseProjectConfig } from './yamlFiles';
import type { ArchivedChange, Change, DeltaSpecDocument, MainSpecDocument, OpenSpecWorkspace } from './model';

/**
 * Reads a whole `openspec/` folder into the model. Every file is read once, in parallel; unreadable or
 * malformed files become model nodes with what could be read, never exceptions. A `cache` kept between
 * scans skips re-parsing files whose text has not changed.
 */
export async function scanWorkspace(
  fs: FileSystem,
  root: string,
  cache = new ParseCache(),
): Promise<OpenSpecWorkspace | undefined> {
  const openspecDir = path.join(root, 'openspec');
  if ((await fs.stat(openspecDir)) !== 'directory') return undefined;
  const changesDir = path.join(openspecDir, 'changes');
  const [configText, configYmlText, projectMd, changeIds, archiveIds, specs] = await Promise.all([
    readQuietly(fs, path.join(openspecDir, 'config.yaml')),
    readQuietly(fs, path.join(openspecDir, 'config.yml')),
    fs.stat(path.join(openspecDir, 'project.md')),
    listDirectories(fs, changesDir, (name) => name !== 'archive'),
    listDirectories(fs, path.join(changesDir, 'archive')),
    scanMainSpecs(fs, path.join(openspecDir, 'specs'), cache),
  ]);
  const [changes, archive] = await Promise.all([
    Promise.all(changeIds.map((id) => scanChange(fs, path.join(changesDir, id), cache))),
    Promise.all(archiveIds.map((folder) => scanArchivedChange(fs, path.join(changesDir, 'archive', folder), cache))),
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
  };
}

/** Reads one change folder: its metadata, proposal, design, tasks and every `specs/**\/spec.md`. */
export async function scanChange(fs: FileSystem, dir: string, cache = new ParseCache()): Promise<Change> {
  const file = (name: string) => path.join(dir, name);
  const [metadata, proposal, design, tasks, deltaFiles, mtimes] = await Promise.all([
    readQuietly(fs, file('.openspec.yaml')),
    readQuietly(fs, file('proposal.md')),
    readQuietly(fs, file('design.md')),
    readQuietly(fs, file('tasks.md')),
    findSpecFiles(fs, file('specs')),
    Promise.all(['proposal.md', 'design.md', 'tasks.md', '.openspec.yaml'].map((name) => fs.mtime(file(name)))),
  ]);
  const deltas = await Promise.all(
    deltaFiles.map(async ({ capability, specFile }): Promise<DeltaSpecDocument | undefined> => {
      const text = await readQuietly(fs, specFile);
      return text === undefined
        ? undefined
        : cache.parse(specFile, text, (content) => parseDeltaSpec(specFile, capability, content));
    }),
  );
  return {
    id: path.basename(dir),
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
  };
}

async function scanArchivedChange(fs: FileSystem, dir: string, cache: ParseCache): Promise<ArchivedChange> {
  const change = await scanChange(fs, dir, cache);
  return { ...change, ...parseArchiveName(change.id) };
}

async function scanMainSpecs(fs: FileSystem, specsDir: string, cache: ParseCache): Promise<MainSpecDocument[]> {
  const files = await findSpecFiles(fs, specsDir);
  const specs = await Promise.all(
    files.map(async ({ capability, specFile }) => {
      const text = await readQuietly(fs, specFile);
      return text === undefined
        ? undefined
        : cache.parse(specFile, text, (content) => parseMainSpec(specFile, capability, content));
    }),
  );
  return specs
    .filter((spec): spec is MainSpecDocument => spec !== undefined)
    .sort((a, b) => a.capability.localeCompare(b.capability));
}

/**
 * Every capability `spec.md` below `specsDir`, with its capability path (`audit/log`): exactly the files
 * `openspec validate` reads, so the tree never shows a spec the validator skips or hides one it checks.
 * Where discovery refuses (an unreadable folder, a link leading outside), the model shows none and the
 * validator reports why.
 */
export async function findSpecFiles(
  fs: FileSystem,
  specsDir: string,
): Promise<Array<{ capability: string; specFile: string }>> {
  try {
    const discovered = await discoverSpecFiles(fs, specsDir);
    return discovered
      .map(({ id, specFile }) => ({ capability: id, specFile }))
      .sort((a, b) => a.capability.localeCompare(b.capability));
  } catch {
    return [];
  }
}

async function listDirectories(
  fs: FileSystem,
  dir: string,
  keep: (name: string) => boolean = () => true,
): Promise<string[]> {
  try {
    const entries = await fs.readDirectory(dir);
    return entries
      .filter((entry) => entry.kind === 'directory' && !entry.name.startsWith('.') && keep(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if (FsError.is(error)) return [];
    throw error;
  }
}

/** A file's text, or undefined when it is missing or cannot be read (the model shows what it can). */
async function readQuietly(fs: FileSystem, file: string): Promise<string | undefined> {
  try {
    return await readFileIfExists(fs, file);
  } catch {
    return undefined;
  }
}
