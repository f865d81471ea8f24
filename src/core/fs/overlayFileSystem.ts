import { posix as path } from 'node:path';
import type { DirectoryEntry, FileSystem } from './fileSystem';

/**
 * A FileSystem that answers with the text of open editors where there is one, and with the disk elsewhere,
 * so validation sees what the user sees, unsaved edits included. The shell sets and clears overlays as
 * documents open, change and close.
 */
export class OverlayFileSystem implements FileSystem {
  private readonly overlays = new Map<string, string>();

  constructor(private readonly base: FileSystem) {}

  setOverlay(file: string, text: string): void {
    this.overlays.set(path.normalize(file), text);
  }

  clearOverlay(file: string): void {
    this.overlays.delete(path.normalize(file));
  }

  hasOverlay(file: string): boolean {
    return this.overlays.has(path.normalize(file));
  }

  async readFile(file: string): Promise<string> {
    return this.overlays.get(path.normalize(file)) ?? this.base.readFile(file);
  }

  async readDirectory(directory: string): Promise<DirectoryEntry[]> {
    const entries = await this.base.readDirectory(directory);
    const normalized = path.normalize(directory);
    const names = new Set(entries.map((entry) => entry.name));
    for (const file of this.overlays.keys()) {
      if (path.dirname(file) === normalized && !names.has(path.basename(file))) entries.push({ name: path.basename(file), kind: 'file' });
    }
    return entries;
  }

  async stat(file: string): Promise<'file' | 'directory' | 'other' | undefined> {
    return this.overlays.has(path.normalize(file)) ? 'file' : this.base.stat(file);
  }

  mtime(file: string): Promise<number | undefined> {
    return this.base.mtime(file);
  }

  realPath(file: string): Promise<string> {
    return this.base.realPath(file);
  }
}
