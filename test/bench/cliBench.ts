import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidationRun } from '../../src/core/validation/validateItems';
import { median, type Row } from './table';

/**
 * The CLI end to end against the OpenSpec CLI on the same project, interleaved so a noisy neighbour slows
 * both alike: `validate --all`, `validate <one change>` and the peak memory of each (BENCH_ONLY=cli).
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
  const theirs: CliRun[] = [];
  const ours: CliRun[] = [];
  const theirsOne: CliRun[] = [];
  const oursOne: CliRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    theirs.push(runCli(bins.openspec, all, root, env));
    ours.push(runCli(bins.ours, all, root, env));
    theirsOne.push(runCli(bins.openspec, one, root, env));
    oursOne.push(runCli(bins.ours, one, root, env));
  }
  const ms = (runs: CliRun[]) => median(runs.map((run) => run.ms));
  const rss = (runs: CliRun[]) => median(runs.map((run) => run.maxRssMiB));
  const agree = verdicts(theirs[0]!.json) === verdicts(ours[0]!.json);
  const agreeOne = verdicts(theirsOne[0]!.json) === verdicts(oursOne[0]!.json);
  const rows: Row[] = [
    { what: `openspec validate --all --json (${label})`, value: ms(theirs), unit: 'ms', note: 'OpenSpec CLI 1.13.2' },
    {
      what: 'openspec-loop validate --all --json, same project',
      value: ms(ours),
      unit: 'ms',
      note: `${(ms(theirs) / ms(ours)).toFixed(1)}x faster (target >= 10x, goal 20x); verdicts ${agree ? 'identical' : 'DIFFER'}`,
    },
    { what: `openspec validate ${change} --json`, value: ms(theirsOne), unit: 'ms', note: 'OpenSpec CLI 1.13.2' },
    {
      what: `openspec-loop validate ${change} --json`,
      value: ms(oursOne),
      unit: 'ms',
      note: `target <= 150 ms; ${(ms(theirsOne) / ms(oursOne)).toFixed(1)}x faster; verdicts ${agreeOne ? 'identical' : 'DIFFER'}`,
    },
    { what: 'peak memory, openspec validate --all', value: rss(theirs), unit: 'MiB', note: '' },
    {
      what: 'peak memory, openspec-loop validate --all',
      value: rss(ours),
      unit: 'MiB',
      note: `${(rss(theirs) / rss(ours)).toFixed(1)}x less (target: at most OpenSpec's)`,
    },
    { what: `peak memory, openspec validate ${change}`, value: rss(theirsOne), unit: 'MiB', note: '' },
    {
      what: `peak memory, openspec-loop validate ${change}`,
      value: rss(oursOne),
      unit: 'MiB',
      note: `${(rss(theirsOne) / rss(oursOne)).toFixed(1)}x less`,
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

function verdicts(run: ValidationRun): string {
  return run.items
    .map((item) => `${item.type}/${item.id}:${item.valid}:${item.issues.filter((i) => i.level !== 'INFO').length}`)
    .join('\n');
}
