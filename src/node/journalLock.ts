import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/** Who holds a journal: what the lock file says, as JSON. */
export interface JournalLockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO 8601. */
  readonly startedAt: string;
}

/** A held lock on a journal; `release()` removes the lock file unless another process has taken it since. */
export interface JournalLock {
  readonly path: string;
  readonly holder: JournalLockHolder;
  /** The holder of the stale lock this one replaced; `'unreadable'` when its file made no sense. */
  readonly tookOver?: JournalLockHolder | 'unreadable';
  release(): Promise<void>;
}

export interface JournalLockOptions {
  /** Create the journal's folder when it is missing (a new journal); otherwise a missing folder fails with ENOENT. */
  readonly createDirectory?: boolean;
}

/** The lock of the journal at `journalPath`: a file next to it. */
export const journalLockPath = (journalPath: string): string => `${journalPath}.lock`;

// Each takeover that loses a race moves on to the next attempt; a handful is plenty for processes on one machine.
const ATTEMPTS = 5;

/**
 * Takes the journal's lock, created atomically (`wx`), so that two runs never append to one journal at once.
 * A lock naming a live process on this host, or any process on another host (whose liveness cannot be
 * checked), is refused with its holder. A lock naming a dead process, or unreadable, is stale: it is
 * taken over, so a run killed with SIGKILL stays resumable without cleaning up by hand.
 */
export async function acquireJournalLock(
  journalPath: string,
  options: JournalLockOptions = {},
): Promise<JournalLock | { heldBy: JournalLockHolder }> {
  const path = journalLockPath(journalPath);
  const holder: JournalLockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const text = JSON.stringify(holder);
  let tookOver: JournalLockHolder | 'unreadable' | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusive(path, text, options.createDirectory === true))
      return heldLock(path, holder, text, tookOver);
    const existing = await readFile(path, 'utf8').catch(missingAsUndefined);
    if (existing === undefined) continue; // Released between our attempt and the read: try again.
    const other = parseHolder(existing);
    if (other && isAlive(other)) return { heldBy: other };
    tookOver = other ?? 'unreadable';
    await removeStaleLock(path, existing);
  }
  throw new Error(`Could not take the lock ${path}: other processes keep taking it.`);
}

/** The live process holding the journal's lock, if any: a stale or unreadable lock is as good as none. Reads only. */
export async function journalLockHolder(journalPath: string): Promise<JournalLockHolder | undefined> {
  const text = await readFile(journalLockPath(journalPath), 'utf8').catch(missingAsUndefined);
  const holder = text === undefined ? undefined : parseHolder(text);
  return holder && isAlive(holder) ? holder : undefined;
}

/** Whether `holder` may still be running: on another host it cannot be told, so it counts as alive. */
export function isAlive(holder: JournalLockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export function parseHolder(text: string): JournalLockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, host, startedAt } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== 'string' || typeof startedAt !== 'string') return undefined;
  return { pid, host, startedAt };
}

/**
 * Creates `path` holding `text`, unless it exists. The file appears whole or not at all: it is written under a
 * name of our own and linked into place, which fails when something is there. A reader never meets an empty
 * lock it could take for an unreadable, stale one.
 */
async function createExclusive(path: string, text: string, createDirectory: boolean): Promise<boolean> {
  const own = `${path}.${process.pid}.${randomUUID()}.new`;
  try {
    await writeFile(own, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !createDirectory) throw error;
    await mkdir(dirname(path), { recursive: true });
    return createExclusive(path, text, false);
  }
  try {
    await link(own, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(own, { force: true });
  }
}

/**
 * Removes a stale lock, unless another process replaced it after it was read (two runs taking over the same
 * stale lock). Takeovers are one at a time, under `<lock>.takeover`: the one holding it reads the lock again
 * and removes it only when it is still the stale text, and nothing else can change a stale lock meanwhile
 * (its holder is gone, and a new lock is only created where there is none). When another process is taking
 * it over, this waits a moment and leaves it to that process.
 */
export async function removeStaleLock(path: string, staleText: string): Promise<void> {
  const guard = await takeoverGuard(path);
  if (!guard) {
    await delay(TAKEOVER_WAIT_MS);
    return;
  }
  try {
    const current = await readFile(path, 'utf8').catch(missingAsUndefined);
    if (current === staleText) await rm(path, { force: true });
  } finally {
    await guard.release();
  }
}

const TAKEOVER_WAIT_MS = 20;

/** The right to take over `path`'s stale lock, or undefined while a live process has it. */
async function takeoverGuard(path: string): Promise<{ release(): Promise<void> } | undefined> {
  const guard = `${path}.takeover`;
  const text = JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusive(guard, text, false)) return { release: () => removeIfStill(guard, text) };
    const existing = await readFile(guard, 'utf8').catch(missingAsUndefined);
    if (existing === undefined) continue;
    const holder = parseHolder(existing);
    if (holder && isAlive(holder)) return undefined;
    // Left by a process that died in the few milliseconds a takeover lasts: cleared, then taken.
    await removeIfStill(guard, existing);
  }
  return undefined;
}

async function removeIfStill(path: string, text: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(missingAsUndefined);
  if (current === text) await rm(path, { force: true });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function heldLock(
  path: string,
  holder: JournalLockHolder,
  text: string,
  tookOver: JournalLockHolder | 'unreadable' | undefined,
): JournalLock {
  // Best effort for a process that ends without releasing (process.exit); nothing runs after a SIGKILL.
  const onExit = () => removeSyncIfOurs(path, text);
  process.on('exit', onExit);
  let released: Promise<void> | undefined;
  return {
    path,
    holder,
    ...(tookOver !== undefined ? { tookOver } : {}),
    release: () => {
      released ??= (async () => {
        process.removeListener('exit', onExit);
        await removeIfStill(path, text);
      })();
      return released;
    },
  };
}

function removeSyncIfOurs(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch {
    // Gone already, or unreadable: nothing of ours to remove.
  }
}

function missingAsUndefined(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}
