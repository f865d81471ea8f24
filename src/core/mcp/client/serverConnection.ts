import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { environmentFor, type McpServerConfig } from './mcpServersConfig';

export interface McpToolInfo {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
}

export interface ConnectionEvents {
  onStderr(text: string): void;
  /** The connection ended without `close()`: the process exited or the transport gave up. */
  onLost(reason: string): void;
  onToolsChanged(): void;
  onError(error: Error): void;
}

export interface OpenOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly clientInfo: { readonly name: string; readonly version: string };
}

/** One live MCP session: a spawned process or an HTTP session, with the SDK client on top. */
export class ServerConnection {
  private closing = false;

  private constructor(
    private readonly client: Client,
    private readonly transport: Transport,
  ) {}

  /** Spawns or dials the server and runs the MCP handshake; on any failure nothing is left running. */
  static async open(
    config: McpServerConfig,
    events: ConnectionEvents,
    options: OpenOptions,
  ): Promise<ServerConnection> {
    const transport = createTransport(config, events);
    const client = new Client(options.clientInfo, { capabilities: {} });
    const connection = new ServerConnection(client, transport);
    client.onerror = (error) => events.onError(error);
    try {
      await client.connect(transport, { timeout: options.timeoutMs, signal: options.signal });
    } catch (error) {
      await connection.close(0);
      throw error;
    }
    client.onclose = () => {
      if (!connection.closing)
        events.onLost(config.type === 'stdio' ? 'the server process exited' : 'the connection closed');
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      events.onToolsChanged();
      return Promise.resolve();
    });
    return connection;
  }

  /** The spawned process, for stdio servers while it runs. */
  get pid(): number | undefined {
    return this.transport instanceof TrackedStdioTransport ? this.transport.child?.pid : undefined;
  }

  async listTools(timeoutMs: number, signal?: AbortSignal): Promise<McpToolInfo[]> {
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.listTools(cursor ? { cursor } : undefined, {
        timeout: timeoutMs,
        ...(signal ? { signal } : {}),
      });
      for (const tool of page.tools) {
        tools.push({
          name: tool.name,
          description: tool.description ?? tool.title ?? '',
          inputSchema: tool.inputSchema,
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<CallToolResult> {
    const result = await this.client.callTool({ name, arguments: args }, undefined, {
      timeout: timeoutMs,
      ...(signal ? { signal } : {}),
    });
    return result as CallToolResult;
  }

  /**
   * Ends the session. A stdio server gets `graceMs` to exit after its stdin closes, then SIGTERM: the SDK
   * alone waits two seconds, which many servers (that never watch stdin) always use up.
   */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    const closed = this.client.close().catch(() => undefined);
    if (this.transport instanceof TrackedStdioTransport) await this.transport.terminate(graceMs);
    await closed;
  }
}

/**
 * Keeps hold of the child process: the SDK forgets it as soon as a close starts (a failed handshake closes
 * by itself), and then waits two seconds before it signals the process.
 */
class TrackedStdioTransport extends StdioClientTransport {
  child: ChildProcess | undefined;

  override async start(): Promise<void> {
    await super.start();
    const child: unknown = Reflect.get(this, '_process');
    if (child instanceof EventEmitter && typeof (child as ChildProcess).kill === 'function')
      this.child = child as ChildProcess;
  }

  /** SIGTERM after `graceMs` unless the process exited by itself, SIGKILL two seconds later. */
  async terminate(graceMs: number): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
    const waited = (ms: number) =>
      Promise.race([exited, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
    if (await waited(graceMs)) return;
    child.kill('SIGTERM');
    if (await waited(2000)) return;
    child.kill('SIGKILL');
  }
}

function createTransport(config: McpServerConfig, events: ConnectionEvents): Transport {
  if (config.type === 'http') {
    return new StreamableHTTPClientTransport(new URL(config.url), {
      ...(config.headers ? { requestInit: { headers: config.headers } } : {}),
    });
  }
  // `env` replaces the environment in a spawn; without PATH and HOME, `npx` and friends are not found.
  const transport = new TrackedStdioTransport({
    command: config.command,
    args: config.args ?? [],
    env: environmentFor(getDefaultEnvironment(), config.env),
    ...(config.cwd ? { cwd: config.cwd } : {}),
    stderr: 'pipe',
  });
  // A streaming decoder, so a character split across two chunks is not mangled.
  const decoder = new TextDecoder();
  transport.stderr?.on('data', (chunk: Buffer | string) =>
    events.onStderr(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })),
  );
  return transport;
}
