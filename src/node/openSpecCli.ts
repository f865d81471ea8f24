import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { stripVTControlCharacters } from 'node:util';

/** Where the user's `openspec` executable is: the configured path if it runs, else the first on PATH. */
export function locateOpenSpecCli(configured: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = configured.trim();
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  const names = process.platform === 'win32' ? windowsNames(env) : ['openspec'];
  for (const directory of (env['PATH'] ?? env['Path'] ?? '').split(nodePath.delimiter)) {
    if (!directory) continue;
    for (const name of names) {
      const candidate = nodePath.join(directory, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function windowsNames(env: NodeJS.ProcessEnv): string[] {
  const extensions = (env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  return extensions.map((extension) => `openspec${extension.toLowerCase()}`);
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface CliRun {
  readonly exitCode: number;
  readonly output: string;
}

/**
 * `openspec init --tools none` in `directory`: the folder layout and config.yaml only, no AI tool files, and no
 * prompts (the CLI asks nothing when `--tools` is given). Output comes back without color codes, for the log.
 */
export function runOpenSpecInit(cli: string, directory: string, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      cli,
      ['init', '--tools', 'none'],
      // .cmd shims on Windows only start through a shell.
      {
        cwd: directory,
        timeout: timeoutMs,
        shell: process.platform === 'win32' && /\.(cmd|bat)$/i.test(cli),
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
      (error, stdout, stderr) => {
        const output = stripVTControlCharacters(`${stdout}${stderr}`).trim();
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode: code, output: error && !output ? error.message : output });
      },
    );
  });
}
