import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Row } from './table';
import { mainSpec } from './workspaceGenerator';

const REPO = resolve(__dirname, '../../..');
const OUR_BIN = join(REPO, 'dist/cli.js');
const RSS_PRELOAD = join(__dirname, 'maxRssPreload.js');

/**
 * Peak memory of `openspec-loop mcp` while it answers get_spec (first page, parsed and markdown) on one spec of
 * about `megabytes` MB, and the size of those answers: what paging by requirement keeps an agent's client and
 * the server from holding. Reported, not asserted.
 */
export async function measureLargeSpecMemory(megabytes: number): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'openspec-loop-bench-large-spec-'));
  const rssFile = join(root, 'rss.txt');
  try {
    const specDir = join(root, 'openspec', 'specs', 'huge');
    mkdirSync(specDir, { recursive: true });
    // mainSpec writes about 250 bytes per requirement.
    const spec = mainSpec('huge', Math.round((megabytes * 1024 * 1024) / 250));
    writeFileSync(join(specDir, 'spec.md'), spec);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['-r', RSS_PRELOAD, OUR_BIN, 'mcp', '--workspace', root],
      env: { ...getDefaultEnvironment(), BENCH_RSS_FILE: rssFile },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'openspec-loop-bench', version: '0.0.0' });
    await client.connect(transport);
    const sizes: number[] = [];
    for (const format of ['parsed', 'markdown']) {
      const result = (await client.callTool(
        { name: 'get_spec', arguments: { capability: 'huge', format } },
        undefined,
        { timeout: 600_000 },
      )) as CallToolResult;
      if (result.isError) throw new Error(`get_spec failed: ${JSON.stringify(result.content)}`);
      sizes.push(Buffer.byteLength(JSON.stringify(result), 'utf8'));
    }
    await client.close();
    const exited = Date.now();
    while (readFileSync(rssFile, { flag: 'a+' }).length === 0 && Date.now() - exited < 10_000)
      await new Promise((done) => setTimeout(done, 50));
    const peakMiB = Number(readFileSync(rssFile, 'utf8').trim()) / 1024;
    const label = `${(Buffer.byteLength(spec) / 1024 / 1024).toFixed(0)} MB spec`;
    return [
      {
        what: `peak memory, MCP server answering get_spec of a ${label}`,
        value: peakMiB,
        unit: 'MiB',
        note: 'reported',
      },
      {
        what: `largest get_spec answer on that spec (parsed, markdown)`,
        value: Math.max(...sizes) / 1024,
        unit: 'KiB',
        note: 'budget 256 KiB per part',
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
