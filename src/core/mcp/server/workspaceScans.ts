import { posix as path } from 'node:path';
import { SharedRuns } from '../../async/sharedRuns';
import { ConfinedFileSystem } from '../../fs/confinedFileSystem';
import type { FileSystem } from '../../fs/fileSystem';
import type { OpenSpecWorkspace } from '../../openspec/model';
import { ParseCache } from '../../openspec/parseCache';
import { scanWorkspace } from '../../openspec/workspaceScanner';

/** Where the MCP server's calls get the project from: each answer reflects every edit finished before the call. */
export interface WorkspaceSource {
  scan(): Promise<OpenSpecWorkspace>;
  /**
   * Files as fresh as `scan`, for a call that checks files besides the model (validation); a source that
   * remembers what it read answers from that where nothing changed. Without it, calls read the disk.
   */
  files?(): Promise<FileSystem>;
}

/**
 * The project as the MCP server reads it, one scan at a time, shared by the calls that wait for it.
 *
 * A call is answered from a scan that started after the call was made, so it sees every edit finished
 * before it: while a scan runs, new calls queue for the next one, and every call queued meanwhile shares it.
 * However many calls arrive together, at most two scans exist at once (the one running and the one they
 * wait for), and memory stays that of two scans.
 *
 * Each scan reads through a file system confined to `<root>/openspec/` (each path resolved once per scan,
 * so a link swapped in between scans is seen) and keeps parsed documents between scans, so only text that
 * changed is parsed again.
 */
export class WorkspaceScans implements WorkspaceSource {
  private readonly runs = new SharedRuns(() => this.read());

  constructor(
    private readonly fs: FileSystem,
    private readonly root: string,
    private readonly cache = new ParseCache(),
  ) {}

  /** A scan that starts no earlier than this call. */
  scan(): Promise<OpenSpecWorkspace> {
    return this.runs.next();
  }

  private async read(): Promise<OpenSpecWorkspace> {
    const openspecDir = path.join(this.root, 'openspec');
    const fs = ConfinedFileSystem.forRun(this.fs, openspecDir);
    const workspace = await scanWorkspace(fs, this.root, this.cache);
    this.cache.sweep();
    return workspace ?? { root: this.root, openspecDir, layout: 'current', changes: [], specs: [], archive: [] };
  }
}
