import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file under `dir` with its bytes (base64), by relative path: to show a refused command changed nothing.
 * With `folders`, every folder too (as `<path>/`), so a folder left behind or taken away shows as well.
 */
export function fileTree(dir: string, options: { folders?: boolean } = {}, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const relative = join(prefix, entry.name);
    if (entry.isDirectory()) {
      if (options.folders) files[`${relative}/`] = '';
      Object.assign(files, fileTree(dir, options, relative));
    } else files[relative] = readFileSync(join(dir, relative)).toString('base64');
  }
  return files;
}
