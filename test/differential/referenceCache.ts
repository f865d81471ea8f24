import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliResult } from './cliRunner';

/**
 * Remembers reference CLI results across test runs. The reference is pinned and slow (most of the
 * tier's time), while the workspace bytes and arguments fully determine its output, so a result is
 * keyed by the reference version, the workspace name, the arguments, the working directory and a hash of every file in
 * the workspace. The scratch folder differs per run, so it is stored as a placeholder.
 */
export class ReferenceCache {
  private static readonly SCRATCH = '<<differential-scratch>>';

  constructor(
    private readonly dir: string,
    private readonly referenceVersion: string,
  ) {}

  key(workspace: string, workspaceDigest: string, args: string[], cwd: string): string {
    return createHash('sha256')
      .update(JSON.stringify({ version: this.referenceVersion, workspace, workspaceDigest, args, cwd }))
      .digest('hex');
  }

  read(key: string, scratchRoot: string): CliResult | undefined {
    const file = path.join(this.dir, `${key}.json`);
    if (!fs.existsSync(file)) return undefined;
    try {
      const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as CliResult;
      return {
        ...stored,
        stdout: stored.stdout.split(ReferenceCache.SCRATCH).join(scratchRoot),
        stderr: stored.stderr.split(ReferenceCache.SCRATCH).join(scratchRoot),
        durationMs: 0,
      };
    } catch {
      return undefined;
    }
  }

  write(key: string, result: CliResult, scratchRoot: string): void {
    if (result.failure !== undefined) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const stored: CliResult = {
      ...result,
      stdout: result.stdout.split(scratchRoot).join(ReferenceCache.SCRATCH),
      stderr: result.stderr.split(scratchRoot).join(ReferenceCache.SCRATCH),
    };
    fs.writeFileSync(path.join(this.dir, `${key}.json`), JSON.stringify(stored));
  }
}

/** Hash of every file (path, bytes) and folder under `dir`, so empty folders count too. */
export function digestWorkspace(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string, relative: string): void => {
    const entries = fs
      .readdirSync(current, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childRelative = `${relative}/${entry.name}`;
      const child = path.join(current, entry.name);
      if (entry.isDirectory()) {
        hash.update(`dir ${childRelative}\n`);
        walk(child, childRelative);
      } else if (entry.isFile()) {
        hash.update(`file ${childRelative}\n`);
        hash.update(fs.readFileSync(child));
        hash.update('\n');
      }
    }
  };
  walk(dir, '');
  return hash.digest('hex');
}
