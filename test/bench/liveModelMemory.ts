import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMeasuredServer, peakRssKiB } from './measuredMcpServer';
import type { Row } from './table';

/**
 * What the live model costs in memory on a large project (`root`, `changes` changes): the heap the editor's
 * parsed model keeps (measured in a fresh Node with garbage collected before and after the load), and the peak
 * memory of `openspec-loop mcp` once it has listed, searched and validated everything. Reported, not asserted.
 */
export async function measureLiveModelMemory(root: string, changes: number): Promise<Row[]> {
  const model = join(__dirname, '../../src/core/openspec/workspaceModel.js');
  const files = join(__dirname, '../../src/node/nodeFileSystem.js');
  const heapBytes = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '-e',
      `const { WorkspaceModel } = require(${JSON.stringify(model)});
       const { NodeFileSystem } = require(${JSON.stringify(files)});
       (async () => {
         gc();
         const before = process.memoryUsage().heapUsed;
         const kept = await WorkspaceModel.load(new NodeFileSystem(), ${JSON.stringify(root)});
         gc();
         process.stdout.write(String(process.memoryUsage().heapUsed - before));
         if (!kept) process.exitCode = 1;
       })();`,
    ],
    { encoding: 'utf8' },
  );
  const scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-bench-live-memory-'));
  try {
    const rssFile = join(scratch, 'rss.txt');
    const client = await connectMeasuredServer(root, rssFile);
    for (const [name, args] of [
      ['list_changes', {}],
      ['search_requirements', { query: 'session timeout' }],
      ['validate', {}],
    ] as const) {
      const result = (await client.callTool({ name, arguments: args }, undefined, {
        timeout: 120_000,
      })) as CallToolResult;
      if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    }
    await client.close();
    const peakMiB = (await peakRssKiB(rssFile)) / 1024;
    return [
      {
        what: `live model, ${changes} changes: heap it keeps (editor)`,
        value: Number(heapBytes) / 1024 / 1024,
        unit: 'MiB',
        note: 'parsed changes, specs and archive; reported',
      },
      {
        what: `peak memory, MCP server on ${changes} changes after list, search, validate all`,
        value: peakMiB,
        unit: 'MiB',
        note: 'live model plus the files it remembers; reported',
      },
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
