import * as assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJournal } from '../../../src/core/loop/journalEntries';
import { copyFixtureWorkspace, REPO_ROOT, type WorkspaceCopy } from '../../harness/repoPaths';
import { LmStudioStandIn } from '../../lmstudio/standIn';
import {
  CHANGE,
  DELTA,
  DELTA_ERROR,
  FIXED_DELTA,
  PROPOSAL,
  PROPOSAL_WARNING,
  requestKind,
  scriptLoop,
} from '../loop/loopTestKit';

/**
 * `openspec-loop loop` as CI runs it: the bundled CLI in a child process, in a copy of the sample project,
 * talking HTTP to the LM Studio stand-in in this process, scripted across iterations.
 */
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const SUFFIX = '\nLinks without a chosen period expire after 30 days.\n';

interface CliRun {
  readonly code: number;
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
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    started?.(child);
  });
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

describe('openspec-loop loop (built CLI against the LM Studio stand-in)', function () {
  this.timeout(30000);
  let server: LmStudioStandIn;
  let workspace: WorkspaceCopy;
  let original: Record<string, Buffer>;

  const read = (file: string) => readFileSync(join(workspace.path, file));
  const improveBoth = (file: string) => (file === DELTA ? FIXED_DELTA : original[PROPOSAL]!.toString('utf8') + SUFFIX);

  before(() => assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`));

  beforeEach(async () => {
    server = await LmStudioStandIn.start();
    workspace = copyFixtureWorkspace('examples/sample-project');
    original = { [DELTA]: read(DELTA), [PROPOSAL]: read(PROPOSAL) };
  });

  afterEach(async () => {
    await server.close();
    workspace.dispose();
  });

  it('converges with --auto-accept: writes the clean proposals, prints one line per iteration, exits 0', async () => {
    scriptLoop(server, { reviews: [[PROPOSAL_WARNING, DELTA_ERROR], []], improve: improveBoth });
    const run = await runCli(['loop', CHANGE, '--auto-accept', '--base-url', server.baseUrl], workspace.path);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.deepEqual(lines(run.stdout), [
      'iteration 1: 1 error, 1 warning; validation failed (1 error, 1 warning); 2 proposals accepted, 0 rejected; then validation passed',
      'iteration 2: 0 errors, 0 warnings; validation passed',
      'Converged after 2 iterations: no error or warning findings, and validation passes.',
    ]);
    assert.equal(read(DELTA).toString('utf8'), FIXED_DELTA);
    assert.equal(read(PROPOSAL).toString('utf8'), original[PROPOSAL]!.toString('utf8') + SUFFIX);
    assert.deepEqual(server.requests.map(requestKind), ['review', 'improve', 'improve', 'review']);
  });

  it('without --auto-accept rejects every proposal, leaves the files byte-identical and exits 1; --verbose shows the diffs', async () => {
    scriptLoop(server, { reviews: [[PROPOSAL_WARNING, DELTA_ERROR]], improve: improveBoth });
    const run = await runCli(['loop', CHANGE, '--verbose', '--base-url', server.baseUrl], workspace.path);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(lines(run.stdout), [
      'iteration 1: 1 error, 1 warning; validation failed (1 error, 1 warning); 0 proposals accepted, 2 rejected',
      'iteration 2: 1 error, 1 warning; validation failed (1 error, 1 warning)',
      'Stopped: iteration 2 brought no improvement (2 error or warning findings, was 2; 1 validation error, was 1).',
    ]);
    assert.deepEqual(read(DELTA), original[DELTA]);
    assert.deepEqual(read(PROPOSAL), original[PROPOSAL]);
    assert.ok(run.stderr.includes(`rejected the proposal for ${DELTA} (no --auto-accept)`), run.stderr);
    assert.ok(
      run.stderr.includes(`--- a/${DELTA}`) &&
        run.stderr.includes('+- **WHEN** the owner shares a note and picks 7 days'),
      run.stderr,
    );

    const quiet = await runCli(['loop', CHANGE, '--max-iterations', '1', '--base-url', server.baseUrl], workspace.path);
    assert.equal(quiet.code, 1, quiet.stderr);
    assert.equal(quiet.stderr, '', 'diffs go to stderr with --verbose only');
    assert.match(lines(quiet.stdout).at(-1) ?? '', /^Stopped after the maximum of 1 iteration;/);
  });

  it('--json prints the loop report, and --journal appends every step to the named file', async () => {
    scriptLoop(server, { reviews: [[DELTA_ERROR], []], improve: improveBoth });
    const run = await runCli(
      ['loop', CHANGE, '--auto-accept', '--json', '--journal', 'run.jsonl', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Record<string, unknown> & { iterations: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(report), ['runId', 'change', 'outcome', 'reason', 'message', 'iterations']);
    assert.equal(report.change, CHANGE);
    assert.equal(report.outcome, 'converged');
    assert.equal(report.iterations.length, 2);
    assert.deepEqual(report.iterations[0]?.findings, { error: 1, warning: 0, info: 0 });
    const [proposal] = report.iterations[0]?.proposals as Array<Record<string, unknown>>;
    assert.equal(proposal?.file, DELTA);
    assert.equal(proposal?.decision, 'accepted');
    assert.equal(proposal?.auto, true);
    assert.equal(proposal?.result, 'applied');

    const entries = parseJournal(lines(readFileSync(join(workspace.path, 'run.jsonl'), 'utf8')));
    assert.ok(entries.every((entry) => entry.run === report.runId));
    assert.equal(entries.at(-1)?.event, 'finished');
    assert.ok(entries.some((entry) => entry.event === 'applied'));
  });

  it('exits 2 with one actionable line when LM Studio is down, and names an unknown change', async () => {
    const baseUrl = server.baseUrl;
    await server.close();
    const down = await runCli(['loop', CHANGE, '--base-url', baseUrl], workspace.path);
    assert.equal(down.code, 2);
    assert.equal(down.stdout, '');
    assert.equal(lines(down.stderr).length, 1, down.stderr);
    assert.match(lines(down.stderr)[0]!, /^error: Cannot reach LM Studio.*--base-url/);

    const unknown = await runCli(['loop', 'no-such-change', '--base-url', baseUrl], workspace.path);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no-such-change/);
    assert.deepEqual(read(DELTA), original[DELTA]);
  });

  it('exits 2 with one line naming the iteration when the model fails mid-loop, files as of the last accepted step', async () => {
    scriptLoop(server, { reviews: [[DELTA_ERROR]], improve: improveBoth });
    server.injectFault({ kind: 'httpError', status: 500 }, { times: Infinity });
    const run = await runCli(['loop', CHANGE, '--auto-accept', '--base-url', server.baseUrl], workspace.path);
    assert.equal(run.code, 2);
    assert.equal(lines(run.stderr).length, 1, run.stderr);
    assert.match(lines(run.stderr)[0]!, /^error: The loop failed in iteration 1 while reviewing: /);
    assert.deepEqual(read(DELTA), original[DELTA]);
  });

  it('stops on SIGINT mid-iteration: exits 1, files as they were', async () => {
    scriptLoop(server, { reviews: [[DELTA_ERROR]], improve: improveBoth });
    server.injectFault({ kind: 'stall' });
    const run = await runCli(
      ['loop', CHANGE, '--auto-accept', '--base-url', server.baseUrl],
      workspace.path,
      (child) => {
        const poll = setInterval(() => {
          if (server.requests.length === 0) return;
          clearInterval(poll);
          child.kill('SIGINT');
        }, 10);
      },
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(lines(run.stdout).at(-1) ?? '', /^Stopped by the user in iteration 1;/);
    assert.deepEqual(read(DELTA), original[DELTA]);
    assert.deepEqual(read(PROPOSAL), original[PROPOSAL]);
  });
  it('--time-budget stops at the next step once spent: the proposal being answered is still written, the next is not made', async () => {
    // The improvement of the delta takes 1.5 s to arrive, longer than the whole budget.
    scriptLoop(server, {
      reviews: [[PROPOSAL_WARNING, DELTA_ERROR]],
      improve: improveBoth,
      onReview: () => server.injectFault({ kind: 'stall', ms: 1500 }),
    });
    const run = await runCli(
      ['loop', CHANGE, '--auto-accept', '--time-budget', '1s', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      lines(run.stdout).at(-1),
      'Stopped: the time budget of 1 s was spent in iteration 1; the last review left 2 error or warning findings. Resume to go on with a fresh budget.',
    );
    assert.equal(read(DELTA).toString('utf8'), FIXED_DELTA);
    assert.deepEqual(read(PROPOSAL), original[PROPOSAL]);
    assert.deepEqual(server.requests.map(requestKind), ['review', 'improve']);

    const bad = await runCli(['loop', CHANGE, '--time-budget', 'soon', '--base-url', server.baseUrl], workspace.path);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--time-budget must be a duration of at least 1s such as 90s, 10m or 1h, not "soon"/);

    // As many rounds as the setting and the MCP tool allow, and no more: a typo of 200 is not 200 reviews.
    const asked = server.requests.length;
    const endless = await runCli(
      ['loop', CHANGE, '--max-iterations', '200', '--base-url', server.baseUrl],
      workspace.path,
    );
    assert.equal(endless.code, 1);
    assert.match(endless.stderr, /--max-iterations must be a whole number from 1 to 20, not "200"/);
    assert.equal(server.requests.length, asked, 'LM Studio was asked nothing');
  });
});
