import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { connectMeasuredServer, peakRssKiB } from './measuredMcpServer';
import { percentile } from './mcpLatency';
import type { Row } from './table';

/**
 * Many agents (or one agent fanning out) calling `openspec-loop mcp` at once: `calls` list_changes sent together
 * on one stdio connection, their p50 latency and the server's peak resident memory. Concurrent calls share one
 * scan of the project, so memory stays that of one scan however many calls wait on it.
 */
export async function measureMcpParallel(root: string, calls: number, label: string): Promise<Row[]> {
  const rssFile = join(root, '..', `mcp-rss-${process.hrtime.bigint()}.txt`);
  const client = await connectMeasuredServer(root, rssFile);
  const samples: number[] = [];
  try {
    const call = async () => {
      const start = process.hrtime.bigint();
      const result = (await client.callTool({ name: 'list_changes', arguments: {} }, undefined, {
        timeout: 600_000,
      })) as CallToolResult;
      if (result.isError) throw new Error(`list_changes failed: ${JSON.stringify(result.content)}`);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    };
    await call();
    samples.length = 0;
    await Promise.all(Array.from({ length: calls }, call));
  } finally {
    await client.close();
  }
  const peakMiB = (await peakRssKiB(rssFile)) / 1024;
  rmSync(rssFile, { force: true });
  return [
    {
      what: `mcp ${calls} parallel list_changes p50 (${label})`,
      value: percentile(samples, 0.5),
      unit: 'ms',
      // The figure is wall time: on a shared machine it says as much about the neighbours as about the server.
      note: `p99 ${percentile(samples, 0.99).toFixed(0)} ms; target p50 < 1000 ms; load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    },
    {
      what: `mcp server peak memory, ${calls} parallel list_changes (${label})`,
      value: peakMiB,
      unit: 'MiB',
      note: 'target < 300 MiB',
    },
  ];
}
