import * as assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJournal, type JournalEntry } from '../../../src/core/loop/journalEntries';
import { copyFixtureWorkspace, REPO_ROOT, type WorkspaceCopy } from '../../harness/repoPaths';
import { LmStudioStandIn, type RecordedChatRequest } from '../../lmstudio/standIn';
import {
  CHANGE,
  DELTA,
  DELTA_ERROR,
  EXPIRY_CHOICE_BODY,
  improveTarget,
  PROPOSAL,
  PROPOSAL_WARNING,
  requestKind,
} from '../loop/loopTestKit';
import { fileTree } from '../../harness/fileTree';
import { RunJournals } from '../../../src/node/runJournals';
import { toPosix } from '../../../src/node/nodeFileSystem';

/**
 * `openspec-loop loop --resume` after a real SIGKILL of the built CLI mid-run. The stand-in model answers
 * from the files as they are on disk: it flags the delta until it holds the fix and the proposal while it is
 * the original text, and an improvement appends to the current text, so a proposal applied twice, or the
 * model asked twice about the same document, shows as a doubled text.
 */
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
/** Appended to the delta by each improvement of it, so a second write would show twice. */
const DELTA_FIX = `\n${EXPIRY_CHOICE_BODY}`;
const PROPOSAL_SUFFIX = '\nLinks without a chosen period expire after 30 days.\n';
const JOURNAL = 'run.jsonl';

/**
 * Loaded into the CLI with NODE_OPTIONS: the atomic write of the named document never completes (no
 * temporary file is even created), and a marker file says the process got there, so the test can kill it
 * between journalling an accepted proposal and writing it.
 */
const HOLD_WRITE_PRELOAD = `
const fsp = require('node:fs/promises');
const { writeFileSync } = require('node:fs');
const { basename } = require('node:path');
const target = '.' + process.env.LOOP_TEST_HOLD_WRITE + '.';
const original = fsp.open;
fsp.open = function (file, ...rest) {
  if (typeof file === 'string' && basename(file).startsWith(target) && file.endsWith('.tmp')) {
    setInterval(() => undefined, 1000);
    writeFileSync(process.env.LOOP_TEST_HOLD_MARKER, file);
    return new Promise(() => undefined);
  }
  return original.call(this, file, ...rest);
};
`;

interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  started?: (child: ChildProcess) => void,
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, signal: error?.signal ?? null, stdout, stderr });
      },
    );
    started?.(child);
  });
}

/** Runs the CLI and SIGKILLs it as soon as `ready()` says it reached the point to die at. */
function runUntilKilled(
  args: readonly string[],
  cwd: string,
  ready: () => boolean,
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  return runCli(args, cwd, env, (child) => {
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      child.kill('SIGKILL');
    }, 5);
    child.once('exit', () => clearInterval(poll));
  });
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
const occurrences = (text: string, part: string): number => text.split(part).length - 1;
const describeRequest = (request: RecordedChatRequest): string =>
  requestKind(request) === 'review' ? 'review' : `improve ${improveTarget(request)}`;

describe('openspec-loop loop --resume (built CLI killed mid-run, against the LM Studio stand-in)', function () {
  this.timeout(30000);
  let server: LmStudioStandIn;
  let workspace: WorkspaceCopy;
  let original: Record<string, string>;
  let harness: string;
  let preload: string;
  /** Whether the improve request for the delta makes the next model request hang (the kill point of the first tests). */
  let stallAfterDeltaImprove: boolean;

  const read = (file: string) => readFileSync(join(workspace.path, file), 'utf8');
  const journal = (): JournalEntry[] => parseJournal(lines(read(JOURNAL)));
  const base = () => ['--journal', JOURNAL, '--base-url', server.baseUrl];
  const improveRequested = (file: string) =>
    server.requests.some((request) => requestKind(request) === 'improve' && improveTarget(request) === file);

  /** Killed while the model works on the second document: the delta is written and journalled, the proposal not proposed. */
  async function killDuringSecondImprove(): Promise<void> {
    stallAfterDeltaImprove = true;
    const killed = await runUntilKilled(['loop', CHANGE, '--auto-accept', ...base()], workspace.path, () =>
      improveRequested(PROPOSAL),
    );
    assert.equal(killed.signal, 'SIGKILL', `the run ended by itself: ${killed.stderr}`);
    stallAfterDeltaImprove = false;
  }

  /** Killed while writing the accepted proposal for proposal.md: journalled as proposed and accepted, not written. */
  async function killDuringProposalWrite(): Promise<void> {
    const marker = join(harness, `held-${Date.now()}`);
    const env = {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`,
      LOOP_TEST_HOLD_WRITE: 'proposal.md',
      LOOP_TEST_HOLD_MARKER: marker,
    };
    const killed = await runUntilKilled(
      ['loop', CHANGE, '--auto-accept', ...base()],
      workspace.path,
      () => existsSync(marker),
      env,
    );
    assert.equal(killed.signal, 'SIGKILL', `the run ended by itself: ${killed.stderr}`);
    const decided = journal().find((entry) => entry.event === 'decided' && entry.proposalId === '1.2');
    assert.ok(
      decided?.event === 'decided' && decided.decision === 'accepted',
      'the proposal for proposal.md was accepted before the kill',
    );
    assert.ok(!journal().some((entry) => entry.event === 'applied' && entry.file === PROPOSAL));
    assert.equal(read(PROPOSAL), original[PROPOSAL]);
  }

  /** The command is refused with one line and exit 2, changes no file and asks LM Studio nothing. */
  async function assertRefused(args: readonly string[], message: RegExp): Promise<void> {
    const before = fileTree(workspace.path);
    const requestsBefore = server.requests.length;
    const run = await runCli(args, workspace.path);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(lines(run.stderr).length, 1, run.stderr);
    assert.match(run.stderr.trim(), message);
    assert.deepEqual(fileTree(workspace.path), before);
    assert.equal(server.requests.length, requestsBefore, 'LM Studio is not asked anything');
  }

  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`);
    harness = mkdtempSync(join(tmpdir(), 'openspec-loop-resume-'));
    preload = join(harness, 'hold-write.cjs');
    writeFileSync(preload, HOLD_WRITE_PRELOAD);
  });
  after(() => rmSync(harness, { recursive: true, force: true }));

  beforeEach(async () => {
    server = await LmStudioStandIn.start();
    workspace = copyFixtureWorkspace('examples/sample-project');
    original = { [DELTA]: read(DELTA), [PROPOSAL]: read(PROPOSAL) };
    stallAfterDeltaImprove = false;
    server.setReplyHandler((request) => {
      if (requestKind(request) === 'review') {
        const findings = [
          ...(read(DELTA).includes(DELTA_FIX) ? [] : [DELTA_ERROR]),
          ...(read(PROPOSAL) === original[PROPOSAL] ? [PROPOSAL_WARNING] : []),
        ];
        return JSON.stringify({ findings });
      }
      const file = improveTarget(request);
      if (file === DELTA && stallAfterDeltaImprove) server.injectFault({ kind: 'stall' });
      return JSON.stringify({
        summary: `Improved ${file}.`,
        document: read(file) + (file === DELTA ? DELTA_FIX : PROPOSAL_SUFFIX),
      });
    });
  });

  afterEach(async () => {
    await server.close();
    workspace.dispose();
  });

  it('after a SIGKILL mid-iteration, writes nothing twice, asks nothing twice, and finishes the run in the same journal', async () => {
    await killDuringSecondImprove();
    const runId = journal()[0]?.run;
    assert.equal(read(DELTA), original[DELTA] + DELTA_FIX);
    assert.equal(read(PROPOSAL), original[PROPOSAL]);
    assert.notEqual(journal().at(-1)?.event, 'finished');
    const requestsBefore = server.requests.length;

    // No --auto-accept: the run keeps the setting it was started with.
    const resumed = await runCli(['loop', CHANGE, '--resume', ...base()], workspace.path);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(lines(resumed.stderr), [
      `resuming run ${runId} of ${CHANGE} in iteration 1; already written, not written again: ${DELTA}`,
    ]);
    assert.deepEqual(lines(resumed.stdout), [
      'iteration 1: 1 error, 1 warning; validation failed (1 error, 1 warning); 1 proposal accepted, 0 rejected; then validation passed',
      'iteration 2: 0 errors, 1 warning; validation passed; 1 proposal accepted, 0 rejected; then validation passed',
      'iteration 3: 0 errors, 0 warnings; validation passed',
      'Converged after 3 iterations: no error or warning findings, and validation passes.',
    ]);
    assert.equal(read(DELTA), original[DELTA] + DELTA_FIX);
    assert.equal(occurrences(read(DELTA), 'Owner picks 7 days'), 1);
    assert.equal(read(PROPOSAL), original[PROPOSAL] + PROPOSAL_SUFFIX);
    assert.deepEqual(server.requests.slice(requestsBefore).map(describeRequest), [
      'review',
      `improve ${PROPOSAL}`,
      'review',
    ]);
    assert.equal(
      server.requests.filter((request) => describeRequest(request) === `improve ${DELTA}`).length,
      1,
      'the delta was improved once, before the kill',
    );

    const entries = journal();
    assert.ok(entries.every((entry) => entry.run === runId));
    assert.equal(entries.filter((entry) => entry.event === 'started' && entry.resumed === true).length, 1);
    assert.deepEqual(
      entries
        .filter((entry) => entry.event === 'applied')
        .map((entry) => entry.event === 'applied' && [entry.file, entry.result]),
      [
        [DELTA, 'applied'],
        [PROPOSAL, 'applied'],
      ],
    );
    const last = entries.at(-1);
    assert.ok(last?.event === 'finished' && last.reason === 'converged', JSON.stringify(last));
  });

  it('writes once, without asking the model again, a proposal accepted but not yet written when the process was killed (--json unbroken)', async () => {
    await killDuringProposalWrite();
    const runId = journal()[0]?.run;
    const requestsBefore = server.requests.length;

    const resumed = await runCli(['loop', CHANGE, '--resume', '--json', ...base()], workspace.path);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(lines(resumed.stderr), [
      `resuming run ${runId} of ${CHANGE} in iteration 1; already written, not written again: ${DELTA}; accepted, written now: ${PROPOSAL}`,
    ]);
    const report = JSON.parse(resumed.stdout) as {
      runId: string;
      outcome: string;
      iterations: Array<{ proposals: Array<{ file: string; result?: string }> }>;
    };
    assert.equal(report.runId, runId);
    assert.equal(report.outcome, 'converged');
    assert.deepEqual(
      report.iterations[0]?.proposals.map((proposal) => [proposal.file, proposal.result]),
      [
        [DELTA, 'applied'],
        [PROPOSAL, 'applied'],
      ],
    );
    assert.equal(read(PROPOSAL), original[PROPOSAL] + PROPOSAL_SUFFIX);
    assert.equal(occurrences(read(PROPOSAL), PROPOSAL_SUFFIX.trim()), 1);
    assert.equal(read(DELTA), original[DELTA] + DELTA_FIX);
    assert.deepEqual(server.requests.slice(requestsBefore).map(describeRequest), ['review']);
    assert.deepEqual(
      readdirSync(join(workspace.path, 'openspec', 'changes', CHANGE)).filter((name) => name.endsWith('.tmp')),
      [],
    );
    assert.equal(journal().filter((entry) => entry.event === 'applied' && entry.file === PROPOSAL).length, 1);
  });

  it('leaves a file the user edited after the kill byte for byte as the user left it: the journalled proposal for it is stale', async () => {
    await killDuringProposalWrite();
    const runId = journal()[0]?.run;
    const edited = `${original[PROPOSAL]}\nOwners can also pick "never" for a link.\n`;
    writeFileSync(join(workspace.path, PROPOSAL), edited);
    const requestsBefore = server.requests.length;

    const resumed = await runCli(['loop', CHANGE, '--resume', ...base()], workspace.path);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(lines(resumed.stderr), [
      `resuming run ${runId} of ${CHANGE} in iteration 1; already written, not written again: ${DELTA}; changed since proposed, not written: ${PROPOSAL}`,
    ]);
    assert.match(lines(resumed.stdout)[0] ?? '', /^iteration 1: .*1 not written \(file changed\)/);
    assert.equal(read(PROPOSAL), edited);
    assert.equal(read(DELTA), original[DELTA] + DELTA_FIX);
    assert.ok(!server.requests.slice(requestsBefore).some((request) => requestKind(request) === 'improve'));
    assert.ok(
      !journal().some((entry) => entry.event === 'applied' && entry.file === PROPOSAL && entry.result === 'applied'),
    );
  });

  it('goes on after Ctrl+C as after a kill: the stopped run is resumed, not restarted', async () => {
    stallAfterDeltaImprove = true;
    const stopped = await runCli(['loop', CHANGE, '--auto-accept', ...base()], workspace.path, {}, (child) => {
      const poll = setInterval(() => {
        if (!improveRequested(PROPOSAL)) return;
        clearInterval(poll);
        child.kill('SIGINT');
      }, 5);
    });
    stallAfterDeltaImprove = false;
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.match(lines(stopped.stdout).at(-1) ?? '', /^Stopped by the user in iteration 1;/);
    const runId = journal()[0]?.run;

    const resumed = await runCli(['loop', CHANGE, '--resume', ...base()], workspace.path);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(lines(resumed.stdout).at(-1) ?? '', /^Converged after 3 iterations/);
    assert.equal(read(DELTA), original[DELTA] + DELTA_FIX);
    assert.equal(read(PROPOSAL), original[PROPOSAL] + PROPOSAL_SUFFIX);
    assert.equal(server.requests.filter((request) => describeRequest(request) === `improve ${DELTA}`).length, 1);
    assert.ok(journal().every((entry) => entry.run === runId));
  });

  it("resumes the change's own run from a journal a run of another change was appended to since", async () => {
    await killDuringSecondImprove();
    const runId = journal()[0]?.run;
    // A run of another change fails in the same journal after it: LM Studio turns its review away.
    server.injectFault({ kind: 'httpError', status: 400 }, { times: Infinity });
    const other = await runCli(['loop', 'add-note-tags', ...base()], workspace.path);
    server.clearFaults();
    assert.equal(other.code, 2, other.stderr);
    assert.equal(journal().at(-1)?.change, 'add-note-tags');

    const resumed = await runCli(['loop', CHANGE, '--resume', ...base()], workspace.path);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(lines(resumed.stderr), [
      `resuming run ${runId} of ${CHANGE} in iteration 1; already written, not written again: ${DELTA}`,
    ]);
    assert.match(lines(resumed.stdout).at(-1) ?? '', /^Converged after 3 iterations/);
    assert.equal(occurrences(read(DELTA), 'Owner picks 7 days'), 1);
    assert.equal(read(PROPOSAL), original[PROPOSAL] + PROPOSAL_SUFFIX);
    const ended = journal().filter((entry) => entry.event === 'finished');
    assert.deepEqual(
      ended.map((entry) => entry.event === 'finished' && `${entry.change} ${entry.reason}`),
      ['add-note-tags error', `${CHANGE} converged`],
    );
  });

  it('with --journal-dir, journals each run in a file of its own, runs a change once at a time, and resumes its run from there', async () => {
    const dirArgs = ['--journal-dir', 'journals', '--base-url', server.baseUrl];
    stallAfterDeltaImprove = true;
    const killed = await runUntilKilled(['loop', CHANGE, '--auto-accept', ...dirArgs], workspace.path, () =>
      improveRequested(PROPOSAL),
    );
    stallAfterDeltaImprove = false;
    assert.equal(killed.signal, 'SIGKILL', `the run ended by itself: ${killed.stderr}`);
    const journals = new RunJournals(join(workspace.path, 'journals'));
    const root = toPosix(workspace.path);
    const [killedRun, ...others] = await journals.list(root);
    assert.ok(killedRun, 'the run journalled under the folder key of the project');
    assert.deepEqual(others, []);
    assert.equal(killedRun.path, journals.pathFor(root, CHANGE, killedRun.run.runId));
    assert.equal(killedRun.run.ended, undefined);

    // Another process runs the change now (its lock is held): no second run of it starts, resumed or new.
    const held = await journals.lockRun(root, CHANGE, journals.pathFor(root, CHANGE, 'elsewhere'));
    assert.ok(!('heldBy' in held));
    try {
      const refusal =
        /^error: another openspec-loop run of expire-shared-links is going on this project with --journal-dir journals \(process \d+, since [^)]+\); wait for it to end: one run per change at a time\.$/;
      await assertRefused(['loop', CHANGE, '--resume', ...dirArgs], refusal);
      await assertRefused(['loop', CHANGE, '--auto-accept', ...dirArgs], refusal);
    } finally {
      await held.release();
    }

    const resumed = await runCli(['loop', CHANGE, '--resume', ...dirArgs], workspace.path);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(lines(resumed.stderr), [
      `resuming run ${killedRun.run.runId} of ${CHANGE} in iteration 1; already written, not written again: ${DELTA}`,
    ]);
    assert.equal(occurrences(read(DELTA), 'Owner picks 7 days'), 1);
    assert.equal(read(PROPOSAL), original[PROPOSAL] + PROPOSAL_SUFFIX);
    const finished = await journals.list(root);
    assert.deepEqual(
      finished.map((journal) => [journal.run.runId, journal.run.ended?.reason]),
      [[killedRun.run.runId, 'converged']],
    );

    const next = await runCli(['loop', CHANGE, ...dirArgs], workspace.path);
    assert.equal(next.code, 0, next.stderr);
    assert.equal((await journals.list(root)).length, 2, 'a new run, a new journal');
    await assertRefused(
      ['loop', CHANGE, '--resume', ...dirArgs],
      /^error: nothing to resume: the last run of expire-shared-links in journals\/.+\.jsonl finished \(converged\)\./,
    );
  });

  describe('refuses, with one line and exit 2, when there is nothing to resume (and changes no file)', () => {
    it('when the journal file does not exist', async () => {
      await assertRefused(
        ['loop', CHANGE, '--resume', ...base()],
        /^error: nothing to resume: run\.jsonl does not exist\. Give --journal /,
      );
    });

    it('when the last run finished', async () => {
      const finished = await runCli(['loop', CHANGE, '--auto-accept', ...base()], workspace.path);
      assert.equal(finished.code, 0, finished.stderr);
      await assertRefused(
        ['loop', CHANGE, '--resume', ...base()],
        /^error: nothing to resume: the last run of expire-shared-links in run\.jsonl finished \(converged\)\. Run without --resume to start a new run of expire-shared-links\.$/,
      );
    });

    it('when the journal holds no run of the change', async () => {
      await killDuringSecondImprove();
      await assertRefused(
        ['loop', 'add-note-tags', '--resume', ...base()],
        /^error: run\.jsonl holds no run of add-note-tags, only of expire-shared-links\. Resume one of those with "openspec-loop loop expire-shared-links --journal run\.jsonl --resume", or run add-note-tags without --resume\.$/,
      );
    });

    it('--resume without --journal is a usage error', async () => {
      const before = fileTree(workspace.path);
      const run = await runCli(['loop', CHANGE, '--resume', '--base-url', server.baseUrl], workspace.path);
      assert.equal(run.code, 1);
      assert.match(lines(run.stderr)[0] ?? '', /^error: --resume needs --journal <file> or --journal-dir <dir>/);
      const both = await runCli(['loop', CHANGE, '--journal', 'a.jsonl', '--journal-dir', 'runs'], workspace.path);
      assert.equal(both.code, 1);
      assert.match(lines(both.stderr)[0] ?? '', /^error: give --journal <file> or --journal-dir <dir>, not both/);
      assert.deepEqual(fileTree(workspace.path), before);
    });
  });
});
