import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The code-server release the tests pin: VS Code 1.100.3, runs on the machine's Node 20. */
export const DEFAULT_CODE_SERVER_VERSION = '4.100.3';

/** A code-server installed by scripts/code-server/install.sh. */
export interface CodeServerInstall {
  readonly version: string;
  readonly directory: string;
  /** code-server's CLI entry, started with `nodeBinary`. */
  readonly entry: string;
  /** The Node that built the native addons; code-server must run on the same major. */
  readonly nodeBinary: string;
  /** Releases on VS Code >= ~1.13x ignore the test payload unless the smoke-test driver is enabled. */
  readonly acceptsVscodeOptions: boolean;
}

interface InstallMarker {
  readonly version: string;
  readonly nodeDir: string | null;
  readonly acceptsVscodeOptions?: boolean;
}

export function cacheRoot(): string {
  return process.env['OPENSPEC_LOOP_CACHE'] ?? join(homedir(), '.cache', 'openspec-loop');
}

/** Finds the installation for `version` (default: $CODE_SERVER_VERSION, then the pinned release). */
export function findCodeServer(
  version = process.env['CODE_SERVER_VERSION'] ?? DEFAULT_CODE_SERVER_VERSION,
): CodeServerInstall {
  const directory = join(cacheRoot(), `code-server-${version}`);
  const markerPath = join(directory, '.openspec-loop-install.json');
  if (!existsSync(markerPath)) {
    throw new Error(
      `code-server ${version} is not installed in ${directory}; run: bash scripts/code-server/install.sh ${version}`,
    );
  }
  const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as InstallMarker;
  return {
    version: marker.version,
    directory,
    entry: join(directory, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    nodeBinary: marker.nodeDir ? join(marker.nodeDir, 'bin', 'node') : process.execPath,
    acceptsVscodeOptions: marker.acceptsVscodeOptions ?? false,
  };
}
