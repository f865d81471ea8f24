import { posix as path } from 'node:path';
import { errorMessage } from '../errorMessage';
import { realPathOfEntry, realPathOfNearest, type FileSystem } from './fileSystem';
import { documentBase, WRITTEN, type BatchOutcome, type FileChange, type WriteOutcome } from './fileWriter';

/**
 * What `FileWriter.applyAll` means, in one place for every writer: each change is checked before anything is
 * written, and a failure while writing rolls back the changes already made, newest first. A writer supplies
 * the primitive steps over its storage and holds its locks around the call.
 */
export interface BatchSteps {
  /** The text of `file` as the user sees it (an editor's unsaved text included), or undefined when absent. */
  read(file: string): Promise<string | undefined>;
  /** True when anything (file, folder, link) is at `target`. */
  exists(target: string): Promise<boolean>;
  replace(file: string, text: string): Promise<void>;
  /** Creates `file` and its missing folders; answers how to take it (and those folders) away again. */
  create(file: string, text: string): Promise<() => Promise<void>>;
  /** Deletes `file`, then the folders that leaves empty up to (not including) `pruneUpTo`; answers how to undo it. */
  remove(file: string, pruneUpTo: string | undefined): Promise<void>;
  move(from: string, to: string): Promise<void>;
}

type Failure = Extract<BatchOutcome, { kind: 'failed' }>;

/** The first change that cannot be made as asked, or undefined when all of them can. Reads only. */
export async function checkBatch(
  steps: Pick<BatchSteps, 'read' | 'exists'>,
  changes: readonly FileChange[],
): Promise<Failure | undefined> {
  const touched = new Set<string>();
  for (const [index, change] of changes.entries()) {
    const fail = (outcome: Failure['outcome']): Failure => ({ kind: 'failed', index, outcome });
    const paths = change.kind === 'move' ? [change.from, change.to] : [change.file];
    // Each path once: a batch that writes a file twice, or inside a folder it moves, has no one order to check.
    if (paths.some((entry) => [...touched].some((other) => overlaps(entry, other))))
      return fail({ kind: 'refused', reason: 'the same path is changed twice in one batch' });
    for (const entry of paths) touched.add(entry);
    switch (change.kind) {
      case 'replace':
      case 'delete': {
        const text = await steps.read(change.file);
        if (text === undefined) return fail({ kind: 'missing' });
        if (documentBase(text) !== change.base) return fail({ kind: 'stale' });
        break;
      }
      case 'create':
        if (await steps.exists(change.file)) return fail({ kind: 'exists' });
        break;
      case 'move':
        if (!(await steps.exists(change.from))) return fail({ kind: 'missing' });
        if (await steps.exists(change.to)) return fail({ kind: 'exists' });
        break;
    }
  }
  return undefined;
}

/** Checks, then writes every change in order; on a failure, undoes the ones made and names the failing one. */
export async function applyBatch(steps: BatchSteps, changes: readonly FileChange[]): Promise<BatchOutcome> {
  const failure = await checkBatch(steps, changes);
  if (failure) return failure;
  const undo: Array<() => Promise<void>> = [];
  for (const [index, change] of changes.entries()) {
    try {
      undo.push(await perform(steps, change));
    } catch (error) {
      const rollbackErrors = await rollBack(undo);
      const note =
        rollbackErrors.length > 0 ? `; undoing the earlier changes failed too: ${rollbackErrors.join('; ')}` : '';
      return { kind: 'failed', index, outcome: { kind: 'refused', reason: `${errorMessage(error)}${note}` } };
    }
  }
  return { kind: 'written' };
}

async function perform(steps: BatchSteps, change: FileChange): Promise<() => Promise<void>> {
  switch (change.kind) {
    case 'replace': {
      const previous = (await steps.read(change.file)) ?? '';
      await steps.replace(change.file, change.text);
      return () => steps.replace(change.file, previous);
    }
    case 'create':
      return steps.create(change.file, change.text);
    case 'delete': {
      const previous = (await steps.read(change.file)) ?? '';
      await steps.remove(change.file, change.pruneUpTo);
      return async () => void (await steps.create(change.file, previous));
    }
    case 'move':
      await steps.move(change.from, change.to);
      return () => steps.move(change.to, change.from);
  }
}

async function rollBack(undo: Array<() => Promise<void>>): Promise<string[]> {
  const errors: string[] = [];
  for (const step of undo.reverse()) {
    try {
      await step();
    } catch (error) {
      errors.push(errorMessage(error));
    }
  }
  return errors;
}

/** Every path a batch writes, for the writer's locks and confinement check. */
export function batchPaths(changes: readonly FileChange[]): string[] {
  return changes.flatMap((change) => (change.kind === 'move' ? [change.from, change.to] : [change.file]));
}

function overlaps(a: string, b: string): boolean {
  const [x, y] = [path.normalize(a), path.normalize(b)];
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

/**
 * Runs a batch inside a writer's guard (`confinedWrite` and its locks), which answers a refusal when a path
 * leads outside where the writer may write, or when the system fails: that refusal is then the batch's.
 */
export async function guardedBatch(
  guard: (write: () => Promise<WriteOutcome>) => Promise<WriteOutcome>,
  run: () => Promise<BatchOutcome>,
): Promise<BatchOutcome> {
  let result: BatchOutcome | undefined;
  const outcome = await guard(async () => {
    result = await run();
    return WRITTEN;
  });
  if (result) return result;
  const reason = outcome.kind === 'refused' ? outcome.reason : 'nothing was written';
  return { kind: 'failed', index: 0, outcome: { kind: 'refused', reason } };
}

/** The change with the real paths it writes: a file's text where links lead, an entry (a folder to move) itself. */
export async function resolveChange(fs: FileSystem, change: FileChange): Promise<FileChange> {
  switch (change.kind) {
    case 'replace':
      return { ...change, file: await realPathOfNearest(fs, change.file) };
    case 'create':
    case 'delete':
      return { ...change, file: await realPathOfEntry(fs, change.file) };
    case 'move':
      return { ...change, from: await realPathOfEntry(fs, change.from), to: await realPathOfEntry(fs, change.to) };
  }
}
