import type { FileSystem } from '../core/fs/fileSystem';
import { replaceIfBaseUnchanged } from '../core/mcp/server/workspaceWriter';
import { writeTextAtomically } from './atomicWrite';

/** The CLI's base-checked write: unchanged since the proposal was made, or 'stale'; atomic (a temporary file renamed over the old one). */
export function replaceIfUnchanged(
  fs: FileSystem,
  file: string,
  baseHash: string,
  text: string,
): Promise<'applied' | 'stale'> {
  return replaceIfBaseUnchanged(fs, writeTextAtomically, file, baseHash, text);
}
