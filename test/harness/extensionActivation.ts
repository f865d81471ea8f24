import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './poll';

export interface ActivationWait {
  readonly extensionId: string;
  /**
   * A line the extension writes to its own log channel at the end of activate(); without it the wait ends
   * when the extension host starts activating the extension (activate() may still be running).
   */
  readonly readyPattern?: RegExp;
  readonly timeoutMs?: number;
}

/** The extension host logs of a code-server profile: <user-data>/logs/<session>/exthost<N>/. */
function extensionHostLogDirs(userDataDir: string): string[] {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return [];
  return readdirSync(logs).flatMap((session) =>
    readdirSync(join(logs, session))
      .filter((name) => name.startsWith('exthost'))
      .map((name) => join(logs, session, name)),
  );
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Everything an extension wrote to its own log channels (`<exthost>/<extension id>/*.log`) in this profile: what a
 * test reads to learn what the extension did or held back, in its own words.
 */
export function extensionLogText(userDataDir: string, extensionId: string): string {
  return extensionHostLogDirs(userDataDir)
    .map((dir) => join(dir, extensionId))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).map((file) => read(join(dir, file))))
    .join('\n');
}

type ActivationState = 'pending' | 'started' | 'ready' | { failed: string };

function activationState(userDataDir: string, wait: ActivationWait): ActivationState {
  let state: ActivationState = 'pending';
  for (const dir of extensionHostLogDirs(userDataDir)) {
    const hostLog = read(join(dir, 'remoteexthost.log'));
    const failure = hostLog
      .split('\n')
      .find((line) => line.includes(`Activating extension '${wait.extensionId}' failed`));
    if (failure) return { failed: failure };
    if (!hostLog.includes(`ExtensionService#_doActivateExtension ${wait.extensionId},`)) continue;
    if (!wait.readyPattern) return 'ready';
    state = 'started';
    const ownLogs = join(dir, wait.extensionId);
    const files = existsSync(ownLogs) ? readdirSync(ownLogs) : [];
    if (files.some((file) => wait.readyPattern?.test(read(join(ownLogs, file))))) return 'ready';
  }
  return state;
}

/**
 * Waits until the extension host (on this machine, logging into the profile's user-data folder) has
 * activated the extension. Reading the host's log keeps this independent of anything the extension draws;
 * the workbench shows up seconds before extensions are active.
 */
export async function waitForExtensionActive(userDataDir: string, wait: ActivationWait): Promise<void> {
  let state: ActivationState = 'pending';
  await waitFor(
    () => {
      state = activationState(userDataDir, wait);
      if (typeof state === 'object') throw new Error(`${wait.extensionId} failed to activate: ${state.failed}`);
      return state === 'ready';
    },
    () => `${wait.extensionId} to be active (activation ${typeof state === 'string' ? state : state.failed})`,
    wait.timeoutMs ?? 60_000,
    200,
  );
}
