import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { McpHub } from '../../../../src/core/mcp/client/mcpHub';
import type { McpServerSnapshot } from '../../../../src/core/mcp/client/managedServer';
import type { McpStdioServerConfig } from '../../../../src/core/mcp/client/mcpServersConfig';
import { REPO_ROOT } from '../../../harness/repoPaths';

/** The reference server from `@modelcontextprotocol/server-everything`: echo, get-sum, get-env, a slow tool. */
export const everythingScript = join(
  REPO_ROOT,
  'node_modules',
  '@modelcontextprotocol',
  'server-everything',
  'dist',
  'index.js',
);

export function everythingStdio(extra: Partial<Omit<McpStdioServerConfig, 'type'>> = {}): McpStdioServerConfig {
  return { type: 'stdio', command: process.execPath, args: [everythingScript, 'stdio'], ...extra };
}

/** Restarts fast enough for tests. */
export const quickRestarts = { baseDelayMs: 30, maxDelayMs: 200, maxRestarts: 3, windowMs: 60_000 };

/** Resolves with the server's snapshot once `predicate` holds, checking on every hub change. */
export function waitForServer(
  hub: McpHub,
  name: string,
  predicate: (server: McpServerSnapshot) => boolean,
  timeoutMs = 8000,
): Promise<McpServerSnapshot> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const server = hub.server(name);
      if (!server || !predicate(server)) return false;
      clearTimeout(timer);
      subscription.dispose();
      resolve(server);
      return true;
    };
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out waiting for MCP server "${name}"; now ${JSON.stringify(hub.server(name))}`));
    }, timeoutMs);
    const subscription = hub.onDidChange(() => void check());
    check();
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** server-everything in streamable HTTP mode on `port`, ready once it says it listens. */
export class EverythingHttpServer {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [everythingScript, 'streamableHttp'], {
      env: { ...process.env, PORT: String(this.port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server-everything did not listen: ${stderr}`)), 8000);
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += String(chunk);
        if (/listening on port/i.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server-everything exited with ${code}: ${stderr}`));
      });
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
