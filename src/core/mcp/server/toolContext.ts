import { posix as path } from 'node:path';
import type { OpenSpecWorkspace } from '../../openspec/model';
import { RunningLoops } from '../../loop/runningLoops';
import { ParseCache } from '../../openspec/parseCache';
import { scanWorkspace } from '../../openspec/workspaceScanner';
import type { OpenSpecMcpOptions } from './serverOptions';

/** What every tool, resource and prompt handler shares. */
export interface ToolContext {
  readonly options: OpenSpecMcpOptions;
  /** A fresh read of the project through options.fs, so answers never lag behind the files. */
  scan(): Promise<OpenSpecWorkspace>;
  /** An absolute path as the project names it (`openspec/changes/x/proposal.md`). */
  relative(file: string): string;
  /** The loops running on the project, one per change. */
  readonly loopRuns: RunningLoops;
}

export function createToolContext(options: OpenSpecMcpOptions): ToolContext {
  // Every call reads every file again, but only text that changed is parsed again.
  const cache = options.parseCache ?? new ParseCache();
  return {
    options,
    async scan() {
      const workspace = await scanWorkspace(options.fs, options.root, cache);
      cache.sweep();
      const openspecDir = path.join(options.root, 'openspec');
      return workspace ?? { root: options.root, openspecDir, layout: 'current', changes: [], specs: [], archive: [] };
    },
    relative: (file) => path.relative(options.root, file),
    loopRuns: options.loopRuns ?? new RunningLoops(),
  };
}
