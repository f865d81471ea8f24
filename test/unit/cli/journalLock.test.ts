import * as assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoop } from '../../../src/cli/loopCommand';
import {
  acquireJournalLock,
  journalLockPath,
  removeStaleLock,
  type JournalLock,
  type JournalLockHolder,
} from '../../../src/node/journalLock';
import { NodeFileSystem, toPosix } from '../../../src/node/nodeFileSystem';
import { NodeFileWriter } from '../../../src/node/nodeFileWriter';
import { copyFixtureWorkspace, REPO_ROOT, type WorkspaceCopy } from '../../harness/repoPaths';
import { LmStudioStandIn } from '../../lmstudio/standIn';
import { CHANGE, DELTA, DELTA_ERROR, FIXED_DELTA, requestKind } from '../loop/loopTestKit';
import { fileTree } from '../../harness/fileTree';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const JOURNAL = 'run.jsonl';
const LOCK = `${JOURNAL}.lock`;

/** The pid of a process that has ended: nothing answers to it any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.equal(child.status, 0);
  return child.pid;
}

function isLock(result: JournalLock | { heldBy: JournalLockHolder }): result is JournalLock {
  return !('heldBy' in result);
}

/** The first line a child process writes to stdout. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)} before answering: ${text}`)));
  });
}

/** Closes the child's stdin and waits for it to exit. */
function ended(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.stdin?.end();
  });
}

async function acquired(journalPath: string): Promise<JournalLock> {
  const result = await acquireJournalLock(journalPath);
  assert.ok(isLock(result), `refused: ${JSON.stringify(result)}`);
  return result;
}

const holderText = (holder: JournalLockHolder): string => JSON.stringify(holder);

describe('acquireJournalLock', () => {
  let dir: string;
  let journal: string;
  let lockFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openspec-loop-lock-'));
    journal = join(dir, JOURNAL);
    lockFile = journalLockPath(journal);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a free lock: <journal>.lock holds {pid, host, startedAt} of this process', async () => {
    const lock = await acquired(journal);
    assert.equal(lock.path, `${journal}.lock`);
    const written = JSON.parse(readFileSync(lockFile, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(written), ['pid', 'host', 'startedAt']);
    assert.equal(written.pid, process.pid);
    assert.equal(written.host, hostname());
    assert.equal(new Date(written.startedAt as string).toISOString(), written.startedAt);
    assert.deepEqual(written, { ...lock.holder });
    assert.equal(lock.tookOver, undefined);
    await lock.release();
  });

  it('refuses while a live process on this host holds it, and leaves its lock as it was', async () => {
    const own: JournalLockHolder = { pid: process.pid, host: hostname(), startedAt: '2025-01-02T03:04:05.000Z' };
    writeFileSync(lockFile, holderText(own));
    assert.deepEqual(await acquireJournalLock(journal), { heldBy: own });
    assert.equal(readFileSync(lockFile, 'utf8'), holderText(own));
  });

  it('refuses while another live process holds it', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
      const other: JournalLockHolder = { pid: child.pid!, host: hostname(), startedAt: '2025-01-02T03:04:05.000Z' };
      writeFileSync(lockFile, holderText(other));
      assert.deepEqual(await acquireJournalLock(journal), { heldBy: other });
      assert.equal(readFileSync(lockFile, 'utf8'), holderText(other));
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a lock from another host, whose process cannot be checked from here', async () => {
    const elsewhere: JournalLockHolder = {
      pid: deadPid(),
      host: `not-${hostname()}`,
      startedAt: '2025-01-02T03:04:05.000Z',
    };
    writeFileSync(lockFile, holderText(elsewhere));
    assert.deepEqual(await acquireJournalLock(journal), { heldBy: elsewhere });
  });

  it('takes over the lock of a process that has ended, and says whose it was', async () => {
    const stale: JournalLockHolder = { pid: deadPid(), host: hostname(), startedAt: '2025-01-02T03:04:05.000Z' };
    writeFileSync(lockFile, holderText(stale));
    const lock = await acquired(journal);
    assert.deepEqual(lock.tookOver, stale);
    assert.deepEqual(JSON.parse(readFileSync(lockFile, 'utf8')), { ...lock.holder });
    assert.equal(lock.holder.pid, process.pid);
    await lock.release();
  });

  for (const [what, text] of [
    ['that is not JSON', 'not json{'],
    ['that is empty', ''],
    ['that is JSON null', 'null'],
    ['without a pid', JSON.stringify({ host: hostname(), startedAt: 'x' })],
    ['whose pid is a string', JSON.stringify({ pid: String(process.pid), host: hostname(), startedAt: 'x' })],
    ['whose pid is not positive', JSON.stringify({ pid: -1, host: hostname(), startedAt: 'x' })],
    ['without a host', JSON.stringify({ pid: process.pid, startedAt: 'x' })],
  ] as const) {
    it(`takes over a lock file ${what}`, async () => {
      writeFileSync(lockFile, text);
      const lock = await acquired(journal);
      assert.equal(lock.tookOver, 'unreadable');
      assert.equal((JSON.parse(readFileSync(lockFile, 'utf8')) as JournalLockHolder).pid, process.pid);
      await lock.release();
    });
  }

  it('release removes the lock file and the exit handler, once; a lock taken over since is left alone', async () => {
    const exitListeners = process.listenerCount('exit');
    const lock = await acquired(journal);
    assert.equal(process.listenerCount('exit'), exitListeners + 1);
    await lock.release();
    assert.equal(existsSync(lockFile), false);
    assert.equal(process.listenerCount('exit'), exitListeners);
    await lock.release();

    const second = await acquired(journal);
    const newer: JournalLockHolder = { pid: process.pid, host: hostname(), startedAt: '2030-01-01T00:00:00.000Z' };
    writeFileSync(lockFile, holderText(newer));
    await second.release();
    assert.equal(readFileSync(lockFile, 'utf8'), holderText(newer));
  });

  it('creates the journal folder only when asked to', async () => {
    const nested = join(dir, 'logs', 'deeper', JOURNAL);
    await assert.rejects(acquireJournalLock(nested), (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
    assert.equal(existsSync(join(dir, 'logs')), false);
    const lock = await acquireJournalLock(nested, { createDirectory: true });
    assert.ok(isLock(lock));
    assert.ok(existsSync(journalLockPath(nested)));
    await lock.release();
  });

  it('gives a free lock, or a stale one, to exactly one of several racing takers', async () => {
    const free = await Promise.all(Array.from({ length: 6 }, () => acquireJournalLock(journal)));
    const freeWinners = free.filter(isLock);
    assert.equal(freeWinners.length, 1);
    await freeWinners[0]!.release();

    writeFileSync(lockFile, holderText({ pid: deadPid(), host: hostname(), startedAt: '2025-01-02T03:04:05.000Z' }));
    const stale = await Promise.all(Array.from({ length: 6 }, () => acquireJournalLock(journal)));
    const staleWinners = stale.filter(isLock);
    assert.equal(staleWinners.length, 1);
    assert.deepEqual(JSON.parse(readFileSync(lockFile, 'utf8')), { ...staleWinners[0]!.holder });
    await staleWinners[0]!.release();
    assert.deepEqual(readdirSync(dir), [], 'no lock, and nothing moved aside, is left behind');
  });

  it('gives a stale lock to exactly one of several processes taking it over at once, and keeps it theirs', async () => {
    writeFileSync(lockFile, holderText({ pid: deadPid(), host: hostname(), startedAt: '2025-01-02T03:04:05.000Z' }));
    const modulePath = require.resolve('../../../src/node/journalLock');
    // Each process says what it got, then holds on until told to end, so the others meet its lock.
    const script = `
      const { acquireJournalLock } = require(${JSON.stringify(modulePath)});
      acquireJournalLock(${JSON.stringify(journal)}).then((result) => {
        process.stdout.write('heldBy' in result ? 'refused\\n' : 'won\\n');
        process.stdin.resume();
        process.stdin.on('end', () => process.exit(0));
      });`;
    const children = Array.from({ length: 4 }, () => spawn(process.execPath, ['-e', script]));
    const answers = await Promise.all(children.map(firstLine));
    const winners = children.filter((_, index) => answers[index] === 'won');
    assert.equal(winners.length, 1, `answers: ${answers.join(', ')}`);
    assert.equal((JSON.parse(readFileSync(lockFile, 'utf8')) as JournalLockHolder).pid, winners[0]!.pid);
    await Promise.all(children.map(ended));
    assert.deepEqual(readdirSync(dir), [], 'the lock went with its holder, and no takeover was left behind');
  });

  it('removes a stale lock only if it is still the stale one: a lock another taker put in its place stays', async () => {
    const staleText = holderText({ pid: deadPid(), host: hostname(), startedAt: '2025-01-02T03:04:05.000Z' });
    const fresh = holderText({ pid: process.pid, host: hostname(), startedAt: '2030-01-01T00:00:00.000Z' });
    writeFileSync(lockFile, fresh);
    await removeStaleLock(lockFile, staleText);
    assert.equal(readFileSync(lockFile, 'utf8'), fresh);
    writeFileSync(lockFile, staleText);
    await removeStaleLock(lockFile, staleText);
    assert.equal(existsSync(lockFile), false);
    await removeStaleLock(lockFile, staleText);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('removes the lock when the process exits without releasing it', () => {
    const modulePath = require.resolve('../../../src/node/journalLock');
    const script = `
      const { acquireJournalLock } = require(${JSON.stringify(modulePath)});
      const { existsSync } = require('node:fs');
      acquireJournalLock(${JSON.stringify(journal)}).then((lock) => {
        process.stdout.write(String('release' in lock && existsSync(lock.path)));
        process.exit(0);
      });`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, 'true', 'the child held the lock');
    assert.equal(existsSync(lockFile), false);
  });
});

interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Asynchronous on purpose: a synchronous child would block the stand-in's event loop in this process. */
function runCli(args: readonly string[], cwd: string, started?: (child: ChildProcess) => void): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, signal: error?.signal ?? null, stdout, stderr });
      },
    );
    started?.(child);
  });
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

const inUseLine = (holder: JournalLockHolder): string =>
  `error: another openspec-loop run is using ${JOURNAL} (process ${holder.pid}, since ${holder.startedAt}); wait for it to end, or delete ${LOCK} if that process is gone.`;

describe('openspec-loop loop --journal: the journal lock (built CLI against the LM Studio stand-in)', function () {
  this.timeout(30000);
  let server: LmStudioStandIn;
  let workspace: WorkspaceCopy;

  const at = (file: string) => join(workspace.path, file);
  const base = () => ['--journal', JOURNAL, '--base-url', server.baseUrl];
  const lockHolder = (): JournalLockHolder => JSON.parse(readFileSync(at(LOCK), 'utf8')) as JournalLockHolder;

  /** Starts a run that hangs on its first model request, holding the lock; resolves once that request arrived. */
  function startStalledRun(): { child: Promise<ChildProcess>; run: Promise<CliRun> } {
    server.injectFault({ kind: 'stall' });
    let started!: (child: ChildProcess) => void;
    const child = new Promise<ChildProcess>((resolve) => (started = resolve));
    const run = runCli(['loop', CHANGE, '--auto-accept', ...base()], workspace.path, (cli) => {
      const poll = setInterval(() => {
        if (server.requests.length === 0) return;
        clearInterval(poll);
        started(cli);
      }, 5);
      cli.once('exit', () => clearInterval(poll));
    });
    return { child, run };
  }

  before(() => assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`));

  beforeEach(async () => {
    server = await LmStudioStandIn.start();
    workspace = copyFixtureWorkspace('examples/sample-project');
    // The model answers from the disk: it flags the delta until it holds the fix, and improving it gives the fix.
    server.setReplyHandler((request) => {
      if (requestKind(request) === 'review')
        return JSON.stringify({ findings: readFileSync(at(DELTA), 'utf8') === FIXED_DELTA ? [] : [DELTA_ERROR] });
      return JSON.stringify({ summary: 'Fixed the delta.', document: FIXED_DELTA });
    });
  });

  afterEach(async () => {
    await server.close();
    workspace.dispose();
  });

  it('refuses a fresh run and a --resume while a live process holds the lock: exit 2, one line, nothing written, LM Studio not asked', async () => {
    const holder: JournalLockHolder = { pid: process.pid, host: hostname(), startedAt: '2025-01-02T03:04:05.000Z' };
    writeFileSync(at(LOCK), holderText(holder));
    const before = fileTree(workspace.path);
    for (const args of [
      ['loop', CHANGE, '--auto-accept', ...base()],
      ['loop', CHANGE, '--resume', ...base()],
    ]) {
      const run = await runCli(args, workspace.path);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.deepEqual(lines(run.stderr), [inUseLine(holder)]);
      assert.deepEqual(fileTree(workspace.path), before);
    }
    assert.equal(server.requests.length, 0, 'LM Studio is not asked anything');

    // Not even whether it is there: with LM Studio down, the refusal is the same.
    await server.close();
    const down = await runCli(['loop', CHANGE, ...base()], workspace.path);
    assert.equal(down.code, 2, down.stderr);
    assert.deepEqual(lines(down.stderr), [inUseLine(holder)]);
  });

  it('with --json, prints the refusal as the other refusals: {error: {reason, message, hint}} on stdout, the line on stderr', async () => {
    const holder: JournalLockHolder = { pid: process.pid, host: hostname(), startedAt: '2025-01-02T03:04:05.000Z' };
    writeFileSync(at(LOCK), holderText(holder));
    const run = await runCli(['loop', CHANGE, '--resume', '--json', ...base()], workspace.path);
    assert.equal(run.code, 2, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      error: {
        reason: 'journalInUse',
        message: `another openspec-loop run is using ${JOURNAL} (process ${process.pid}, since ${holder.startedAt});`,
        hint: `wait for it to end, or delete ${LOCK} if that process is gone.`,
      },
    });
    assert.deepEqual(lines(run.stderr), [inUseLine(holder)]);
    assert.equal(server.requests.length, 0);
  });

  it('refuses a --resume while the original run still runs; after its Ctrl+C the lock is gone and the resume finishes the run', async () => {
    const first = startStalledRun();
    const child = await first.child;
    const holder = lockHolder();
    assert.equal(holder.pid, child.pid);
    const journalBefore = readFileSync(at(JOURNAL));
    const requestsBefore = server.requests.length;

    const refused = await runCli(['loop', CHANGE, '--resume', ...base()], workspace.path);
    assert.equal(refused.code, 2, refused.stderr);
    assert.deepEqual(lines(refused.stderr), [inUseLine(holder)]);
    assert.deepEqual(readFileSync(at(JOURNAL)), journalBefore);
    assert.equal(server.requests.length, requestsBefore);

    child.kill('SIGINT');
    const stopped = await first.run;
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.equal(existsSync(at(LOCK)), false, 'Ctrl+C releases the lock');

    const resumed = await runCli(['loop', CHANGE, '--resume', ...base()], workspace.path);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(lines(resumed.stderr)[0] ?? '', /^resuming run /);
    assert.match(lines(resumed.stdout).at(-1) ?? '', /^Converged after /);
    assert.equal(existsSync(at(LOCK)), false);
  });

  it('a run killed with SIGKILL leaves a stale lock that the --resume takes over (said with --verbose only)', async () => {
    const first = startStalledRun();
    const child = await first.child;
    child.kill('SIGKILL');
    assert.equal((await first.run).signal, 'SIGKILL');
    assert.equal(lockHolder().pid, child.pid, 'nothing runs after a SIGKILL: the lock stays');
    const stale = lockHolder();

    // A refused command leaves even a stale lock as it was.
    const otherChange = await runCli(['loop', 'add-note-tags', '--resume', ...base()], workspace.path);
    assert.equal(otherChange.code, 2, otherChange.stderr);
    assert.match(otherChange.stderr, /^error: run\.jsonl holds no run of add-note-tags, only of expire-shared-links\./);
    assert.deepEqual(lockHolder(), stale);

    const resumed = await runCli(['loop', CHANGE, '--resume', '--verbose', ...base()], workspace.path);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok(
      lines(resumed.stderr).includes(
        `[info] took over ${LOCK}: process ${stale.pid} that held it since ${stale.startedAt} is gone`,
      ),
      resumed.stderr,
    );
    assert.equal(existsSync(at(LOCK)), false);

    writeFileSync(at(LOCK), holderText(stale));
    const quiet = await runCli(['loop', CHANGE, '--auto-accept', ...base()], workspace.path);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '', 'without --verbose the takeover is silent');
    assert.equal(existsSync(at(LOCK)), false);
  });

  it('releases the lock when the command returns, before the process ends (run in this process)', async () => {
    const errors: string[] = [];
    const context = {
      fs: new NodeFileSystem(),
      writer: new NodeFileWriter(),
      cwd: toPosix(workspace.path),
      output: { out: () => undefined, err: (line: string) => void errors.push(line) },
    };
    assert.equal(await runLoop([CHANGE, '--auto-accept', ...base()], context), 0, errors.join('\n'));
    assert.equal(existsSync(at(LOCK)), false);
    assert.equal(await runLoop([CHANGE, '--resume', ...base()], context), 2);
    assert.match(errors.join('\n'), /nothing to resume/);
    assert.equal(existsSync(at(LOCK)), false);
  });

  it('removes the lock after a normal run, a failed one and a refused --resume', async () => {
    const converged = await runCli(['loop', CHANGE, '--auto-accept', ...base()], workspace.path);
    assert.equal(converged.code, 0, converged.stderr);
    assert.equal(readFileSync(at(DELTA), 'utf8'), FIXED_DELTA);
    assert.equal(existsSync(at(LOCK)), false);

    const nothing = await runCli(['loop', CHANGE, '--resume', ...base()], workspace.path);
    assert.equal(nothing.code, 2);
    assert.match(
      nothing.stderr,
      /^error: nothing to resume: the last run of expire-shared-links in run\.jsonl finished/,
    );
    assert.equal(existsSync(at(LOCK)), false);

    server.injectFault({ kind: 'httpError', status: 500 }, { times: Infinity });
    const failed = await runCli(['loop', CHANGE, ...base()], workspace.path);
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /^error: The loop failed in iteration 1/);
    assert.equal(existsSync(at(LOCK)), false);
  });
});
