import type { ChatModel } from '../../ai/chatModel';
import type { FileSystem } from '../../fs/fileSystem';
import type { Logger } from '../../logger';
import type { WorkspaceScans } from './workspaceScans';
import type { WorkspaceWriter } from './workspaceWriter';

export interface OpenSpecMcpOptions {
  /**
   * Every read goes through it, confined by the server to what really lies inside `<root>/openspec/`; the
   * extension passes its overlay with unsaved editor text.
   */
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
  /**
   * Scans of `fs` and `root` shared between servers; pass one when a new server is created per request
   * (stateless HTTP), so parallel requests share a scan and parsed documents. Each server makes its own otherwise.
   */
  readonly scans?: WorkspaceScans;
}
