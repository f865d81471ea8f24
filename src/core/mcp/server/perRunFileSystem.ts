import type { DirectoryEntry, FileSystem } from '../../fs/fileSystem';

/**
 * A FileSystem that passes every call to one made per run (`renew`), so a long-lived reader (a model kept
 * current) gets what a per-run file system remembers only within one run: listings and resolved links.
 */
export class PerRunFileSystem implements FileSystem {
  private current: FileSystem;

  constructor(private readonly make: () => FileSystem) {
    this.current = make();
  }

  renew(): void {
    this.current = this.make();
  }

  readFile(file: string): Promise<string> {
    return this.current.readFile(file);
  }

  readDirectory(dir: string): Promise<DirectoryEntry[]> {
    return this.current.readDirectory(dir);
  }

  stat(file: string): ReturnType<FileSystem['stat']> {
    return this.current.stat(file);
  }

  mtime(file: string): Promise<number | undefined> {
    return this.current.mtime(file);
  }

  realPath(file: string): Promise<string> {
    return this.current.realPath(file);
  }
}
