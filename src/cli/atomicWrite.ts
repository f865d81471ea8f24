import { randomBytes } from 'node:crypto';
import { rm, rename, stat, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { toNative } from '../node/nodeFileSystem';

/**
 * Replaces a file's text through a temporary file in the same folder renamed over it, so a crash or a full
 * disk never leaves half a file. The file keeps its permissions.
 */
export async function writeTextAtomically(posixPath: string, text: string): Promise<void> {
  const file = toNative(posixPath);
  const temporary = nodePath.join(
    nodePath.dirname(file),
    `.${nodePath.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, text, { encoding: 'utf8', mode: (await stat(file)).mode });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
