import { sha256 } from '../core/ai/improve/improveDocument';
import type { FileSystem } from '../core/fs/fileSystem';
import { writeTextAtomically } from './atomicWrite';

/**
 * Replaces a file's text only while it still hashes to `baseHash`: a file edited since the proposal was made
 * is left alone and answered with 'stale'. The write itself is atomic (a temporary file renamed over the old one).
 */
export async function replaceIfUnchanged(fs: FileSystem, file: string, baseHash: string, text: string): Promise<'applied' | 'stale'> {
  let current: string;
  try {
    current = await fs.readFile(file);
  } catch {
    return 'stale';
  }
  if (sha256(current) !== baseHash) return 'stale';
  await writeTextAtomically(file, text);
  return 'applied';
}
