import { posix as path } from 'node:path';
import type { Pause } from '../async/timeSlices';
import { type FileSystem } from '../fs/fileSystem';
import {
  describeNestedChange,
  findNestedChangesIn,
  itemNameProblem,
  listChangeIds,
  listSpecIds,
  nearestMatches,
} from './itemDiscovery';
import { toRootOutput, type Diagnostic, type OpenSpecRoot, type RootOutput } from './projectRoot';
import { type ValidationIssue, type ValidationReport } from './types';
import { MemoizedFileSystem } from '../fs/memoizedFileSystem';
import { Validator } from './validator';

/**
 * One `openspec validate` run over a resolved root: named items, or every change and/or spec. The result is
 * the object the CLI prints with `--json`; items run concurrently but come back in the CLI's order.
 */
export type ItemType = 'change' | 'spec';

export type ValidationSelection =
  { kind: 'items'; names: readonly string[]; type?: ItemType } | { kind: 'bulk'; changes: boolean; specs: boolean };

export interface ValidatedItem {
  id: string;
  type: ItemType;
  valid: boolean;
  issues: ValidationIssue[];
  durationMs: number;
}

export interface TypeTotals {
  items: number;
  passed: number;
  failed: number;
}

export interface ValidationRun {
  items: ValidatedItem[];
  summary: { totals: TypeTotals; byType: Partial<Record<ItemType, TypeTotals>> };
  version: '1.0';
  root: RootOutput;
}

/** A named item that cannot be validated; `diagnostics` holds one entry per bad name, in the CLI's shape. */
export class ItemSelectionError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
    this.name = 'ItemSelectionError';
  }
}

export interface ValidateOptions {
  strict?: boolean;
  /** Milliseconds clock for durationMs; injectable so tests are deterministic. */
  now?: () => number;
  /** How many items run at once (the CLI's default is 6). */
  concurrency?: number;
  /**
   * Awaited before each item, so a shared thread is not held for the whole run (the editor passes one). A
   * change and a spec sharing an id may then swap places, as the CLI orders those two by finishing time.
   */
  pause?: Pause;
}

const DEFAULT_CONCURRENCY = 6;

interface PlannedItem {
  id: string;
  type: ItemType;
}

export async function validateItems(
  source: FileSystem,
  root: OpenSpecRoot,
  selection: ValidationSelection,
  options: ValidateOptions = {},
): Promise<ValidationRun> {
  const fs = new MemoizedFileSystem(source);
  const plan =
    selection.kind === 'bulk'
      ? await planBulk(fs, root, selection, options.pause)
      : await planItems(fs, root, selection, options.pause);
  const validator = new Validator(fs, options.strict ?? false);
  const now = options.now ?? Date.now;
  const run = (item: PlannedItem) => validateOne(fs, validator, root, item, now);
  // A bulk run reports a crashed item as a failed one; a named item's crash is the command's error.
  const tasks = plan.map(
    (item) => () => (selection.kind === 'bulk' ? run(item).catch((error: unknown) => crashed(item, error)) : run(item)),
  );
  const items = await inCompletionOrder(tasks, options.concurrency ?? DEFAULT_CONCURRENCY, options.pause);
  sortLikeCli(items);
  const types: ItemType[] =
    selection.kind === 'bulk'
      ? [...(selection.changes ? (['change'] as const) : []), ...(selection.specs ? (['spec'] as const) : [])]
      : (['change', 'spec'] as const).filter((type) => plan.some((item) => item.type === type));
  const byType: Partial<Record<ItemType, TypeTotals>> = {};
  for (const type of types) byType[type] = totals(items.filter((item) => item.type === type));
  return { items, summary: { totals: totals(items), byType }, version: '1.0', root: toRootOutput(root) };
}

async function planBulk(
  fs: FileSystem,
  root: OpenSpecRoot,
  scope: { changes: boolean; specs: boolean },
  pause: Pause | undefined,
): Promise<PlannedItem[]> {
  const [changes, specs] = await Promise.all([
    scope.changes ? listChangeIds(fs, root.changesDir) : Promise.resolve([]),
    scope.specs ? listSpecIds(fs, root.specsDir, pause) : Promise.resolve([]),
  ]);
  return [
    ...changes.map((id) => ({ id, type: 'change' as const })),
    ...specs.map((id) => ({ id, type: 'spec' as const })),
  ];
}

/** Resolves each name to a change or a spec as the CLI does; every bad name is collected before failing. */
async function planItems(
  fs: FileSystem,
  root: OpenSpecRoot,
  selection: { names: readonly string[]; type?: ItemType },
  pause: Pause | undefined,
): Promise<PlannedItem[]> {
  const [changes, specs] = await Promise.all([
    listChangeIds(fs, root.changesDir),
    listSpecIds(fs, root.specsDir, pause),
  ]);
  const plan: PlannedItem[] = [];
  const problems: Diagnostic[] = [];
  for (const name of selection.names) {
    const resolved = resolveItem(name, selection.type, changes, specs);
    if ('code' in resolved) problems.push(resolved);
    else plan.push(resolved);
  }
  if (problems.length > 0) throw new ItemSelectionError(problems);
  return plan;
}

export function resolveItem(
  name: string,
  typeOverride: ItemType | undefined,
  changes: readonly string[],
  specs: readonly string[],
): PlannedItem | Diagnostic {
  const isChange = changes.includes(name);
  const isSpec = specs.includes(name);
  const type = typeOverride ?? (isChange ? 'change' : isSpec ? 'spec' : undefined);
  if (!type) {
    const suggestions = nearestMatches(name, [...changes, ...specs]);
    const message = suggestions.length
      ? `Unknown item '${name}'. Did you mean: ${suggestions.join(', ')}?`
      : `Unknown item '${name}'.`;
    return { severity: 'error', code: 'unknown_item', message };
  }
  if (!typeOverride && isChange && isSpec) {
    return {
      severity: 'error',
      code: 'ambiguous_item',
      message: `Ambiguous item '${name}' matches both a change and a spec.`,
      fix: 'Pass --type change|spec.',
    };
  }
  const problem = itemNameProblem(type, name);
  if (problem) return { severity: 'error', code: 'invalid_item', message: problem };
  return { id: name, type };
}

async function validateOne(
  fs: FileSystem,
  validator: Validator,
  root: OpenSpecRoot,
  item: PlannedItem,
  now: () => number,
): Promise<ValidatedItem> {
  const start = now();
  let report: Pick<ValidationReport, 'valid' | 'issues'>;
  if (item.type === 'change') {
    const nested = await findNestedChangesIn(fs, root.changesDir, item.id);
    report = nested
      ? { valid: false, issues: [{ level: 'ERROR', path: 'file', message: describeNestedChange(nested) }] }
      : await validator.validateChangeDeltaSpecs(path.join(root.changesDir, item.id), {
          mainSpecsDir: root.specsDir,
          projectRoot: root.path,
        });
  } else {
    report = await validator.validateSpec(path.join(root.specsDir, item.id, 'spec.md'));
  }
  return { id: item.id, type: item.type, valid: report.valid, issues: report.issues, durationMs: now() - start };
}

function crashed(item: PlannedItem, error: unknown): ValidatedItem {
  const message = (error as { message?: unknown } | undefined)?.message;
  return {
    id: item.id,
    type: item.type,
    valid: false,
    issues: [
      { level: 'ERROR', path: 'file', message: typeof message === 'string' && message ? message : 'Unknown error' },
    ],
    durationMs: 0,
  };
}

/**
 * Runs tasks a few at a time in plan order (changes, then specs) and returns results as they finish. The CLI
 * sorts by id with a stable sort over finishing order, so a change and a spec sharing an id come out in the
 * order they finished; running the same queue keeps that order the same in practice.
 */
async function inCompletionOrder<T>(
  tasks: ReadonlyArray<() => Promise<T>>,
  concurrency: number,
  pause: Pause | undefined,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      if (pause) {
        await pause();
        if (next >= tasks.length) return;
      }
      const task = tasks[next++];
      if (task) results.push(await task());
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
  return results;
}

/** By id with `localeCompare`, as the CLI sorts (stable, so ties keep finishing order). */
function sortLikeCli(items: ValidatedItem[]): void {
  items.sort((a, b) => a.id.localeCompare(b.id));
}

function totals(items: readonly ValidatedItem[]): TypeTotals {
  const passed = items.filter((item) => item.valid).length;
  return { items: items.length, passed, failed: items.length - passed };
}
