import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';

/** The version in the package.json next to the bundle (dist/cli.js) or above the compiled sources. */
export function readCliVersion(): string {
  let dir = __dirname;
  for (let depth = 0; depth < 5; depth++) {
    try {
      const manifest = JSON.parse(readFileSync(nodePath.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'openspec-loop' && manifest.version) return manifest.version;
    } catch {
      // Not here; look one folder up.
    }
    dir = nodePath.dirname(dir);
  }
  return 'unknown';
}
