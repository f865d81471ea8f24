import { posix as path } from 'node:path';
import { parseYamlCached as parseYaml } from './yamlCache';
import { type FileSystem } from '../fs/fileSystem';
import { folderStyleNameProblem } from './itemDiscovery';

/**
 * Finding the OpenSpec root from a working directory the way `openspec validate` does: the nearest ancestor
 * whose `openspec/` folder has a specs/ or changes/ folder or a config file. Registered stores are outside
 * this project, so a `store:` declaration is answered as the CLI answers it when no store is registered.
 */
export type RootSource = 'nearest' | 'implicit';

export interface OpenSpecRoot {
  path: string;
  changesDir: string;
  specsDir: string;
  archiveDir: string;
  source: RootSource;
}

/** The `root` object `--json` output carries. */
export interface RootOutput {
  path: string;
  source: RootSource;
}

/** The CLI's error envelope entry: `{"status":[diagnostic]}`; key order matches its JSON. */
export interface Diagnostic {
  severity: 'error';
  code: string;
  message: string;
  target?: string;
  fix?: string;
}

export class RootSelectionError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(message: string, code: string, options: { target?: string; fix?: string } = {}) {
    super(message);
    this.name = 'RootSelectionError';
    this.diagnostic = { severity: 'error', code, message, ...options };
  }
}

export function makeRoot(rootPath: string, source: RootSource): OpenSpecRoot {
  return {
    path: rootPath,
    changesDir: path.join(rootPath, 'openspec', 'changes'),
    specsDir: path.join(rootPath, 'openspec', 'specs'),
    archiveDir: path.join(rootPath, 'openspec', 'changes', 'archive'),
    source,
  };
}

export function toRootOutput(root: OpenSpecRoot): RootOutput {
  return { path: root.path, source: root.source };
}

export interface ResolveRootOptions {
  /** Bulk runs (--all/--changes/--specs) refuse to treat the working directory as an implicit root. */
  allowImplicitRoot?: boolean;
  /** Receives the CLI's warning when a real root also declares a store. */
  warn?: (message: string) => void;
}

/** Resolves the root for `startPath` (absolute, POSIX); throws RootSelectionError like the CLI. */
export async function resolveOpenSpecRoot(
  fs: FileSystem,
  startPath: string,
  options: ResolveRootOptions = {},
): Promise<OpenSpecRoot> {
  const start = await searchStart(fs, startPath);
  let candidate = await nearestOpenSpecParent(fs, start);
  while (candidate !== undefined) {
    const shape = await classifyOpenSpecDir(fs, candidate);
    if (shape.hasPlanningShape || shape.pointer.filePath) return resolveNearest(candidate, shape, options);
    const parent = path.dirname(candidate);
    if (parent === candidate) break;
    candidate = await nearestOpenSpecParent(fs, parent);
  }
  if (options.allowImplicitRoot === false) {
    throw new RootSelectionError('No OpenSpec root found from the current directory.', 'no_openspec_root', {
      target: 'openspec.root',
      fix: 'Run openspec init to create a root here.',
    });
  }
  return makeRoot(start, 'implicit');
}

async function searchStart(fs: FileSystem, startPath: string): Promise<string> {
  const resolved = path.resolve(startPath);
  const kind = await fs.stat(resolved);
  if (kind === undefined) return resolved;
  return fs.realPath(kind === 'directory' ? resolved : path.dirname(resolved));
}

async function nearestOpenSpecParent(fs: FileSystem, from: string): Promise<string | undefined> {
  let current = from;
  for (;;) {
    if ((await fs.stat(path.join(current, 'openspec'))) === 'directory') return fs.realPath(current);
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

interface StorePointer {
  filePath?: string;
  value?: string;
  malformed?: 'unparseable' | 'non_string';
}

async function classifyOpenSpecDir(
  fs: FileSystem,
  projectRoot: string,
): Promise<{ hasPlanningShape: boolean; pointer: StorePointer }> {
  const openspecDir = path.join(projectRoot, 'openspec');
  const isPlanningDir = async (dir: string) =>
    (await fs.stat(dir)) === 'directory' &&
    (await fs.stat(path.join(dir, '.openspec-store', 'store.yaml'))) === undefined;
  const hasPlanningShape =
    (await isPlanningDir(path.join(openspecDir, 'specs'))) || (await isPlanningDir(path.join(openspecDir, 'changes')));
  return { hasPlanningShape, pointer: await readStorePointer(fs, openspecDir) };
}

async function readStorePointer(fs: FileSystem, openspecDir: string): Promise<StorePointer> {
  let filePath: string | undefined;
  for (const name of ['config.yaml', 'config.yml']) {
    const candidate = path.join(openspecDir, name);
    if ((await fs.stat(candidate)) !== undefined) {
      filePath = candidate;
      break;
    }
  }
  if (filePath === undefined) return {};
  try {
    const raw: unknown = parseYaml(await fs.readFile(filePath));
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { filePath };
    const value = (raw as { store?: unknown }).store;
    if (value === undefined) return { filePath };
    return typeof value === 'string' ? { filePath, value } : { filePath, malformed: 'non_string' };
  } catch {
    return { filePath, malformed: 'unparseable' };
  }
}

function resolveNearest(
  candidate: string,
  shape: { hasPlanningShape: boolean; pointer: StorePointer },
  options: ResolveRootOptions,
): OpenSpecRoot {
  const { pointer } = shape;
  const file = pointer.filePath ?? '';
  if (shape.hasPlanningShape) {
    if (pointer.value !== undefined) {
      options.warn?.(
        `Warning: ${file} declares store '${pointer.value}', but this directory is a real OpenSpec root; the declaration is ignored.`,
      );
    }
    return makeRoot(candidate, 'nearest');
  }
  if (pointer.malformed) {
    const problem =
      pointer.malformed === 'unparseable'
        ? 'the config file could not be read as YAML'
        : 'the store key must be a single store id string';
    throw new RootSelectionError(`Invalid store declaration in ${file}: ${problem}.`, 'invalid_store_pointer', {
      target: 'store.pointer',
      fix:
        pointer.malformed === 'unparseable'
          ? `Fix the YAML syntax in ${file}.`
          : `Edit ${file} so the store key is a registered store id, or remove it.`,
    });
  }
  if (pointer.value === undefined) return makeRoot(candidate, 'nearest');
  throw declaredStoreError(pointer.value, file);
}

/** A config-only `openspec/` that points at a store: answered as the CLI does when no store is registered. */
function declaredStoreError(id: string, file: string): RootSelectionError {
  const kebabFix = 'Use kebab-case with lowercase letters, numbers, and single hyphen separators.';
  const problem =
    folderStyleNameProblem(id, 'Store id') ??
    (/^[a-z0-9]+(?:-[a-z0-9]+)*$/u.test(id)
      ? null
      : 'Store id must be kebab-case with lowercase letters, numbers, and single hyphen separators');
  if (problem) {
    return new RootSelectionError(`Declared in ${file}: ${problem}`, 'invalid_store_id', {
      target: 'store.id',
      fix: kebabFix,
    });
  }
  return new RootSelectionError(
    `Declared in ${file}: Unknown store '${id}'. No stores are registered.`,
    'no_registered_stores',
    {
      target: 'store.id',
      fix: `Run openspec store setup ${id} or openspec store register <path> first.`,
    },
  );
}
