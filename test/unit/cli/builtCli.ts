import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../harness/repoPaths';

/** The bundled CLI, as users and CI run it (`node esbuild.mjs` builds it). */
export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface CliRun {
  /** The exit code; null when a signal ended the process. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI in a child process. Asynchronous on purpose: a synchronous child would block the
 * LM Studio stand-in's event loop in this process.
 */
export function runCli(
  args: readonly string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; started?: (child: ChildProcess) => void } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', OPENSPEC_LOOP_CACHE: scratchCache(), ...options.env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, signal: error?.signal ?? null, stdout, stderr });
      },
    );
    options.started?.(child);
  });
}

let cacheFolder: string | undefined;

/** One cache folder for this test process's CLI runs, outside the user's, removed when the process exits. */
function scratchCache(): string {
  if (!cacheFolder) {
    const folder = mkdtempSync(join(tmpdir(), 'openspec-loop-cli-cache-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    cacheFolder = folder;
  }
  return cacheFolder;
}

/** Non-empty lines. */
export const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
