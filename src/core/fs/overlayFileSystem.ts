import { posix as path } from 'node:path';
import type { DirectoryEntry, FileSystem } from './fileSystem';

/** The text an open editor holds for a path, if any; asked on every read, so it is never stale. */
export interface OpenDocuments {
  textOf(file: string): string | undefined;
  /** Paths of the open documents, for directory listings. */
  paths(): Iterable<string>;
}

/**
 * A FileSystem that answers with the text of open editors where there is one, and with the disk elsewhere,
 * so validation sees what the user sees, unsaved edits included, the moment they are typed.
 */
export class OverlayFileSystem implements FileSystem {
  constructor(
    private readonly base: FileSystem,
    private readonly documents: OpenDocuments,
  ) {}

  hasOverlay(file: string): boolean {
    return this.documents.textOf(path.normalize(file)) !== undefined;
  }

  async readFile(file: string): Promise<string> {
    return this.documents.textOf(path.normalize(file)) ?? this.base.readFile(file);
  }

  async readDirectory(directory: string): Promise<DirectoryEntry[]> {
    const entries = await this.base.readDirectory(directory);
    const normalized = path.normalize(directory);
    const names = new Set(entries.map((entry) => entry.name));
    for (const file of this.documents.paths()) {
      if (path.dirname(file) === normalized && !names.has(path.basename(file)))
        entries.push({ name: path.basename(file), kind: 'file' });
    }
    return entries;
  }

  async stat(file: string): Promise<'file' | 'directory' | 'other' | undefined> {
    return this.hasOverlay(file) ? 'file' : this.base.stat(file);
  }

  mtime(file: string): Promise<number | undefined> {
    return this.base.mtime(file);
  }

  realPath(file: string): Promise<string> {
    return this.base.realPath(file);
  }
}
