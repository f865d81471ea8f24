import { posix as path } from 'node:path';
import * as vscode from 'vscode';
import type { Change } from '../../core/openspec/model';
import { rememberedFor } from '../../core/weakMemo';
import type { FolderModel, ModelChange, OpenSpecModels } from '../model/openSpecModels';
import { aiGroups, loopChildren, proposalChildren, reviewChildren, type AiTreeSource } from './aiChildren';
import { changeChildren, deltaChildren, scenarioNodes, taskNodes, tasksChildren } from './changeChildren';
import type { ChangeNode, ExplorerNode, ViewKind } from './explorerNodes';
import { capabilityChildren, specChildren } from './specChildren';
import { changeRowDetails, toTreeItem } from './treeItems';
import { changeVerdict, type ChangeVerdict } from './changeVerdict';
import { NodeFileSystem, toPosix } from '../../node/nodeFileSystem';
import { compareText } from '../../core/compareText';

/**
 * One of the three explorer trees. Everything is built from the folders' current snapshots, never from the
 * disk, so expanding a node costs no I/O. Change nodes are kept as the same objects between refreshes so a
 * model update can refresh just the changes it touched.
 */
export class ExplorerTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private changeNodes = new Map<string, ChangeNode>();
  /** The validation icon each change row was last drawn with: a diagnostics change redraws only rows it alters. */
  private readonly drawnVerdicts = new WeakMap<ChangeNode, ChangeVerdict>();
  private shownFolders: readonly FolderModel[] = [];

  /** False until every folder's model has been read: meanwhile the Changes view shows the listed names. */
  private modelsRead = false;
  private showsListed = false;
  /**
   * The listed names, read in the turn after activation rather than when the view first asks: the view's request
   * comes a round trip to the workbench later, and the listing (a folder read, the collator's first use, the
   * sort) is then no longer between it and the first rows. A change made in between shows with the models.
   */
  private listing: Promise<ExplorerNode[]> | undefined;

  constructor(
    private readonly models: OpenSpecModels,
    readonly view: ViewKind,
    private readonly ai?: AiTreeSource,
    /** Told once the first rows are handed over (see firstRows.ts). */
    private readonly firstRowsAnswered?: () => void,
  ) {
    // The listed rows become change rows (same ids) as soon as the models are there.
    const read = () => {
      this.modelsRead = true;
      if (this.showsListed) this.refreshAll();
      this.showsListed = false;
    };
    models.ready.then(read, read);
    if (view === 'changes')
      setTimeout(() => {
        if (!this.modelsRead) this.listing ??= listedChanges(view);
      }, 0);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const aiCount =
      node.kind === 'review'
        ? (this.ai?.findings(node.folder, node.changeId).length ?? 0)
        : node.kind === 'proposals'
          ? (this.ai?.proposals(node.folder, node.changeId).length ?? 0)
          : 0;
    const change = node.kind === 'change' ? currentChange(node) : undefined;
    const verdict = node.kind === 'change' && change && !node.archived ? changeVerdict(change) : undefined;
    if (verdict && node.kind === 'change') this.drawnVerdicts.set(node, verdict);
    return toTreeItem(node, change, aiCount, verdict);
  }

  /**
   * Redraws the change rows whose validation icon is now different. A full redraw hands the host every row of
   * the view (1,000 changes held its thread for about 50 ms); a validation pass alters a few.
   */
  redrawVerdicts(): void {
    // The host gathers the rows fired within a moment into one refresh.
    for (const node of this.changeNodes.values()) {
      const drawn = this.drawnVerdicts.get(node);
      const change = drawn === undefined ? undefined : currentChange(node);
      if (change && changeVerdict(change) !== drawn) this.emitter.fire(node);
    }
  }

  /** Called on the first hover or click of an item: a change row's tooltip and click are made here (changeItem). */
  resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): vscode.TreeItem {
    const change = node.kind === 'change' ? currentChange(node) : undefined;
    if (node.kind !== 'change' || !change) return item;
    const details = changeRowDetails(node, change);
    item.tooltip ??= details.tooltip;
    if (details.command) item.command ??= details.command;
    return item;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node) return this.childrenOf(node);
    if (!this.modelsRead && this.view === 'changes') {
      const early = this.listing;
      // Used once: a later request (a refresh before the models are read) lists the folder as it is then.
      this.listing = undefined;
      const listed = await (early ?? listedChanges(this.view));
      // After this turn, once the host has turned the rows into items and sent them.
      if (this.firstRowsAnswered) setImmediate(this.firstRowsAnswered);
      // Read meanwhile: the real rows, at once.
      if (listed.length > 0 && !this.modelsRead) {
        this.showsListed = true;
        return listed;
      }
    }
    await this.models.ready;
    const folders = this.models.folders;
    this.shownFolders = folders;
    // Drop nodes of changes that are gone; the rest stay the same objects so update() can refresh them.
    this.changeNodes = new Map(
      [...this.changeNodes].filter(([, known]) => folders.includes(known.folder) && currentChange(known)),
    );
    if (folders.length === 1 && folders[0]) return this.rootsOf(folders[0]);
    return folders.map((folder): ExplorerNode => ({
      kind: 'workspaceFolder',
      id: this.folderNodeId(folder),
      folder,
      view: this.view,
    }));
  }

  /**
   * Only change nodes are ever revealed (Show in Explorer), so only they need a parent: the workspace-folder
   * node when the tree groups by folder, none otherwise.
   */
  getParent(node: ExplorerNode): ExplorerNode | undefined {
    if (node.kind !== 'change' || this.models.folders.length < 2) return undefined;
    return { kind: 'workspaceFolder', id: this.folderNodeId(node.folder), folder: node.folder, view: this.view };
  }

  /** The node the tree shows for a change, with the same id (and so the same row) as getChildren gives it. */
  nodeForChange(folder: FolderModel, changeId: string, archived: boolean): ChangeNode {
    const parentId = this.models.folders.length < 2 ? this.view : this.folderNodeId(folder);
    const id = `${parentId}/change:${changeId}`;
    const node = this.changeNodes.get(id) ?? { kind: 'change', id, folder, changeId, archived };
    this.changeNodes.set(id, node);
    return node;
  }

  private folderNodeId(folder: FolderModel): string {
    return `${this.view}:${folder.root}`;
  }

  /** Refreshes what a model update touched: single changes when it can, the whole tree otherwise. */
  update(change: ModelChange): void {
    const folders = this.models.folders;
    if (
      folders.length !== this.shownFolders.length ||
      folders.some((folder, index) => folder !== this.shownFolders[index])
    ) {
      this.refreshAll();
      return;
    }
    const { delta } = change;
    if (this.view === 'specs' && delta.specs.length > 0) this.refreshAll();
    if (this.view === 'archive' && delta.archive) this.refreshAll();
    if (this.view !== 'changes' || delta.changes.length === 0) return;
    const touched: ChangeNode[] = [];
    const parentId = folders.length < 2 ? this.view : this.folderNodeId(change.folder);
    for (const id of delta.changes) {
      const node = this.changeNodes.get(`${parentId}/change:${id}`);
      // A change that appeared or disappeared changes the list itself.
      if (!node || !currentChange(node)) {
        this.refreshAll();
        return;
      }
      touched.push(node);
    }
    for (const node of touched) this.emitter.fire(node);
  }

  refreshAll(): void {
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private rootsOf(folder: FolderModel): ExplorerNode[] {
    const { workspace } = folder;
    if (this.view === 'specs')
      return capabilityChildren(
        folder,
        this.models.folders.length < 2 ? this.view : this.folderNodeId(folder),
        workspace.specs,
        '',
      );
    const archived = this.view === 'archive';
    const changes: readonly Change[] = archived ? workspace.archive : workspace.changes;
    const ids = changes.map((change) => change.id).sort((a, b) => (archived ? compareText(b, a) : compareText(a, b)));
    return ids.map((changeId) => this.nodeForChange(folder, changeId, archived));
  }

  private childrenOf(node: ExplorerNode): ExplorerNode[] {
    if (node.kind === 'listedChange') return [];
    const { folder } = node;
    switch (node.kind) {
      case 'workspaceFolder':
        return this.rootsOf(folder);
      case 'change': {
        const change = currentChange(node);
        if (!change) return [];
        return node.archived
          ? changeChildren(folder, node.id, change)
          : [...changeChildren(folder, node.id, change), ...aiGroups(this.ai, folder, node.id, change.id)];
      }
      case 'review':
        return reviewChildren(this.ai, folder, node.id, node.changeId);
      case 'proposals':
        return proposalChildren(this.ai, folder, node.id, node.changeId);
      case 'loopRun':
        return loopChildren(folder, node.id, node.running ? node.running.iterations : node.report.iterations);
      case 'tasks':
        return tasksChildren(folder, node.id, node.document);
      case 'taskGroup':
        return taskNodes(folder, node.id, node.document, node.group);
      case 'delta':
        return deltaChildren(folder, node.id, node.document);
      case 'requirement':
        return scenarioNodes(node);
      case 'capabilityFolder':
        return capabilityChildren(folder, node.id, folder.workspace.specs, node.prefix);
      case 'spec':
        return specChildren(folder, node.id, folder.workspace.specs, node.document);
      // Leaves.
      case 'proposal':
      case 'design':
      case 'task':
      case 'scenario':
      case 'reviewFinding':
      case 'aiProposal':
      case 'loopIteration':
        return [];
    }
  }
}

/**
 * The active changes of a window with one folder, by the folder listing of `openspec/changes/`: reading a
 * thousand changes into the model takes a second or more, listing their names a few milliseconds. With
 * several folders (whose rows group by folder) or no listing, none: the view then waits for the models.
 */
async function listedChanges(view: ViewKind): Promise<ExplorerNode[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const [only] = folders;
  if (!only || folders.length > 1 || only.uri.scheme !== 'file') return [];
  const changesDir = path.join(toPosix(only.uri.fsPath), 'openspec', 'changes');
  const entries = await new NodeFileSystem().readDirectory(changesDir).catch(() => []);
  return entries
    .filter((entry) => entry.kind === 'directory' && entry.name !== 'archive' && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort((a, b) => compareText(a, b))
    .map((changeId): ExplorerNode => ({ kind: 'listedChange', id: `${view}/change:${changeId}`, changeId }));
}

/** The change a node stands for in its folder's current snapshot. */
export function currentChange(node: ChangeNode): Change | undefined {
  const { workspace } = node.folder;
  return changesById(node.archived ? workspace.archive : workspace.changes).get(node.changeId);
}

/**
 * Snapshots are replaced, never mutated, so an index per list stays right as long as the list lives; a redraw of
 * 1,000 change rows otherwise searched the list once per row.
 */
const indexes = new WeakMap<readonly Change[], ReadonlyMap<string, Change>>();
function changesById(changes: readonly Change[]): ReadonlyMap<string, Change> {
  return rememberedFor(indexes, changes, () => new Map(changes.map((change) => [change.id, change])));
}
