import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../..');
const OUR_BIN = join(REPO, 'dist/cli.js');
const RSS_PRELOAD = join(__dirname, 'maxRssPreload.js');

/**
 * An SDK client on `openspec-loop mcp --workspace <root>` over stdio, the server started with the preload that
 * writes its peak resident memory to `rssFile` when it exits.
 */
export async function connectMeasuredServer(root: string, rssFile: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['-r', RSS_PRELOAD, OUR_BIN, 'mcp', '--workspace', root],
    env: { ...getDefaultEnvironment(), BENCH_RSS_FILE: rssFile },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'openspec-loop-bench', version: '0.0.0' });
  await client.connect(transport);
  return client;
}

/** The server writes its peak RSS when it exits, shortly after the client closes its stdin. */
export async function peakRssKiB(file: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
    if (Date.now() > deadline) throw new Error('the MCP server did not report its peak memory on exit');
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
  return Number(readFileSync(file, 'utf8').trim());
}
