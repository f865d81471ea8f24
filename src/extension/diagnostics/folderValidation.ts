import * as vscode from 'vscode';
import { locateItemIssues } from '../../core/diagnostics/locateIssues';
import { checkChange } from '../../core/lint/changeChecks';
import type { Logger } from '../../core/logger';
import type { OpenSpecWorkspace } from '../../core/openspec/model';
import { makeRoot } from '../../core/validation/projectRoot';
import {
  ItemSelectionError,
  validateItems,
  type ItemType,
  type ValidatedItem,
  type ValidationSelection,
} from '../../core/validation/validateItems';
import { hostPause } from '../hostPause';
import type { FolderModel } from '../model/openSpecModels';
import type { DiagnosticStore } from './diagnosticStore';

/** What to re-validate: everything, or the named changes and specs. */
export interface ValidationScope {
  readonly all: boolean;
  readonly changes: readonly string[];
  readonly specs: readonly string[];
}

/** One completed validation pass of a folder, as tests see it: what it covered and the model it read. */
export interface ValidationPass {
  readonly root: string;
  readonly scope: ValidationScope;
  /**
   * The folder's model snapshot when the pass started. Snapshots are replaced, never mutated, so a change
   * object that is still the model's own (`===`) was validated as it is now.
   */
  readonly workspace: OpenSpecWorkspace;
}

interface PendingScope {
  all: boolean;
  changes: Set<string>;
  specs: Set<string>;
}

/**
 * Keeps one folder's diagnostics current. Requests are merged and run one at a time, so an older run never
 * lands after a newer one; a delay debounces typing. The validator reads `folder.fs`, which holds the
 * unsaved editor text, and only the items a change touched are run again. A pass yields the host thread
 * between items; an edit made meanwhile queues its own pass, which publishes after this one.
 */
export class FolderValidation implements vscode.Disposable {
  private pending: PendingScope | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private disposed = false;

  constructor(
    private readonly folder: FolderModel,
    private readonly stores: { readonly cli: DiagnosticStore; readonly lint: DiagnosticStore },
    private readonly logger: Logger,
    /** Told after every pass that published its diagnostics. */
    private readonly onDidValidate: (pass: ValidationPass) => void = () => {},
  ) {}

  request(scope: ValidationScope, delayMs: number): void {
    if (this.disposed) return;
    const pending = (this.pending ??= { all: false, changes: new Set(), specs: new Set() });
    pending.all ||= scope.all;
    for (const id of scope.changes) pending.changes.add(id);
    for (const id of scope.specs) pending.specs.add(id);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, delayMs);
  }

  /** Stops validating and takes the folder's findings out of the Problems panel (the folder left the window). */
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.stores.cli.retainOnly(this.key(), new Set());
    this.stores.lint.retainOnly(this.key(), new Set());
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      // A timer still pending means the user is typing: its own drain takes the merged scope later.
      while (this.pending && !this.timer && !this.disposed) {
        const scope = this.pending;
        this.pending = undefined;
        await this.run(scope);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(scope: PendingScope): Promise<void> {
    const workspace = this.folder.workspace;
    const started = Date.now();
    try {
      const items = scope.all
        ? await this.validate({ kind: 'bulk', changes: true, specs: true })
        : await this.validateScope(workspace, scope);
      if (this.disposed) return;
      const seen = new Set<string>();
      for (const item of items) {
        await hostPause();
        if (this.disposed) return;
        const key = this.key(item.type, item.id);
        seen.add(key);
        this.stores.cli.replace(key, locateItemIssues(item, workspace), (file) => this.folder.toUri(file));
      }
      if (scope.all) this.stores.cli.retainOnly(this.key(), seen);
      else
        for (const [type, ids] of [
          ['change', scope.changes],
          ['spec', scope.specs],
        ] as const) {
          for (const id of ids)
            if (!seen.has(this.key(type, id)))
              this.stores.cli.replace(this.key(type, id), [], (file) => this.folder.toUri(file));
        }
      await this.lintAll(workspace);
      if (this.disposed) return;
      this.logger.debug(`Validated ${items.length} item(s) of ${this.folder.root} in ${Date.now() - started} ms`);
      this.onDidValidate({
        root: this.folder.root,
        scope: { all: scope.all, changes: [...scope.changes], specs: [...scope.specs] },
        workspace,
      });
    } catch (error) {
      this.logger.error(`Validation of ${this.folder.root} failed`, error);
    }
  }

  /** A main spec's text also decides its changes' MODIFIED and archive checks, so those run again with it. */
  private async validateScope(workspace: OpenSpecWorkspace, scope: PendingScope): Promise<ValidatedItem[]> {
    const known = new Set(workspace.changes.map((change) => change.id));
    const changes = new Set([...scope.changes].filter((id) => known.has(id)));
    for (const change of workspace.changes) {
      if (change.deltas.some((delta) => scope.specs.has(delta.capability))) changes.add(change.id);
    }
    const specs = workspace.specs.map((spec) => spec.capability).filter((id) => scope.specs.has(id));
    return [...(await this.validateNamed([...changes], 'change')), ...(await this.validateNamed(specs, 'spec'))];
  }

  private async validateNamed(names: string[], type: ItemType): Promise<ValidatedItem[]> {
    if (names.length === 0) return [];
    try {
      return await this.validate({ kind: 'items', names, type });
    } catch (error) {
      if (!(error instanceof ItemSelectionError)) throw error;
      // The model holds a folder the CLI would not accept by name; `--all` still validates what it lists.
      const wanted = new Set(names);
      const all = await this.validate({ kind: 'bulk', changes: type === 'change', specs: type === 'spec' });
      return all.filter((item) => wanted.has(item.id));
    }
  }

  private async validate(selection: ValidationSelection): Promise<ValidatedItem[]> {
    const root = makeRoot(this.folder.root, 'nearest');
    return (await validateItems(this.folder.fs, root, selection, { pause: hostPause })).items;
  }

  /** Our own checks read only the model, so they run for every change: a new main spec can settle one. */
  private async lintAll(workspace: OpenSpecWorkspace): Promise<void> {
    const seen = new Set<string>();
    for (const change of workspace.changes) {
      await hostPause();
      if (this.disposed) return;
      const key = this.key('change', change.id);
      seen.add(key);
      this.stores.lint.replace(key, checkChange(change, workspace.specs), (file) => this.folder.toUri(file));
    }
    this.stores.lint.retainOnly(this.key(), seen);
  }

  private key(type?: ItemType, id?: string): string {
    return type === undefined ? `${this.folder.root}\u0000` : `${this.folder.root}\u0000${type}:${id ?? ''}`;
  }
}
