import { posix as path } from 'node:path';
import { ConfinedFileSystem } from '../../fs/confinedFileSystem';
import type { OpenSpecWorkspace } from '../../openspec/model';
import type { OpenSpecMcpOptions } from './serverOptions';
import { WorkspaceScans } from './workspaceScans';

/** What every tool, resource and prompt handler shares. */
export interface ToolContext {
  /** The server's options, with `fs` confined to `<root>/openspec/`: no handler can read outside it. */
  readonly options: OpenSpecMcpOptions;
  /** The project as it is now, read after this call began (concurrent calls share one read). */
  scan(): Promise<OpenSpecWorkspace>;
  /** An absolute path as the project names it (`openspec/changes/x/proposal.md`). */
  readonly relative: (file: string) => string;
}

export function createToolContext(options: OpenSpecMcpOptions): ToolContext {
  const scans = options.scans ?? new WorkspaceScans(options.fs, options.root);
  const fs = new ConfinedFileSystem(options.fs, path.join(options.root, 'openspec'));
  return {
    options: { ...options, fs },
    scan: () => scans.scan(),
    relative: (file) => path.relative(options.root, file),
  };
}
