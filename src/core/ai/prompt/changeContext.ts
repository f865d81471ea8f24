import { posix as path } from 'node:path';
import { readFileIfExists, type FileSystem } from '../../fs/fileSystem';
import { parseMainSpec } from '../../openspec/specDocuments';
import { parseProjectConfig } from '../../openspec/yamlFiles';
import { scanChange } from '../../openspec/workspaceScanner';
import type { Change, MainSpecDocument, OpenSpecWorkspace, ProjectConfig, YamlDocument } from '../../openspec/model';

/** Everything a prompt about one change may draw on, parsed by the same model the editor shows. */
export interface ChangeContext {
  /** The project folder (the one containing `openspec/`). */
  readonly root: string;
  readonly change: Change;
  readonly config?: YamlDocument<ProjectConfig>;
  /** The main specs the change's deltas touch; a delta for a new capability has none. */
  readonly mainSpecs: readonly MainSpecDocument[];
}

export class ChangeNotFoundError extends Error {
  override readonly name = 'ChangeNotFoundError';

  constructor(readonly changeId: string) {
    super(`No change "${changeId}" under openspec/changes/.`);
  }
}

/** Reads one change, its touched main specs and config.yaml, without scanning the rest of the project. */
export async function loadChangeContext(fs: FileSystem, root: string, changeId: string): Promise<ChangeContext> {
  const openspecDir = path.join(root, 'openspec');
  const dir = path.join(openspecDir, 'changes', changeId);
  if (!isPlainChangeId(changeId) || (await fs.stat(dir)) !== 'directory') throw new ChangeNotFoundError(changeId);
  const [change, config] = await Promise.all([scanChange(fs, dir), readConfig(fs, openspecDir)]);
  const capabilities = [...new Set(change.deltas.map((delta) => delta.capability))];
  const specs = await Promise.all(
    capabilities.map(async (capability) => {
      const file = path.join(openspecDir, 'specs', capability, 'spec.md');
      const text = await readFileIfExists(fs, file).catch(() => undefined);
      return text === undefined ? undefined : parseMainSpec(file, capability, text);
    }),
  );
  return {
    root,
    change,
    ...(config ? { config } : {}),
    mainSpecs: specs.filter((spec): spec is MainSpecDocument => spec !== undefined),
  };
}

/** The same context from a model the caller already holds (the extension's live model, unsaved text included). */
export function changeContextFromWorkspace(workspace: OpenSpecWorkspace, changeId: string): ChangeContext {
  const change = workspace.changes.find((candidate) => candidate.id === changeId);
  if (!change) throw new ChangeNotFoundError(changeId);
  const capabilities = new Set(change.deltas.map((delta) => delta.capability));
  return {
    root: workspace.root,
    change,
    ...(workspace.config ? { config: workspace.config } : {}),
    mainSpecs: workspace.specs.filter((spec) => capabilities.has(spec.capability)),
  };
}

async function readConfig(fs: FileSystem, openspecDir: string): Promise<YamlDocument<ProjectConfig> | undefined> {
  for (const name of ['config.yaml', 'config.yml']) {
    const file = path.join(openspecDir, name);
    const text = await readFileIfExists(fs, file).catch(() => undefined);
    if (text !== undefined) return parseProjectConfig(file, text);
  }
  return undefined;
}

/** A change id names one folder under changes/: no separators, no `..`, not the archive. */
function isPlainChangeId(changeId: string): boolean {
  return changeId !== '' && changeId !== 'archive' && !changeId.startsWith('.') && !/[\\/]/.test(changeId);
}
