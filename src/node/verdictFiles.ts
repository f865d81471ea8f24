import { readFileSync, promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import * as nodePath from 'node:path';
import { sha256 } from '../core/hash';
import type { SavedVerdicts, VerdictStore } from '../core/validation/verdictCache';
import { toPosix } from './nodeFileSystem';
import { writeFileAtomically } from './nodeFileWriter';

/** Projects whose verdicts are kept; past that, the ones validated longest ago are dropped. */
const MAX_PROJECTS = 64;

/**
 * Saved validation verdicts, one file per project in the user's cache folder (never in the project itself, which
 * may be read-only, shared or under version control). A missing or unreadable file is no verdicts at all.
 */
export class VerdictFiles implements VerdictStore {
  constructor(private readonly folder: string) {}

  load(projectRoot: string): unknown {
    try {
      return JSON.parse(readFileSync(this.file(projectRoot), 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  async save(projectRoot: string, saved: SavedVerdicts): Promise<void> {
    const file = this.file(projectRoot);
    await writeFileAtomically(toPosix(file), JSON.stringify(saved));
    await this.dropOldest(nodePath.basename(file));
  }

  private file(projectRoot: string): string {
    return nodePath.join(this.folder, `${sha256(projectRoot).slice(0, 32)}.json`);
  }

  private async dropOldest(keep: string): Promise<void> {
    const names = (await fsp.readdir(this.folder)).filter((name) => name.endsWith('.json') && name !== keep);
    if (names.length < MAX_PROJECTS) return;
    const aged = await Promise.all(
      names.map(async (name) => {
        const stats = await fsp.stat(nodePath.join(this.folder, name)).catch(() => undefined);
        return { name, mtimeMs: stats?.mtimeMs ?? 0 };
      }),
    );
    aged.sort((a, b) => b.mtimeMs - a.mtimeMs);
    await Promise.all(
      aged.slice(MAX_PROJECTS - 1).map(({ name }) => fsp.rm(nodePath.join(this.folder, name), { force: true })),
    );
  }
}

/**
 * The folder for openspec-loop's caches: `$OPENSPEC_LOOP_CACHE` when set, else the platform's cache folder
 * (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows).
 */
export function userCacheFolder(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const chosen = env['OPENSPEC_LOOP_CACHE'];
  if (chosen) return chosen;
  if (platform === 'win32')
    return nodePath.join(env['LOCALAPPDATA'] ?? nodePath.join(home, 'AppData', 'Local'), 'openspec-loop', 'Cache');
  if (platform === 'darwin') return nodePath.join(home, 'Library', 'Caches', 'openspec-loop');
  return nodePath.join(env['XDG_CACHE_HOME'] || nodePath.join(home, '.cache'), 'openspec-loop');
}
