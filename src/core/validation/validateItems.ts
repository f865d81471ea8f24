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
import { type ValidationIssue } from './types';
import { MemoizedFileSystem } from '../fs/memoizedFileSystem';
import { ListingDigests, RecordingFileSystem } from '../fs/recordingFileSystem';
import { Validator } from './validator';
import { compareText } from '../compareText';
import type { Verdict, VerdictCache } from './verdictCache';

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
  /**
   * Verdicts of earlier runs: an item whose files still read the same is answered from here, and every item
   * validated afresh is added. The CLI passes the ones it saved; the editor and MCP keep live models instead.
   */
  verdicts?: VerdictCache;
}

const DEFAULT_CONCURRENCY = 6;

interface PlannedItem {
  id: string;
  type: ItemType;
}

/** The items to validate, and every item of the types that were listed to find them. */
interface Plan {
  items: PlannedItem[];
  listed: Partial<Record<ItemType, readonly string[]>>;
}

export async function validateItems(
  source: FileSystem,
  root: OpenSpecRoot,
  selection: ValidationSelection,
  options: ValidateOptions = {},
): Promise<ValidationRun> {
  const fs = new MemoizedFileSystem(source);
  const { items: plan, listed } =
    selection.kind === 'bulk'
      ? await planBulk(fs, root, selection, options.pause)
      : await planItems(fs, root, selection, options.pause);
  const strict = options.strict ?? false;
  const now = options.now ?? Date.now;
  const listings = options.verdicts ? new ListingDigests() : undefined;
  const run = (item: PlannedItem) => validateOne(fs, root, item, { strict, now, verdicts: options.verdicts, listings });
  // A bulk run reports a crashed item as a failed one; a named item's crash is the command's error.
  const tasks = plan.map(
    (item) => () => (selection.kind === 'bulk' ? run(item).catch((error: unknown) => crashed(item, error)) : run(item)),
  );
  const items = await inCompletionOrder(tasks, options.concurrency ?? DEFAULT_CONCURRENCY, options.pause);
  options.verdicts?.retain((key) => {
    const { type, id } = parseVerdictKey(key);
    const ids = listed[type];
    return ids === undefined || ids.includes(id);
  });
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
): Promise<Plan> {
  const [changes, specs] = await Promise.all([
    scope.changes ? listChangeIds(fs, root.changesDir) : undefined,
    scope.specs ? listSpecIds(fs, root.specsDir, pause) : undefined,
  ]);
  return {
    items: [
      ...(changes ?? []).map((id) => ({ id, type: 'change' as const })),
      ...(specs ?? []).map((id) => ({ id, type: 'spec' as const })),
    ],
    listed: { ...(changes ? { change: changes } : {}), ...(specs ? { spec: specs } : {}) },
  };
}

/** Resolves each name to a change or a spec as the CLI does; every bad name is collected before failing. */
async function planItems(
  fs: FileSystem,
  root: OpenSpecRoot,
  selection: { names: readonly string[]; type?: ItemType },
  pause: Pause | undefined,
): Promise<Plan> {
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
  return { items: plan, listed: { change: changes, spec: specs } };
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
  root: OpenSpecRoot,
  item: PlannedItem,
  options: {
    strict: boolean;
    now: () => number;
    verdicts: VerdictCache | undefined;
    listings: ListingDigests | undefined;
  },
): Promise<ValidatedItem> {
  const start = options.now();
  const { verdicts } = options;
  const key = verdictKey(item, options.strict);
  let verdict = await verdicts?.reuse(fs, key);
  if (!verdict) {
    const recorder = verdicts ? new RecordingFileSystem(fs, options.listings) : undefined;
    verdict = await checkItem(recorder ?? fs, root, item, options.strict);
    if (recorder) verdicts?.remember(key, verdict, recorder.observations());
  }
  return {
    id: item.id,
    type: item.type,
    valid: verdict.valid,
    issues: verdict.issues,
    durationMs: options.now() - start,
  };
}

async function checkItem(fs: FileSystem, root: OpenSpecRoot, item: PlannedItem, strict: boolean): Promise<Verdict> {
  const validator = new Validator(fs, strict);
  if (item.type === 'spec') return validator.validateSpec(path.join(root.specsDir, item.id, 'spec.md'));
  const nested = await findNestedChangesIn(fs, root.changesDir, item.id);
  if (nested)
    return { valid: false, issues: [{ level: 'ERROR', path: 'file', message: describeNestedChange(nested) }] };
  return validator.validateChangeDeltaSpecs(path.join(root.changesDir, item.id), {
    mainSpecsDir: root.specsDir,
    projectRoot: root.path,
  });
}

/** Strict and plain verdicts differ, so each has its own entry. */
function verdictKey(item: PlannedItem, strict: boolean): string {
  return `${item.type} ${strict ? 'strict' : 'plain'} ${item.id}`;
}

function parseVerdictKey(key: string): PlannedItem {
  const [type = '', , ...id] = key.split(' ');
  return { type: type === 'spec' ? 'spec' : 'change', id: id.join(' ') };
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

/** By id in `localeCompare`'s order, as the CLI sorts (stable, so ties keep finishing order). */
function sortLikeCli(items: ValidatedItem[]): void {
  items.sort((a, b) => compareText(a.id, b.id));
}

function totals(items: readonly ValidatedItem[]): TypeTotals {
  const passed = items.filter((item) => item.valid).length;
  return { items: items.length, passed, failed: items.length - passed };
}
