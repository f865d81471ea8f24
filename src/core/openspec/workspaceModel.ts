import { posix as path } from 'node:path';
import type { Pause } from '../async/timeSlices';
import type { FileSystem } from '../fs/fileSystem';
import { classifyDocument, parseArchiveName, type DocumentRole } from './documentPaths';
import { parseDesign, parseProposal, parseTasks } from './changeDocuments';
import { parseDeltaSpec, parseMainSpec } from './specDocuments';
import { parseChangeMetadata, parseProjectConfig } from './yamlFiles';
import { ParseCache } from './parseCache';
import { scanChange, scanWorkspace } from './workspaceScanner';
import type { ArchivedChange, Change, MainSpecDocument, OpenSpecWorkspace } from './model';
import { fullReadDelta } from './workspaceDelta';
import { compareText } from '../compareText';

/** What an update touched, so views refresh only those nodes. */
export interface ModelDelta {
  readonly changes: readonly string[];
  readonly specs: readonly string[];
  readonly archive: boolean;
  readonly config: boolean;
}

const NOTHING: ModelDelta = { changes: [], specs: [], archive: false, config: false };

/**
 * The live model of one `openspec/` folder. `updateDocument` re-parses a single document from text (an
 * editor keystroke or a saved file) without touching the disk; `refresh` re-reads a folder from disk when
 * files appear or disappear. Snapshots are immutable: readers keep a consistent view while updates land.
 */
export class WorkspaceModel {
  /**
   * One record per refresh in flight of the documents updated from text meanwhile (file → latest text): the
   * refresh read the disk before those keystrokes, so its result gets them again instead of losing them.
   */
  private readonly refreshing = new Set<Map<string, string>>();
  /**
   * The disk reads, one after another: a scan given back to the editor in slices would otherwise let a read
   * that started earlier land after a newer one and put back what the disk held before.
   */
  private reads: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly fs: FileSystem,
    private current: OpenSpecWorkspace,
    private readonly cache: ParseCache,
    private readonly pause: Pause | undefined,
  ) {}

  /** `pause` is awaited between the files of every full scan, this one and each `refresh` of everything. */
  static async load(fs: FileSystem, root: string, pause?: Pause): Promise<WorkspaceModel | undefined> {
    const cache = new ParseCache();
    const workspace = await scanWorkspace(fs, root, cache, pause);
    cache.sweep();
    return workspace ? new WorkspaceModel(fs, workspace, cache, pause) : undefined;
  }

  get workspace(): OpenSpecWorkspace {
    return this.current;
  }

  /** Re-parses one document from its text. Returns undefined when the path needs a folder refresh instead. */
  updateDocument(file: string, text: string): ModelDelta | undefined {
    for (const edits of this.refreshing) edits.set(file, text);
    return this.applyText(file, text);
  }

  private applyText(file: string, text: string): ModelDelta | undefined {
    const role = classifyDocument(this.current.openspecDir, file);
    switch (role.kind) {
      case 'config':
        this.current = { ...this.current, config: parseProjectConfig(file, text) };
        return { ...NOTHING, config: true };
      case 'mainSpec':
        this.current = {
          ...this.current,
          specs: upsertSpec(this.current.specs, parseMainSpec(file, role.capability, text)),
        };
        return { ...NOTHING, specs: [role.capability] };
      case 'proposal':
      case 'design':
      case 'tasks':
      case 'changeMetadata':
      case 'delta':
        return this.updateChange(role, (change) => withDocument(change, role, file, text));
      default:
        return undefined;
    }
  }

  /**
   * Re-reads whatever `file` belongs to from disk: a change folder, a spec, the config, or everything. Text
   * updates that arrive while it reads are applied again on top of what it read. Reads run in the order asked.
   */
  async refresh(file?: string): Promise<ModelDelta> {
    const edits = new Map<string, string>();
    this.refreshing.add(edits);
    const read = this.reads.then(() => this.readFromDisk(file));
    this.reads = read.catch(() => undefined);
    try {
      return await read;
    } finally {
      this.refreshing.delete(edits);
      for (const [edited, text] of edits) this.applyText(edited, text);
    }
  }

  private async readFromDisk(file: string | undefined): Promise<ModelDelta> {
    const role = file ? classifyDocument(this.current.openspecDir, file) : { kind: 'other' as const };
    if (
      role.kind === 'proposal' ||
      role.kind === 'design' ||
      role.kind === 'tasks' ||
      role.kind === 'changeMetadata' ||
      role.kind === 'delta' ||
      role.kind === 'changeFile'
    ) {
      const dir = role.archived
        ? path.join(this.current.openspecDir, 'changes', 'archive', role.changeId)
        : path.join(this.current.openspecDir, 'changes', role.changeId);
      if ((await this.fs.stat(dir)) === 'directory') {
        const change = await scanChange(this.fs, dir, this.cache);
        this.replaceChange(role.changeId, role.archived, change);
        return role.archived ? { ...NOTHING, archive: true } : { ...NOTHING, changes: [role.changeId] };
      }
    }
    const workspace = await scanWorkspace(this.fs, this.current.root, this.cache, this.pause);
    this.cache.sweep();
    const before = this.current;
    // openspec/ is gone: the model keeps what it showed, and everything is announced for a fresh look.
    if (!workspace) return everythingIn(before);
    this.current = workspace;
    return fullReadDelta(before, workspace);
  }

  private updateChange(
    role: { changeId: string; archived: boolean },
    update: (change: Change) => Change,
  ): ModelDelta | undefined {
    const list: readonly Change[] = role.archived ? this.current.archive : this.current.changes;
    const existing = list.find((change) => change.id === role.changeId);
    if (!existing) return undefined;
    this.replaceChange(role.changeId, role.archived, update(existing));
    return role.archived ? { ...NOTHING, archive: true } : { ...NOTHING, changes: [role.changeId] };
  }

  private replaceChange(id: string, archived: boolean, change: Change): void {
    if (archived) {
      const entry: ArchivedChange = { ...change, ...parseArchiveName(change.id) };
      this.current = { ...this.current, archive: upsertById(this.current.archive, entry) };
    } else {
      this.current = { ...this.current, changes: upsertById(this.current.changes, { ...change, id }) };
    }
  }
}

function withDocument(change: Change, role: DocumentRole, file: string, text: string): Change {
  switch (role.kind) {
    case 'proposal':
      return { ...change, proposal: parseProposal(file, text) };
    case 'design':
      return { ...change, design: parseDesign(file, text) };
    case 'tasks':
      return { ...change, tasks: parseTasks(file, text) };
    case 'changeMetadata':
      return { ...change, metadata: parseChangeMetadata(file, text) };
    case 'delta': {
      const delta = parseDeltaSpec(file, role.capability, text);
      const others = change.deltas.filter((existing) => existing.path !== delta.path);
      return { ...change, deltas: [...others, delta].sort((a, b) => compareText(a.capability, b.capability)) };
    }
    default:
      return change;
  }
}

function upsertSpec(specs: readonly MainSpecDocument[], spec: MainSpecDocument): MainSpecDocument[] {
  const others = specs.filter((existing) => existing.capability !== spec.capability);
  return [...others, spec].sort((a, b) => compareText(a.capability, b.capability));
}

function upsertById<T extends { id: string }>(list: readonly T[], item: T): T[] {
  const others = list.filter((existing) => existing.id !== item.id);
  return [...others, item].sort((a, b) => compareText(a.id, b.id));
}

function everythingIn(workspace: OpenSpecWorkspace): ModelDelta {
  return {
    changes: workspace.changes.map((change) => change.id),
    specs: workspace.specs.map((spec) => spec.capability),
    archive: true,
    config: true,
  };
}
