import type { ArchivePlan } from '../../archive/archiveTypes';
import type { ChatModel } from '../../ai/chatModel';
import type { FileSystem } from '../../fs/fileSystem';
import type { FileWriter } from '../../fs/fileWriter';
import type { Logger } from '../../logger';
import type { RunningLoops } from '../../loop/runningLoops';
import type { WorkspaceSource } from './workspaceScans';

/** One project the server serves: a folder holding openspec/ (a workspace folder, or a --workspace). */
export interface McpFolder {
  /** How answers and the tools' `folder` argument name it; unique among the server's folders. */
  readonly name: string;
  /** Absolute POSIX project root (the folder containing openspec/). */
  readonly root: string;
  /**
   * Every read goes through it, confined by the server to what really lies inside `<root>/openspec/`; the
   * extension passes its overlay with unsaved editor text.
   */
  readonly fs: FileSystem;
  /**
   * Where calls get the project, shared between servers when a new one is created per request (stateless
   * HTTP): a LiveWorkspace kept current by a watcher (the stdio server), the window's live model brought up to
   * date per call (the extension), or WorkspaceScans. Each server makes its own WorkspaceScans otherwise.
   */
  readonly scans?: WorkspaceSource;
}

export interface OpenSpecMcpOptions {
  /**
   * The projects served, in the order listings show them. With several, every listed item names its folder,
   * and an id found in more than one is refused until the call names the folder.
   */
  readonly folders: readonly McpFolder[];
  /** Writing tools refuse unless true. */
  readonly allowWrite: boolean;
  /** Never the console: on stdio, stdout is the protocol. */
  readonly logger: Logger;
  /** Connects to LM Studio; without it the AI tools answer "not configured". */
  readonly connectModel?: (signal?: AbortSignal) => Promise<ChatModel>;
  /**
   * How writes happen: the CLI's writes to disk (confined to openspec/), the extension's applies undoable edits
   * to the open documents. Without it the writing tools answer that this server cannot write.
   */
  readonly writer?: FileWriter;
  readonly version: string;
  /**
   * The loops running on these projects, one per change per folder: the extension passes the window's, shared
   * with the editor's runs; without it the server keeps its own (then pass one when a new server is created per
   * request).
   */
  readonly loopRuns?: RunningLoops;
  /**
   * Told of every archive this server wrote, with its plan, once written: the window records what it wrote, so
   * Undo Archive and Restore take an agent's archive back as they take back the user's.
   */
  readonly onArchived?: (root: string, plan: ArchivePlan) => Promise<void>;
}
