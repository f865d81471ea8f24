import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { median, type Row } from './table';

/**
 * Latency of `openspec-loop mcp` as an agent feels it: one long-lived stdio server, the SDK client, N calls
 * each of list_changes, get_change and validate (p50/p99), against a fresh `openspec list`, `show` and
 * `validate --all` process per question, which is what an agent without the server pays.
 */
const REPO = resolve(__dirname, '../../..');
const OUR_BIN = join(REPO, 'dist/cli.js');
const OPENSPEC_BIN = join(REPO, 'node_modules/@fission-ai/openspec/bin/openspec.js');

export interface McpLatencyOptions {
  /** Calls per tool (default 50). */
  readonly calls?: number;
  /** Runs per OpenSpec CLI command (default 3). */
  readonly cliRuns?: number;
  /** Names the project in each row, e.g. "sample project". */
  readonly label?: string;
}

export function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

async function timeCalls(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  calls: number,
): Promise<number[]> {
  const call = async () => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  };
  await call();
  const samples: number[] = [];
  for (let index = 0; index < calls; index++) {
    const start = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

function timeOpenSpec(args: readonly string[], cwd: string): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [OPENSPEC_BIN, ...args],
      {
        cwd,
        env: { ...process.env, OPENSPEC_TELEMETRY: '0', DO_NOT_TRACK: '1', NO_COLOR: '1' },
        maxBuffer: 64 * 1024 * 1024,
      },
      // validate exits 1 when an item fails: still a complete answer, so only a missing output is an error.
      (error, stdout) =>
        stdout.length > 0 || !error
          ? resolvePromise(Number(process.hrtime.bigint() - start) / 1e6)
          : reject(error instanceof Error ? error : new Error('validate printed nothing')),
    );
  });
}

/** `root`: a project folder (with openspec/ and at least one change); dist/cli.js must be built. */
export async function measureMcpLatency(root: string, options: McpLatencyOptions = {}): Promise<Row[]> {
  const calls = options.calls ?? 50;
  const cliRuns = options.cliRuns ?? 3;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [OUR_BIN, 'mcp', '--workspace', root],
    env: getDefaultEnvironment(),
    stderr: 'ignore',
  });
  const client = new Client({ name: 'openspec-loop-bench', version: '0.0.0' });
  const connectStart = process.hrtime.bigint();
  await client.connect(transport);
  const connectMs = Number(process.hrtime.bigint() - connectStart) / 1e6;
  const tag = options.label ? ` (${options.label})` : '';
  const rows: Row[] = [
    {
      what: `mcp: start + initialize${tag}`,
      value: connectMs,
      unit: 'ms',
      note: 'spawn of dist/cli.js mcp and the MCP handshake',
    },
  ];
  try {
    const listed = (await client.callTool({ name: 'list_changes', arguments: {} })) as CallToolResult;
    const change = (listed.structuredContent as { changes: Array<{ id: string }> }).changes[0]?.id;
    if (change === undefined) throw new Error(`${root} has no active change to measure get_change with`);
    const measured: Array<{ tool: string; args: Record<string, unknown>; cli: string[] }> = [
      { tool: 'list_changes', args: {}, cli: ['list', '--json'] },
      { tool: 'get_change', args: { change }, cli: ['show', change, '--json'] },
      { tool: 'validate', args: {}, cli: ['validate', '--all', '--json', '--no-interactive'] },
    ];
    const specs = (await client.callTool({ name: 'list_specs', arguments: {} })) as CallToolResult;
    const capability = (specs.structuredContent as { specs: Array<{ id: string }> }).specs[0]?.id;
    // The calls an agent makes most, without an OpenSpec CLI command to compare with.
    const mcpOnly: Array<{ what: string; tool: string; args: Record<string, unknown> }> = [
      ...(capability === undefined ? [] : [{ what: 'get_spec', tool: 'get_spec', args: { capability } }]),
      { what: 'search_requirements', tool: 'search_requirements', args: { query: 'session timeout' } },
      { what: 'validate one change', tool: 'validate', args: { items: [change], type: 'change' } },
    ];
    for (const { what, tool, args } of mcpOnly) {
      const samples = await timeCalls(client, tool, args, calls);
      rows.push({
        what: `mcp ${what} p50${tag}`,
        value: percentile(samples, 0.5),
        unit: 'ms',
        note: `${calls} calls; p99 ${percentile(samples, 0.99).toFixed(1)} ms`,
      });
    }
    for (const { tool, args, cli } of measured) {
      const samples = await timeCalls(client, tool, args, calls);
      const p50 = percentile(samples, 0.5);
      const cliSamples: number[] = [];
      for (let run = 0; run < cliRuns; run++) cliSamples.push(await timeOpenSpec(cli, root));
      const cliMs = median(cliSamples);
      rows.push(
        {
          what: `mcp ${tool} p50${tag}`,
          value: p50,
          unit: 'ms',
          note: `${calls} calls; openspec ${cli[0]} is ${(cliMs / Math.max(p50, 0.001)).toFixed(1)}x slower`,
        },
        { what: `mcp ${tool} p99${tag}`, value: percentile(samples, 0.99), unit: 'ms', note: `${calls} calls` },
        { what: `openspec ${cli.join(' ')}${tag}`, value: cliMs, unit: 'ms', note: `median of ${cliRuns} processes` },
      );
    }
  } finally {
    await client.close();
  }
  return rows;
}
