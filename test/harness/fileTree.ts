import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` with its bytes (base64), by relative path: to show a refused command changed nothing. */
export function fileTree(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const relative = join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(files, fileTree(dir, relative));
    else files[relative] = readFileSync(join(dir, relative)).toString('base64');
  }
  return files;
}
