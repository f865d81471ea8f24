import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { MemoryFileSystem } from '../../../../src/core/fs/memoryFileSystem';

/** The repository root, from the compiled location out/test/unit/ai/prompt/. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');

/** Where sample workspaces are mounted in memory. */
export const SAMPLE_ROOT = '/sample';

/**
 * examples/sample-project copied into memory under /sample: tests read the real sample (notes, sharing/links,
 * add-note-tags, expire-shared-links) and may change their copy freely.
 */
export function sampleProjectFs(): MemoryFileSystem {
  const source = join(REPO_ROOT, 'examples', 'sample-project');
  const fs = new MemoryFileSystem();
  for (const file of listFiles(join(source, 'openspec'))) {
    fs.writeFile(`${SAMPLE_ROOT}/${relative(source, file).split('\\').join('/')}`, readFileSync(file, 'utf8'));
  }
  return fs;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
