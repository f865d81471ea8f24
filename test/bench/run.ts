import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { makeRoot } from '../../src/core/validation/projectRoot';
import { validateItems } from '../../src/core/validation/validateItems';
import { Validator } from '../../src/core/validation/validator';
import { scanWorkspace } from '../../src/core/openspec/workspaceScanner';
import { parseMainSpec } from '../../src/core/openspec/specDocuments';
import { answerTokenRows } from './answerTokens';
import { benchArchive } from './archiveBench';
import { benchCli } from './cliBench';
import { benchCodeHost } from './codeHostBench';
import { benchHost } from './hostBench';
import { benchLanguage } from './languageBench';
import { measureMcpLatency } from './mcpLatency';
import { measureMcpParallel } from './mcpParallel';
import { measureLargeSpecMemory } from './largeSpecMemory';
import { measureLiveModelMemory } from './liveModelMemory';
import { benchModelRefresh } from './modelRefresh';
import { benchSpecLanguage } from './specLanguageBench';
import { measurePromptPacking, promptPackingRows } from './promptPacking';
import { generateWorkspace, mainSpec } from './workspaceGenerator';
import { printTable, timeAsync, timeSync, type Row } from './table';

/**
 * `npm run bench`: times the real OpenSpec CLI and ours on the same generated project, side by side, and the
 * in-process paths the editor uses. Prints a table; the targets are in the last column. BENCH_ONLY=archive runs
 * the archive rows alone, BENCH_ONLY=language the language feature rows, BENCH_ONLY=host the extension host
 * thread rows, BENCH_ONLY=cli the validate and memory rows against the OpenSpec CLI, BENCH_ONLY=mcp the MCP
 * server rows, BENCH_ONLY=codehost activation, first tree paint and the host thread in the real extension host
 * (code-server and Chromium, as the UI tests run them; BENCH_CODEHOST_ROUNDS rounds, 3 by default;
 * OPENSPEC_LOOP_HOST_PROFILE=<file> also saves a CPU profile of the host, of the last round).
 */
const REPO = resolve(__dirname, '../../..');
const OPENSPEC_BIN = join(REPO, 'node_modules/@fission-ai/openspec/bin/openspec.js');
const OUR_BIN = join(REPO, 'dist/cli.js');
const ENV = { ...process.env, OPENSPEC_TELEMETRY: '0', DO_NOT_TRACK: '1', NO_COLOR: '1' };

async function main(): Promise<void> {
  const changes = Number(process.env.BENCH_CHANGES ?? 500);
  const specs = Number(process.env.BENCH_SPECS ?? 300);
  const scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-bench-'));
  const root = join(scratch, 'project');
  try {
    generateWorkspace(root, { changes, specs });
    const archiveRows = () =>
      benchArchive(root, `${changes} changes, ${specs} specs`, { openspec: OPENSPEC_BIN, ours: OUR_BIN }, ENV);
    if (process.env.BENCH_ONLY === 'archive') {
      printTable(await archiveRows());
      return;
    }
    const mcpRows = async (): Promise<Row[]> => [
      ...(await measureMcpLatency(join(REPO, 'examples', 'sample-project'), { label: 'sample project' })),
      ...(await measureMcpLatency(root, { calls: 20, cliRuns: 2, label: `${changes} changes` })),
      ...(await measureMcpParallel(root, 200, `${changes} changes`)),
    ];
    if (process.env.BENCH_ONLY === 'mcp') {
      const large = join(scratch, 'large');
      generateWorkspace(large, { changes: 1000, specs });
      printTable([...(await mcpRows()), ...(await measureLiveModelMemory(large, 1000))]);
      return;
    }
    if (process.env.BENCH_ONLY === 'language') {
      const large = join(scratch, 'large');
      generateWorkspace(large, { changes: 1000, specs });
      printTable([...(await benchSpecLanguage(large, 1000)), ...(await benchLanguage(large, 1000))]);
      return;
    }
    if (process.env.BENCH_ONLY === 'host') {
      const large = join(scratch, 'large');
      generateWorkspace(large, { changes: 1000, specs });
      printTable(await benchHost(large, 1000));
      return;
    }
    if (process.env.BENCH_ONLY === 'codehost') {
      const large = join(scratch, 'large');
      generateWorkspace(large, { changes: 1000, specs });
      printTable(await benchCodeHost(large, 1000));
      return;
    }
    const cliRows = () =>
      benchCli(
        root,
        `${changes} changes, ${specs} specs`,
        { openspec: OPENSPEC_BIN, ours: OUR_BIN },
        ENV,
        'change-0000',
      );
    if (process.env.BENCH_ONLY === 'cli') {
      const { rows, agree } = await cliRows();
      printTable(rows);
      if (!agree) process.exitCode = 1;
      return;
    }
    const rows: Row[] = [];
    const { rows: validateRows, agree } = await cliRows();
    rows.push(...validateRows);
    rows.push(...(await archiveRows()));
    const bare = timeSync(3, () => execFileSync(process.execPath, ['-e', '0']));
    rows.push({
      what: 'bare `node -e 0` on this machine',
      value: bare,
      unit: 'ms',
      note: 'process start, part of both CLI figures',
    });

    const fs = new NodeFileSystem();
    const projectRoot = makeRoot(root, 'nearest');
    const inProcess = await timeAsync(5, () =>
      validateItems(fs, projectRoot, { kind: 'bulk', changes: true, specs: true }),
    );
    rows.push({
      what: 'in-process full validation (all items)',
      value: inProcess,
      unit: 'ms',
      note: 'what the extension runs on start',
    });
    const scan = await timeAsync(5, () => scanWorkspace(fs, root));
    rows.push({ what: 'in-process model scan (tree, CodeLens model)', value: scan, unit: 'ms', note: '' });

    const bigSpec = mainSpec('big', 180);
    const lines = bigSpec.split('\n').length;
    const validator = new Validator(fs);
    const revalidate = timeSync(200, () => validator.validateSpecContent('big', bigSpec));
    rows.push({
      what: `re-validate one ${lines}-line spec (editor keystroke)`,
      value: revalidate,
      unit: 'ms',
      note: 'target < 10 ms',
    });
    const reparse = timeSync(200, () => parseMainSpec('/big/spec.md', 'big', bigSpec));
    rows.push({ what: `re-parse the same spec into the model`, value: reparse, unit: 'ms', note: '' });

    rows.push(...answerTokenRows());

    const large = join(scratch, 'large');
    generateWorkspace(large, { changes: 1000, specs });
    rows.push(...(await benchModelRefresh(large, 1000)));
    rows.push(...(await measureLiveModelMemory(large, 1000)));
    rows.push(...(await benchHost(large, 1000)));
    rows.push(...(await benchCodeHost(large, 1000)));
    rows.push(...(await benchSpecLanguage(large, 1000)));
    rows.push(...(await benchLanguage(large, 1000)));

    rows.push(
      ...promptPackingRows(await measurePromptPacking(join(REPO, 'examples', 'sample-project')), 'sample project'),
    );
    rows.push(...promptPackingRows(await measurePromptPacking(root), `${changes} changes, ${specs} specs`));

    rows.push(...(await mcpRows()));
    rows.push(...(await measureLargeSpecMemory(50)));

    printTable(rows);
    if (!agree) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
