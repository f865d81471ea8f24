import { posix as path } from 'node:path';
import { z } from 'zod';
import type { FileSystem } from '../../fs/fileSystem';
import type { OpenSpecWorkspace } from '../../openspec/model';
import { RunningLoops } from '../../loop/runningLoops';
import { ConfinedFileSystem } from '../../fs/confinedFileSystem';
import type { McpFolder, OpenSpecMcpOptions } from './serverOptions';
import { ToolRefusal } from './toolResults';
import { ARGUMENT_LIMITS } from './argumentSchemas';
import { WorkspaceScans, type WorkspaceSource } from './workspaceScans';

/** One served project as the handlers use it. */
export interface FolderContext {
  readonly name: string;
  /** Absolute POSIX project root (the folder containing openspec/). */
  readonly root: string;
  /** The folder's file system confined to `<root>/openspec/`: no handler can read outside it. */
  readonly fs: FileSystem;
  /** The project as it is now, read after this call began (concurrent calls share one read). */
  readonly scan: () => Promise<OpenSpecWorkspace>;
  /** Files as fresh as `scan`, confined like `fs`, answered from what the project's source already read. */
  readonly files: () => Promise<FileSystem>;
  /** An absolute path as the project names it (`openspec/changes/x/proposal.md`). */
  readonly relative: (file: string) => string;
}

/** What every tool, resource and prompt handler shares. */
export interface ToolContext {
  readonly options: OpenSpecMcpOptions;
  readonly folders: readonly FolderContext[];
  /** True when the server serves several folders: answers then name each item's folder. */
  readonly multiRoot: boolean;
  /** `{ folder: name }` to spread into an answer when the server serves several folders; nothing otherwise. */
  folderField(folder: FolderContext): { folder?: string };
  /** The folders a call reads: the one `name` names, or every one. */
  within(name: string | undefined): readonly FolderContext[];
  /** The one folder a call works on: the one `name` names or the only one; refused when several and none named. */
  single(name: string | undefined): FolderContext;
  /** The loops running on the projects, one per change per folder. */
  readonly loopRuns: RunningLoops;
}

/** The `folder` argument every tool and prompt that reads a project takes. */
export const folderArgument = z
  .string()
  .max(ARGUMENT_LIMITS.path)
  .optional()
  .describe(
    'The workspace folder, by the name listings give it; needed only when the server serves several folders and the id is in more than one',
  );

/** The `folder` field of answers, present when the server serves several folders. */
export const folderOutput = z
  .string()
  .optional()
  .describe('The workspace folder it is in; present when the server serves several folders');

export function createToolContext(options: OpenSpecMcpOptions): ToolContext {
  const folders = options.folders.map(folderContext);
  const names = () => folders.map((folder) => folder.name).join(', ');
  const named = (name: string): FolderContext => {
    const folder = folders.find((candidate) => candidate.name === name || candidate.root === name);
    if (folder) return folder;
    throw new ToolRefusal(
      folders.length === 0
        ? `No folder "${name}": this server serves no folder with an openspec/ directory.`
        : `No folder "${name}". Folders: ${names()}.`,
    );
  };
  const multiRoot = folders.length > 1;
  return {
    options,
    folders,
    multiRoot,
    folderField: (folder) => (multiRoot ? { folder: folder.name } : {}),
    within: (name) => (name === undefined ? folders : [named(name)]),
    single: (name) => {
      if (name !== undefined) return named(name);
      const [only] = folders;
      if (!only) throw new ToolRefusal('This server serves no folder with an openspec/ directory.');
      if (multiRoot) throw new ToolRefusal(`This server serves several folders: ${names()}. Pass folder to name one.`);
      return only;
    },
    loopRuns: options.loopRuns ?? new RunningLoops(),
  };
}

function folderContext(folder: McpFolder): FolderContext {
  const { root, name } = folder;
  const scans: WorkspaceSource = folder.scans ?? new WorkspaceScans(folder.fs, root);
  const fs = new ConfinedFileSystem(folder.fs, path.join(root, 'openspec'));
  return {
    name,
    root,
    fs,
    scan: () => scans.scan(),
    files: () => (scans.files ? scans.files() : Promise.resolve(fs)),
    relative: (file) => path.relative(root, file),
  };
}
