import type { Logger } from '../../logger';
import type { McpServerConfig } from './mcpServersConfig';
import { RestartPolicy, type RestartOptions } from './restartPolicy';
import type { McpToolInfo, ServerConnection } from './serverConnection';
import { StderrTail } from './stderrTail';
import {
  failedOutcome,
  isSessionLost,
  isUnreachable,
  messageWithCause,
  outcomeOfError,
  outcomeOfResult,
  type ToolCallOutcome,
} from './toolCallOutcome';
import { counted } from '../../counted';

export type McpServerState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped' | 'invalid';

export interface McpServerSnapshot {
  readonly name: string;
  readonly transport: 'stdio' | 'http' | undefined;
  readonly state: McpServerState;
  readonly tools: readonly McpToolInfo[];
  readonly error?: string;
  /** The last lines the process wrote to stderr, across restarts (stdio servers only). */
  readonly stderrTail: readonly string[];
  /** The running process, for stdio servers. */
  readonly pid?: number;
}

export interface ToolCallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the server's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
}

export interface ManagedServerOptions {
  readonly logger: Logger;
  readonly defaultTimeoutMs: number;
  /** Bounds the handshake and the tool listing. */
  readonly startupTimeoutMs: number;
  readonly restart: RestartOptions;
  readonly stopGraceMs: number;
  readonly clientInfo: { readonly name: string; readonly version: string };
  readonly onChange: () => void;
}

/**
 * One configured server through its life: connect, list tools, serve calls, and come back after a crash
 * with backoff until the restart bound says it is broken. Every connection attempt has a generation; events
 * from an older one (a process killed on purpose, a late handshake) are ignored.
 */
export class ManagedServer {
  private state: McpServerState = 'stopped';
  private tools: readonly McpToolInfo[] = [];
  private error: string | undefined;
  private readonly tail = new StderrTail();
  private connection: ServerConnection | undefined;
  private generation = 0;
  private attempt: { readonly abort: AbortController; readonly done: Promise<void> } | undefined;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly restarts: RestartPolicy;
  private readonly settledListeners = new Set<() => void>();

  constructor(
    readonly name: string,
    public config: McpServerConfig,
    private readonly options: ManagedServerOptions,
  ) {
    this.restarts = new RestartPolicy(options.restart);
  }

  snapshot(): McpServerSnapshot {
    const pid = this.state === 'ready' ? this.connection?.pid : undefined;
    return {
      name: this.name,
      transport: this.config.type,
      state: this.state,
      tools: this.tools,
      ...(this.error !== undefined ? { error: this.error } : {}),
      stderrTail: this.tail.lines(),
      ...(pid !== undefined ? { pid } : {}),
    };
  }

  /** Resolves after the first attempt; a failed one goes on retrying in the background. */
  async start(): Promise<void> {
    this.restarts.reset();
    await this.connect('starting');
  }

  /** Forgets past crashes and starts a fresh connection. */
  async restart(): Promise<void> {
    await this.stop();
    this.restarts.reset();
    await this.connect('restarting');
  }

  async stop(): Promise<void> {
    this.generation++;
    this.clearRestartTimer();
    const attempt = this.attempt;
    const connection = this.connection;
    this.connection = undefined;
    this.tools = [];
    this.setState('stopped');
    attempt?.abort.abort();
    await Promise.all([attempt?.done, connection?.close(this.options.stopGraceMs)]);
  }

  async callTool(tool: string, args: Record<string, unknown>, options: ToolCallOptions = {}): Promise<ToolCallOutcome> {
    const started = Date.now();
    // Read on every call so a changed configuration applies without a restart.
    const timeoutMs = options.timeoutMs ?? this.config.timeoutMs ?? this.options.defaultTimeoutMs;
    await this.settled(timeoutMs, options.signal);
    const elapsed = () => Date.now() - started;
    const call = async (): Promise<ToolCallOutcome> => {
      const connection = this.connection;
      if (this.state !== 'ready' || !connection) {
        return failedOutcome(
          'unavailable',
          `the MCP server "${this.name}" is ${this.state}${this.error ? ` (${this.error})` : ''}`,
          elapsed(),
        );
      }
      const remaining = Math.max(1, timeoutMs - elapsed());
      return outcomeOfResult(await connection.callTool(tool, args, remaining, options.signal), elapsed());
    };
    try {
      return await call();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (this.config.type === 'http' && isSessionLost(error)) {
        this.options.logger.info(`MCP server "${this.name}" lost its session (restarted?); reconnecting`);
        await this.reconnect();
        try {
          return await call();
        } catch (retryError) {
          if (options.signal?.aborted) throw options.signal.reason;
          return outcomeOfError(retryError, timeoutMs, elapsed());
        }
      }
      if (this.config.type === 'http' && isUnreachable(error))
        this.lost(this.generation, `unreachable: ${messageWithCause(error)}`);
      return outcomeOfError(error, timeoutMs, elapsed());
    }
  }

  private async connect(phase: 'starting' | 'restarting'): Promise<void> {
    const generation = ++this.generation;
    this.clearRestartTimer();
    this.setState(phase);
    const abort = new AbortController();
    const done = this.attemptConnection(generation, abort.signal);
    this.attempt = { abort, done };
    await done;
    if (this.attempt?.done === done) this.attempt = undefined;
  }

  private async attemptConnection(generation: number, signal: AbortSignal): Promise<void> {
    // `timeoutMs` bounds tool calls; a slow-starting server (npx downloading it) gets the longer default.
    const timeoutMs = Math.max(this.config.timeoutMs ?? 0, this.options.startupTimeoutMs);
    let connection: ServerConnection | undefined;
    try {
      connection = await connections().ServerConnection.open(
        this.config,
        {
          onStderr: (text) => this.tail.append(text),
          onLost: (reason) => this.lost(generation, reason),
          onToolsChanged: () => void this.refreshTools(generation),
          onError: (error) => this.options.logger.debug(`MCP server "${this.name}": ${messageWithCause(error)}`),
        },
        { timeoutMs, signal, clientInfo: this.options.clientInfo },
      );
      const tools = await connection.listTools(timeoutMs, signal);
      if (generation !== this.generation) {
        await connection.close(this.options.stopGraceMs);
        return;
      }
      this.connection = connection;
      this.tools = tools;
      this.error = undefined;
      this.options.logger.info(`MCP server "${this.name}" ready with ${counted(tools.length, 'tool')}`);
      this.setState('ready');
    } catch (error) {
      await connection?.close(0);
      if (generation !== this.generation) return;
      this.crashed(`could not start: ${messageWithCause(error)}`);
    }
  }

  private lost(generation: number, reason: string): void {
    if (generation !== this.generation || this.state !== 'ready') return;
    const connection = this.connection;
    this.connection = undefined;
    void connection?.close(0);
    this.crashed(reason);
  }

  /** Restarts after a backoff, or gives up once the restart bound is reached. */
  private crashed(reason: string): void {
    this.tail.flush();
    this.tools = [];
    const delay = this.restarts.nextDelay();
    if (delay === undefined) {
      this.error = `${reason}; gave up after ${this.restarts.limitDescription}`;
      this.options.logger.error(
        `MCP server "${this.name}" failed: ${this.error}\n${this.tail.lines().slice(-10).join('\n')}`,
      );
      this.setState('failed');
      return;
    }
    this.error = reason;
    this.options.logger.warn(`MCP server "${this.name}": ${reason}; restarting in ${delay} ms`);
    this.setState('restarting');
    const generation = this.generation;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      // A stop or a new configuration since then has moved the generation on: nothing to restart.
      if (generation === this.generation) void this.connect('restarting');
    }, delay);
  }

  /** One fresh session after the server forgot ours; concurrent callers share it. */
  private reconnecting: Promise<void> | undefined;
  private async reconnect(): Promise<void> {
    if (!this.reconnecting) {
      const old = this.connection;
      this.connection = undefined;
      this.reconnecting = (async () => {
        this.generation++;
        await old?.close(0);
        await this.connect('restarting');
      })().finally(() => (this.reconnecting = undefined));
    }
    await this.reconnecting;
  }

  private async refreshTools(generation: number): Promise<void> {
    const connection = this.connection;
    if (generation !== this.generation || !connection) return;
    try {
      const tools = await connection.listTools(this.config.timeoutMs ?? this.options.defaultTimeoutMs);
      if (generation !== this.generation) return;
      this.tools = tools;
      this.options.onChange();
    } catch (error) {
      this.options.logger.debug(`MCP server "${this.name}": could not refresh its tools: ${messageWithCause(error)}`);
    }
  }

  /** Waits while the server is (re)starting, up to `timeoutMs`. */
  private async settled(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.state !== 'starting' && this.state !== 'restarting') return;
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.settledListeners.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      signal?.addEventListener('abort', finish);
      this.settledListeners.add(finish);
      // An abort that already happened fires no event.
      if (signal?.aborted) finish();
    });
    if (signal?.aborted) throw signal.reason;
  }

  private setState(state: McpServerState): void {
    this.state = state;
    if (state !== 'starting' && state !== 'restarting') for (const listener of [...this.settledListeners]) listener();
    this.options.onChange();
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }
}

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The MCP SDK's client, loaded at the first connection, not with the extension: servers start at the first AI use,
 * and setting up the SDK is a good part of running the bundle, which the extension host waits for.
 */
const connections = (): typeof import('./serverConnection') =>
  require('./serverConnection') as typeof import('./serverConnection');
/* eslint-enable @typescript-eslint/no-require-imports */
