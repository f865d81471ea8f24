import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMeasuredServer, peakRssKiB } from './measuredMcpServer';
import type { Row } from './table';
import { mainSpec } from './workspaceGenerator';

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
    const client = await connectMeasuredServer(root, rssFile);
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
    const peakMiB = (await peakRssKiB(rssFile)) / 1024;
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
