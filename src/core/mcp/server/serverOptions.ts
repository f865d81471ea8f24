import type { ChatModel } from '../../ai/chatModel';
import type { FileSystem } from '../../fs/fileSystem';
import type { FileWriter } from '../../fs/fileWriter';
import type { Logger } from '../../logger';
import type { ParseCache } from '../../openspec/parseCache';

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
  /**
   * How writes happen: the CLI's writes to disk (confined to openspec/), the extension's applies undoable edits
   * to the open documents. Without it the writing tools answer that this server cannot write.
   */
  readonly writer?: FileWriter;
  readonly version: string;
  /** Parsed documents kept between calls; pass one when a new server is created per request (stateless HTTP). */
  readonly parseCache?: ParseCache;
}
