import type { ChatModel } from '../../ai/chatModel';
import type { FileSystem } from '../../fs/fileSystem';
import type { Logger } from '../../logger';
import type { RunningLoops } from '../../loop/runningLoops';
import type { ParseCache } from '../../openspec/parseCache';
import type { WorkspaceWriter } from './workspaceWriter';

export interface OpenSpecMcpOptions {
  /** Every read goes through it; the extension passes its overlay with unsaved editor text. */
  readonly fs: FileSystem;
  /** Absolute POSIX project root (the folder containing openspec/). */
  readonly root: string;
  /** Writing tools refuse unless true. */
  readonly allowWrite: boolean;
  /** Never the console: on stdio, stdout is the protocol. */
  readonly logger: Logger;
  /** Connects to LM Studio; without it the AI tools answer "not configured". */
  readonly connectModel?: (signal?: AbortSignal) => Promise<ChatModel>;
  /** How writes happen; without it the writing tools answer that this server cannot write. */
  readonly writer?: WorkspaceWriter;
  readonly version: string;
  /** Parsed documents kept between calls; pass one when a new server is created per request (stateless HTTP). */
  readonly parseCache?: ParseCache;
  /**
   * The loops running on this project, one per change: the extension passes the window's, shared with the editor's
   * runs; without it the server keeps its own (then pass one when a new server is created per request).
   */
  readonly loopRuns?: RunningLoops;
}
