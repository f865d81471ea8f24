import { silentLogger, type Logger } from '../../logger';
import type { McpServerConfig, McpServersConfig } from './mcpServersConfig';
import { ManagedServer, type McpServerSnapshot, type ToolCallOptions } from './managedServer';
import type { RestartOptions } from './restartPolicy';
import { failedOutcome, type ToolCallOutcome } from './toolCallOutcome';
import { compareText } from '../../compareText';

export interface McpHubOptions {
  readonly logger?: Logger;
  /** Per-call timeout for servers whose entry sets no `timeoutMs`; default 30 000 ms. */
  readonly defaultTimeoutMs?: number;
  /** How long a server may take to start and list its tools (an `npx` download is slow); default 60 000 ms. */
  readonly startupTimeoutMs?: number;
  readonly restart?: RestartOptions;
  /** How long a stdio server may take to exit after its stdin closes before it gets SIGTERM; default 200 ms. */
  readonly stopGraceMs?: number;
  readonly clientInfo?: { readonly name: string; readonly version: string };
}

export interface Disposable {
  dispose(): void;
}

/**
 * The MCP servers the user configured, as clients: started together, listed with their tools and state
 * (failed ones stay listed with their stderr tail), restarted after crashes, and called by name.
 * Listeners hear about every state or tool-list change; they read `servers` for the details.
 */
export class McpHub {
  private readonly managed = new Map<string, ManagedServer>();
  private invalid: McpServerSnapshot[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly options: McpHubOptions;

  constructor(options: McpHubOptions = {}) {
    this.options = options;
  }

  get servers(): McpServerSnapshot[] {
    return [...[...this.managed.values()].map((server) => server.snapshot()), ...this.invalid].sort((a, b) =>
      compareText(a.name, b.name),
    );
  }

  server(name: string): McpServerSnapshot | undefined {
    return this.servers.find((server) => server.name === name);
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Applies a configuration (`parseMcpServersConfig`'s result): new servers start, removed ones stop,
   * changed ones restart, and an entry whose only change is `timeoutMs` keeps running with the new value
   * (a 'failed' or 'stopped' one with an unchanged entry starts again).
   * Resolves once every server made its first attempt, in parallel.
   */
  async start(config: McpServersConfig): Promise<void> {
    this.invalid = config.problems
      .filter((problem) => problem.server !== '')
      .map((problem) => ({
        name: problem.server,
        transport: undefined,
        state: 'invalid' as const,
        tools: [],
        error: problem.message,
        stderrTail: [],
      }));
    for (const problem of config.problems)
      this.logger.warn(`MCP configuration: ${problem.server ? `server "${problem.server}": ` : ''}${problem.message}`);

    const work: Promise<void>[] = [];
    const retried: Promise<void>[] = [];
    for (const [name, server] of this.managed) {
      const next = config.servers[name];
      if (next && sameConnection(server.config, next)) {
        server.config = next;
        // Saving the configuration again is the natural "try again" for a server that gave up.
        const { state } = server.snapshot();
        if (state === 'failed' || state === 'stopped') retried.push(server.start());
        continue;
      }
      this.managed.delete(name);
      work.push(server.stop());
    }
    await Promise.all(work);
    const starting = Object.entries(config.servers)
      .filter(([name]) => !this.managed.has(name))
      .map(([name, serverConfig]) => {
        const server = new ManagedServer(name, serverConfig, {
          logger: this.logger,
          defaultTimeoutMs: this.options.defaultTimeoutMs ?? 30_000,
          startupTimeoutMs: this.options.startupTimeoutMs ?? 60_000,
          restart: this.options.restart ?? {},
          stopGraceMs: this.options.stopGraceMs ?? 200,
          clientInfo: this.options.clientInfo ?? { name: 'openspec-loop', version: '0.1.0' },
          onChange: () => this.emit(),
        });
        this.managed.set(name, server);
        return server.start();
      });
    this.emit();
    await Promise.all([...starting, ...retried]);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.managed.values()].map((server) => server.stop()));
  }

  /** The user's "restart" action: forgets the crash history, so a 'failed' server gets a fresh chance. */
  async restart(name: string): Promise<void> {
    await this.managed.get(name)?.restart();
  }

  /**
   * Calls a tool. Failures the model should hear about (the tool's own error, a timeout, a server that is
   * down) come back as an outcome with `ok: false`; only the caller's abort rejects.
   */
  async callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    options: ToolCallOptions = {},
  ): Promise<ToolCallOutcome> {
    const managed = this.managed.get(server);
    if (!managed) return failedOutcome('unavailable', `no MCP server named "${server}" is configured`, 0);
    const outcome = await managed.callTool(tool, args, options);
    const result = outcome.ok ? 'ok' : `${outcome.failure?.kind ?? 'failed'}: ${outcome.failure?.message ?? ''}`;
    this.logger.info(`MCP ${server}/${tool} ${result} (${outcome.ms} ms)`);
    return outcome;
  }

  private get logger(): Logger {
    return this.options.logger ?? silentLogger;
  }

  private emit(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.logger.error('An MCP hub listener failed', error);
      }
    }
  }
}

function sameConnection(a: McpServerConfig, b: McpServerConfig): boolean {
  return JSON.stringify({ ...a, timeoutMs: undefined }) === JSON.stringify({ ...b, timeoutMs: undefined });
}
