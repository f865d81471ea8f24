import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCodeServer, type CodeServerInstall } from './codeServerInstall';
import { killProcessGroup, killProcessGroupNow } from './processGroup';
import { writeUserSettings } from './userSettings';

export interface CodeServerOptions {
  /** Defaults to a folder in the scratch directory; created before start either way. */
  readonly userDataDir?: string;
  readonly extensionsDir?: string;
  /** Merged over the harness defaults into the user settings.json. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Environment of the server and so of the extension host (test options travel this way). */
  readonly env?: NodeJS.ProcessEnv;
  readonly install?: CodeServerInstall;
  readonly startTimeoutMs?: number;
  /**
   * 'untrusted' opens every folder in Restricted Mode; by default workspace trust is off and every folder is
   * trusted. See `UNTRUSTED_SETTINGS` for how code-server is made to show a folder as untrusted.
   */
  readonly workspaceTrust?: 'trusted' | 'untrusted';
}

/**
 * What makes code-server 4.100 open a folder in Restricted Mode, found by trying:
 * - `--disable-workspace-trust` (which the harness passes otherwise) turns the feature off outright, whatever the
 *   settings say, so it must be left out;
 * - `security.workspace.trust.enabled: true` turns it on; the harness's own default is `false`;
 * - no folder is trusted in a fresh profile: the web workbench keeps the trusted-folder list in the browser's
 *   storage, and every run starts a new browser context, so nothing has to be cleared;
 * - `security.workspace.trust.startupPrompt: 'never'` keeps the modal "Do you trust the authors?" dialog away (it
 *   would block the workbench until answered); the folder then opens in Restricted Mode with the banner and the
 *   "Restricted Mode" status bar entry, and trust is granted from the Workspace Trust editor
 *   (`workbench.trust.manage`) without a reload;
 * - `security.workspace.trust.untrustedFiles` only concerns loose files outside the folder, and is left alone.
 * Extensions that declare no `capabilities.untrustedWorkspaces` are not activated there at all.
 */
export const UNTRUSTED_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
};

export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** The server's recent output, for diagnosing a failed run. */
  output(): string;
  /** Settles when code-server's process group leader exits, expectedly (stop()) or not. */
  readonly exited: Promise<void>;
  /** A `vscode-remote://` URI for a path on this server, as the test payload expects. */
  remoteUri(path: string): string;
  /**
   * The workbench URL that opens `folder` (a `.code-workspace` file opens as that multi-root workspace, anything
   * else as a folder, nothing as an empty window), with an optional payload of key/value pairs.
   */
  workbenchUrl(folder: string | undefined, payload?: ReadonlyArray<readonly [string, string]>): string;
  /** Kills the whole process group and removes the scratch directory (kept with OPENSPEC_LOOP_KEEP_SCRATCH=1). */
  stop(): Promise<void>;
}

const LISTENING = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts code-server in its own process group with XDG and TMPDIR in a scratch folder, so it leaves nothing
 * in the home directory or /tmp, and resolves once it listens on a free port.
 */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const install = options.install ?? findCodeServer();
  const scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-code-server-'));
  const userDataDir = options.userDataDir ?? join(scratch, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(scratch, 'extensions');
  // When these did not exist at start, the extension under development was reproducibly not loaded.
  for (const dir of [
    userDataDir,
    extensionsDir,
    join(scratch, 'tmp'),
    join(scratch, 'xdg-config'),
    join(scratch, 'xdg-data'),
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  const untrusted = options.workspaceTrust === 'untrusted';
  writeUserSettings(userDataDir, { ...options.settings, ...(untrusted ? UNTRUSTED_SETTINGS : {}) });

  const args = [
    install.entry,
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(install.acceptsVscodeOptions ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  // The group leader is a shell that also watches this process: if it dies without cleaning up
  // (SIGKILL, a CI timeout), the shell kills the whole group instead of leaving code-server running.
  const watchdog = `"$@" & server=$!; while kill -0 ${process.pid} 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done; kill -KILL 0`;
  const child = spawn('/bin/sh', ['-c', watchdog, 'code-server', install.nodeBinary, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...options.env,
      XDG_CONFIG_HOME: join(scratch, 'xdg-config'),
      XDG_DATA_HOME: join(scratch, 'xdg-data'),
      TMPDIR: join(scratch, 'tmp'),
      // No extension gallery: the machine is offline, and every lookup would end in ENOTFOUND errors.
      EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }),
    },
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`could not start code-server with ${install.nodeBinary}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const emergencyKill = (): void => killProcessGroupNow(pgid);
  process.once('exit', emergencyKill);

  let output = '';
  const keepOutput = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keepOutput);
  child.stderr.on('data', keepOutput);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await killProcessGroup(pgid);
      process.removeListener('exit', emergencyKill);
      if (!process.env['OPENSPEC_LOOP_KEEP_SCRATCH']) rmSync(scratch, { recursive: true, force: true });
    })());

  let origin: string;
  try {
    origin = await waitForListening(child, () => output, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const remoteUri = (path: string): string => `vscode-remote://${new URL(origin).host}${path}`;
  return {
    origin,
    userDataDir,
    extensionsDir,
    output: () => output,
    exited,
    remoteUri,
    workbenchUrl: (folder, payload) => {
      const query = new URLSearchParams(
        folder === undefined ? {} : folder.endsWith('.code-workspace') ? { workspace: folder } : { folder },
      );
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${origin}/?${query.toString()}`;
    },
    stop,
  };
}

function waitForListening(child: ReturnType<typeof spawn>, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`code-server did not start within ${timeoutMs} ms:\n${output()}`)),
      timeoutMs,
    );
    const onData = (): void => {
      const match = LISTENING.exec(output());
      if (match?.[1]) finish(() => resolve(match[1] as string));
    };
    const onExit = (code: number | null): void =>
      fail(new Error(`code-server exited with ${String(code)} before listening:\n${output()}`));
    function finish(settle: () => void): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      settle();
    }
    function fail(error: Error): void {
      finish(() => reject(error));
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
