import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { makeRoot } from '../../src/core/validation/projectRoot';
import { validateItems, type ValidationRun } from '../../src/core/validation/validateItems';
import { Validator } from '../../src/core/validation/validator';
import { scanWorkspace } from '../../src/core/openspec/workspaceScanner';
import { parseMainSpec } from '../../src/core/openspec/specDocuments';
import { answerTokenRows } from './answerTokens';
import { benchArchive } from './archiveBench';
import { benchLanguage } from './languageBench';
import { measureMcpLatency } from './mcpLatency';
import { measureMcpParallel } from './mcpParallel';
import { measureLargeSpecMemory } from './largeSpecMemory';
import { benchModelRefresh } from './modelRefresh';
import { benchSpecLanguage } from './specLanguageBench';
import { measurePromptPacking, promptPackingRows } from './promptPacking';
import { generateWorkspace, mainSpec } from './workspaceGenerator';
import { median, printTable, timeAsync, timeSync, type Row } from './table';

/**
 * `npm run bench`: times the real OpenSpec CLI and ours on the same generated project, side by side, and the
 * in-process paths the editor uses. Prints a table; the targets are in the last column. BENCH_ONLY=archive runs
 * the archive rows alone, BENCH_ONLY=language the language feature rows, BENCH_ONLY=mcp the MCP server rows.
 */
const REPO = resolve(__dirname, '../../..');
const OPENSPEC_BIN = join(REPO, 'node_modules/@fission-ai/openspec/bin/openspec.js');
const OUR_BIN = join(REPO, 'dist/cli.js');
const ENV = { ...process.env, OPENSPEC_TELEMETRY: '0', DO_NOT_TRACK: '1', NO_COLOR: '1' };

const RSS_PRELOAD = join(__dirname, 'maxRssPreload.js');

interface CliRun {
  ms: number;
  maxRssMiB: number;
  json: ValidationRun;
}

function runCli(bin: string, cwd: string): CliRun {
  const rssFile = join(cwd, '..', `rss-${process.hrtime.bigint()}.txt`);
  const start = process.hrtime.bigint();
  let stdout: string;
  try {
    stdout = execFileSync(
      process.execPath,
      ['-r', RSS_PRELOAD, bin, 'validate', '--all', '--json', '--no-interactive'],
      {
        cwd,
        env: { ...ENV, BENCH_RSS_FILE: rssFile },
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
    );
  } catch (error) {
    // Exit code 1 means "some items are invalid", which the generated project has on purpose.
    stdout = String((error as { stdout?: string }).stdout ?? '');
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const maxRssMiB = Number(readFileSync(rssFile, 'utf8').trim()) / 1024;
  rmSync(rssFile, { force: true });
  return { ms, maxRssMiB, json: JSON.parse(stdout) as ValidationRun };
}

function verdicts(run: ValidationRun): string {
  return run.items
    .map((item) => `${item.type}/${item.id}:${item.valid}:${item.issues.filter((i) => i.level !== 'INFO').length}`)
    .join('\n');
}

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
      printTable(await mcpRows());
      return;
    }
    if (process.env.BENCH_ONLY === 'language') {
      const large = join(scratch, 'large');
      generateWorkspace(large, { changes: 1000, specs });
      printTable([...(await benchSpecLanguage(large, 1000)), ...(await benchLanguage(large, 1000))]);
      return;
    }
    const rows: Row[] = [];

    // Interleaved, so a noisy neighbour slows both sides alike.
    const theirs: CliRun[] = [];
    const ours: CliRun[] = [];
    for (let round = 0; round < 3; round++) {
      theirs.push(runCli(OPENSPEC_BIN, root));
      ours.push(runCli(OUR_BIN, root));
    }
    const theirMs = median(theirs.map((run) => run.ms));
    const ourMs = median(ours.map((run) => run.ms));
    const theirRss = median(theirs.map((run) => run.maxRssMiB));
    const ourRss = median(ours.map((run) => run.maxRssMiB));
    const agree = verdicts(theirs[0]!.json) === verdicts(ours[0]!.json);
    rows.push({
      what: `openspec validate --all --json (${changes} changes, ${specs} specs)`,
      value: theirMs,
      unit: 'ms',
      note: 'OpenSpec CLI 1.13.2',
    });
    rows.push({
      what: 'openspec-loop validate --all --json, same project',
      value: ourMs,
      unit: 'ms',
      note: `${(theirMs / ourMs).toFixed(1)}x faster (target >= 20x); verdicts ${agree ? 'identical' : 'DIFFER'}`,
    });
    rows.push({ what: 'peak memory, openspec validate', value: theirRss, unit: 'MiB', note: '' });
    rows.push({
      what: 'peak memory, openspec-loop validate',
      value: ourRss,
      unit: 'MiB',
      note: `${(theirRss / ourRss).toFixed(1)}x less`,
    });
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
