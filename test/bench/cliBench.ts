import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidationRun } from '../../src/core/validation/validateItems';
import { median, type Row } from './table';

/**
 * The CLI end to end against the OpenSpec CLI on the same project, interleaved so a noisy neighbour slows
 * both alike: `validate --all` (from saved verdicts, after an edit, with nothing saved, with --no-cache),
 * `validate <one change>` and the peak memory of each (BENCH_ONLY=cli).
 */
const RSS_PRELOAD = join(__dirname, 'maxRssPreload.js');
const ROUNDS = 5;

interface CliRun {
  ms: number;
  maxRssMiB: number;
  json: ValidationRun;
}

export async function benchCli(
  root: string,
  label: string,
  bins: { openspec: string; ours: string },
  env: NodeJS.ProcessEnv,
  change: string,
): Promise<{ rows: Row[]; agree: boolean }> {
  const all = ['validate', '--all', '--json', '--no-interactive'];
  const one = ['validate', change, '--json', '--no-interactive'];
  const cache = mkdtempSync(join(tmpdir(), 'openspec-loop-bench-cache-'));
  const ourEnv = { ...env, OPENSPEC_LOOP_CACHE: cache };
  const edited = join(root, 'openspec', 'changes', change, 'tasks.md');
  const original = readFileSync(edited, 'utf8');
  const runs: Record<'theirs' | 'fresh' | 'first' | 'saved' | 'edited' | 'theirsOne' | 'oursOne', CliRun[]> = {
    theirs: [],
    fresh: [],
    first: [],
    saved: [],
    edited: [],
    theirsOne: [],
    oursOne: [],
  };
  const nodeAlone: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      runs.theirs.push(runCli(bins.openspec, all, root, env));
      runs.fresh.push(runCli(bins.ours, [...all, '--no-cache'], root, ourEnv));
      rmSync(cache, { recursive: true, force: true });
      runs.first.push(runCli(bins.ours, all, root, ourEnv));
      runs.saved.push(runCli(bins.ours, all, root, ourEnv));
      // What a user re-running after an edit pays: one change's tasks differ from what the last run saved.
      writeFileSync(edited, `${original}- [ ] 9.${round} Follow-up ${round}\n`);
      runs.edited.push(runCli(bins.ours, all, root, ourEnv));
      writeFileSync(edited, original);
      runs.theirsOne.push(runCli(bins.openspec, one, root, env));
      runs.oursOne.push(runCli(bins.ours, one, root, ourEnv));
      nodeAlone.push(timeNodeAlone(root, env));
    }
  } finally {
    writeFileSync(edited, original);
    rmSync(cache, { recursive: true, force: true });
  }
  const ms = (series: CliRun[]) => median(series.map((run) => run.ms));
  const rss = (series: CliRun[]) => median(series.map((run) => run.maxRssMiB));
  const theirs = ms(runs.theirs);
  const agreeing = (series: CliRun[]) => verdicts(runs.theirs[0]!.json) === verdicts(series[0]!.json);
  const agree = agreeing(runs.fresh) && agreeing(runs.first) && agreeing(runs.saved);
  const agreeOne = verdicts(runs.theirsOne[0]!.json) === verdicts(runs.oursOne[0]!.json);
  const versus = (series: CliRun[]) => `${(theirs / ms(series)).toFixed(1)}x faster`;
  const rows: Row[] = [
    { what: `openspec validate --all --json (${label})`, value: theirs, unit: 'ms', note: 'OpenSpec CLI 1.13.2' },
    {
      what: 'openspec-loop validate --all --json, verdicts saved by the run before',
      value: ms(runs.saved),
      unit: 'ms',
      note: `${versus(runs.saved)} (target >= 10x, goal 20x); verdicts ${agree ? 'identical' : 'DIFFER'}`,
    },
    {
      what: "  the same after one change's tasks.md was edited",
      value: ms(runs.edited),
      unit: 'ms',
      note: `${versus(runs.edited)}; re-validates that change, saves the verdicts`,
    },
    {
      what: '  the same with nothing saved (first run: validates all, saves)',
      value: ms(runs.first),
      unit: 'ms',
      note: versus(runs.first),
    },
    {
      what: '  the same with --no-cache (validates all, saves nothing)',
      value: ms(runs.fresh),
      unit: 'ms',
      note: versus(runs.fresh),
    },
    {
      what: `openspec validate ${change} --json`,
      value: ms(runs.theirsOne),
      unit: 'ms',
      note: 'OpenSpec CLI 1.13.2',
    },
    {
      what: `openspec-loop validate ${change} --json`,
      value: ms(runs.oursOne),
      unit: 'ms',
      note: `target <= 150 ms; ${(ms(runs.theirsOne) / ms(runs.oursOne)).toFixed(1)}x faster; ${(ms(runs.oursOne) - median(nodeAlone)).toFixed(0)} ms above Node's start; verdicts ${agreeOne ? 'identical' : 'DIFFER'}`,
    },
    {
      what: 'node -e 0 (starting Node alone, what every run above includes)',
      value: median(nodeAlone),
      unit: 'ms',
      note: env['NODE_EXTRA_CA_CERTS']
        ? 'NODE_EXTRA_CA_CERTS is set here: Node reads those certificates at every start'
        : '',
    },
    { what: 'peak memory, openspec validate --all', value: rss(runs.theirs), unit: 'MiB', note: '' },
    {
      what: 'peak memory, openspec-loop validate --all, verdicts saved',
      value: rss(runs.saved),
      unit: 'MiB',
      note: `${(rss(runs.theirs) / rss(runs.saved)).toFixed(1)}x less (target: at most OpenSpec's)`,
    },
    {
      what: '  the same with nothing saved',
      value: rss(runs.first),
      unit: 'MiB',
      note: `${(rss(runs.theirs) / rss(runs.first)).toFixed(1)}x less`,
    },
    { what: `peak memory, openspec validate ${change}`, value: rss(runs.theirsOne), unit: 'MiB', note: '' },
    {
      what: `peak memory, openspec-loop validate ${change}`,
      value: rss(runs.oursOne),
      unit: 'MiB',
      note: `${(rss(runs.theirsOne) / rss(runs.oursOne)).toFixed(1)}x less`,
    },
  ];
  return { rows, agree: agree && agreeOne };
}

function runCli(bin: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): CliRun {
  const rssFile = join(cwd, '..', `rss-${process.hrtime.bigint()}.txt`);
  const start = process.hrtime.bigint();
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, ['-r', RSS_PRELOAD, bin, ...args], {
      cwd,
      env: { ...env, BENCH_RSS_FILE: rssFile },
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
  } catch (error) {
    // Exit code 1 means "some items are invalid", which the generated project has on purpose.
    stdout = String((error as { stdout?: string }).stdout ?? '');
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const maxRssMiB = Number(readFileSync(rssFile, 'utf8').trim()) / 1024;
  rmSync(rssFile, { force: true });
  return { ms, maxRssMiB, json: JSON.parse(stdout) as ValidationRun };
}

/** Node started with the same preload and environment as the runs above, running nothing. */
function timeNodeAlone(cwd: string, env: NodeJS.ProcessEnv): number {
  const rssFile = join(cwd, '..', `rss-${process.hrtime.bigint()}.txt`);
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, ['-r', RSS_PRELOAD, '-e', '0'], { cwd, env: { ...env, BENCH_RSS_FILE: rssFile } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  rmSync(rssFile, { force: true });
  return ms;
}

function verdicts(run: ValidationRun): string {
  return run.items
    .map((item) => `${item.type}/${item.id}:${item.valid}:${item.issues.filter((i) => i.level !== 'INFO').length}`)
    .join('\n');
}
