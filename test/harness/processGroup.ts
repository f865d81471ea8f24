import { readdirSync, readFileSync } from 'node:fs';
import { waitFor, WaitTimeoutError } from './poll';

/** A zombie still counts for kill(-pgid, 0), so where /proc exists, count only live members. */
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true;
  }
  return pids.some((pid) => {
    try {
      // Fields after the parenthesised command name: state, ppid, pgrp, ...
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z';
    } catch {
      return false;
    }
  });
}

async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  try {
    await waitFor(() => !groupExists(pgid), `process group ${pgid} to exit`, timeoutMs);
    return true;
  } catch (error) {
    if (error instanceof WaitTimeoutError) return false;
    throw error;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Ends every process of a group: SIGTERM, then SIGKILL after `graceMs`. Killing only the leader is not
 * enough with code-server: its file watcher and extension host stay behind as orphans.
 */
export async function killProcessGroup(pgid: number, graceMs = 3000): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  if (await waitForGroupExit(pgid, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitForGroupExit(pgid, 2000);
}

/** Last resort when the process is exiting and cannot wait. */
export function killProcessGroupNow(pgid: number): void {
  signalGroup(pgid, 'SIGKILL');
}
