import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LoopReport } from '../../src/core/loop/loopTypes';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import { ExplorerTreeProvider } from '../../src/extension/explorer/explorerTreeProvider';
import type { LoopCommandResult } from '../../src/extension/loop/editorLoopRuns';
import type { InterruptedRun } from '../../src/extension/loop/resumeOffer';
import { RunJournals } from '../../src/node/runJournals';
import { runCli } from '../unit/cli/builtCli';
import { waitFor } from '../harness/poll';
import { findNode } from './findNode';
import { REPO_ROOT } from '../harness/repoPaths';
import { LmStudioStandIn, type RecordedChatRequest } from '../lmstudio/standIn';
import { pointAtStandIn, type PointedStandIn } from './lmStudioSettings';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
const FAREWELL = 'add-farewell';
/** A second change, a copy of the first, made for these tests in the workspace copy. */
const GOODBYE = 'add-goodbye';
const delta = (change: string) => `openspec/changes/${change}/specs/greeting/spec.md`;

/** The change a review or improve request is about, from the paths its prompt names. */
function changeOf(request: RecordedChatRequest): string | undefined {
  const text = request.messages.map((message) => String(message.content)).join('\n');
  return [GOODBYE, FAREWELL].find((change) => text.includes(`openspec/changes/${change}/`));
}

describe('improvement loop runs: one per change, a journal each, every interrupted run offered', function () {
  this.timeout(90_000);
  let api: OpenSpecLoopApi;
  let standIn: PointedStandIn;
  let lmStudio: LmStudioStandIn;
  let root: string;
  let workspacePath: string;
  let original: string;
  let provider: ExplorerTreeProvider;
  /** Whether reviews find the untestable requirement (true) or nothing. */
  let findSomething = true;

  const reviews = (change: string) =>
    lmStudio.requests.filter(
      (request) => request.response_format?.json_schema?.name === 'openspec_review' && changeOf(request) === change,
    ).length;
  const journals = () => new RunJournals(api.loop.journalsDir);
  const start = (change: string) => vscode.commands.executeCommand<LoopCommandResult>('openspecLoop.runLoop', change);
  const folderModel = () => {
    const found = api.models.folders.find((model) => model.root === root);
    assert.ok(found, 'the workspace folder has a model');
    return found;
  };
  const pendingOf = (change: string) => api.aiTree.proposals(folderModel(), change);
  const proposalOf = (change: string) =>
    waitFor(() => pendingOf(change)[0], `the loop's proposal for ${change}`, 30_000);
  const runningNode = (change: string) =>
    waitFor(
      () => findNode(provider, (node) => node.kind === 'loopRun' && node.running?.changeId === change),
      `the running Loop node of ${change}`,
      10_000,
    );
  const report = (result: LoopCommandResult): LoopReport => {
    assert.ok(result.ok, JSON.stringify(result));
    return result.value;
  };

  before(async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    standIn = await pointAtStandIn();
    lmStudio = standIn.server;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    workspacePath = folder.uri.fsPath;
    original = readFileSync(join(workspacePath, delta(FAREWELL)), 'utf8');
    cpSync(join(workspacePath, 'openspec/changes', FAREWELL), join(workspacePath, 'openspec/changes', GOODBYE), {
      recursive: true,
    });
    root = await waitFor(
      () => api.models.folders.find((model) => model.workspace.changes.some((change) => change.id === GOODBYE))?.root,
      `the model to list ${GOODBYE}`,
      20_000,
    );
    provider = new ExplorerTreeProvider(api.models, 'changes', api.aiTree);
    lmStudio.setReplyHandler((request: RecordedChatRequest) => {
      const change = changeOf(request) ?? FAREWELL;
      if (request.response_format?.json_schema?.name === 'openspec_review') {
        const findings = findSomething
          ? [
              {
                severity: 'error',
                category: 'untestable',
                file: delta(change),
                line: 3,
                requirement: 'Say farewell',
                message: '"by name" is not observable: say which name.',
                suggestion: null,
              },
            ]
          : [];
        return JSON.stringify({ findings });
      }
      return JSON.stringify({
        summary: 'Names the display name.',
        document: original.replace('by name', "with the user's display name"),
      });
    });
  });

  after(async () => {
    provider.dispose();
    await standIn.release();
    writeFileSync(join(workspacePath, delta(FAREWELL)), original);
    rmSync(join(workspacePath, 'openspec/changes', GOODBYE), { recursive: true, force: true });
    await waitFor(
      () => !api.models.folders.some((model) => model.workspace.changes.some((change) => change.id === GOODBYE)),
      `the model to drop ${GOODBYE}`,
      20_000,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('refuses a second start on a change whose run is going, saying which run, and Stop still ends the first', async () => {
    const first = start(FAREWELL);
    await proposalOf(FAREWELL);
    const reviewsBefore = reviews(FAREWELL);

    const second = await start(FAREWELL);
    assert.deepEqual(second, {
      ok: false,
      reason: 'alreadyRunning',
      message:
        'An improvement loop is already running on add-farewell in basic (iteration 1: waiting for your decision on spec.md; started from the editor): it was not started again. Show it, or stop it first.',
    });
    assert.equal(reviews(FAREWELL), reviewsBefore, 'the second start asked the model nothing');
    assert.equal(pendingOf(FAREWELL).length, 1, 'one run, one proposal waiting');
    const going = (await journals().list(root)).filter((journal) => journal.run.ended === undefined);
    assert.deepEqual(
      going.map((journal) => journal.run.change),
      [FAREWELL],
      'one journal being written',
    );

    assert.equal(await vscode.commands.executeCommand('openspecLoop.stopLoop', await runningNode(FAREWELL)), true);
    assert.equal(report(await first).reason, 'cancelled');
    assert.equal(readFileSync(join(workspacePath, delta(FAREWELL)), 'utf8'), original);
  });

  it('runs two changes side by side, each in a journal of its own, and stops each on its own', async () => {
    const farewell = start(FAREWELL);
    const goodbye = start(GOODBYE);
    const [farewellProposal] = await Promise.all([proposalOf(FAREWELL), proposalOf(GOODBYE)]);

    const going = (await journals().list(root)).filter((journal) => journal.run.ended === undefined);
    assert.deepEqual(going.map((journal) => journal.run.change).sort(), [FAREWELL, GOODBYE]);
    assert.notEqual(going[0]?.path, going[1]?.path);
    for (const journal of going) {
      const entries = journal.lines.map((line) => JSON.parse(line) as { run: string; change: string });
      assert.ok(
        entries.every((entry) => entry.run === journal.run.runId && entry.change === journal.run.change),
        `${journal.path} holds its own run only`,
      );
    }

    assert.equal(await vscode.commands.executeCommand('openspecLoop.stopLoop', await runningNode(GOODBYE)), true);
    assert.equal(report(await goodbye).reason, 'cancelled');
    assert.deepEqual(pendingOf(GOODBYE), []);
    assert.ok(api.aiTree.runningLoop?.(folderModel(), FAREWELL), 'the other run goes on');
    assert.equal(pendingOf(FAREWELL)[0]?.id, farewellProposal.id, 'still waiting for its decision');

    assert.equal(await vscode.commands.executeCommand('openspecLoop.stopLoop', await runningNode(FAREWELL)), true);
    assert.equal(report(await farewell).reason, 'cancelled');
  });

  describe('after a window closed on two runs', () => {
    let offered: InterruptedRun[];
    let holder: ChildProcess | undefined;

    before(async () => {
      // The two runs of the test before, as a crash would have left them: without the line saying how they ended.
      for (const journal of await journals().latestRuns(root)) {
        if (journal.run.ended?.reason !== 'cancelled') continue;
        writeFileSync(journal.path, `${journal.lines.slice(0, -1).join('\n')}\n`);
      }
      offered = await api.loop.interrupted();
    });

    after(() => {
      holder?.kill();
    });

    it('offers both runs, with their change, folder and iteration', () => {
      assert.deepEqual(
        offered.map((run) => `${run.run.change} in ${run.folder.folder.name}, iteration ${run.run.iteration}`).sort(),
        [`${FAREWELL} in basic, iteration 1`, `${GOODBYE} in basic, iteration 1`],
      );
      assert.ok(offered.every((run) => run.state.pending.length === 1));
    });

    it('reads the journal again on Resume: a run the CLI finished meanwhile is not resumed again', async () => {
      const run = offered.find((candidate) => candidate.run.change === FAREWELL);
      assert.ok(run);
      findSomething = false;
      const cli = await runCli(
        ['loop', FAREWELL, '--journal', run.journalPath, '--resume', '--base-url', lmStudio.baseUrl],
        workspacePath,
      );
      assert.equal(cli.code, 0, cli.stderr);
      const requestsBefore = lmStudio.requests.length;

      const result = await api.loop.resume(run);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.reason === 'notResumable', JSON.stringify(result));
      assert.match(
        result.message,
        /^The improvement loop on add-farewell in basic has ended since it was offered \(Converged after 2 iterations.*\): it is not resumed again\.$/,
      );
      assert.equal(lmStudio.requests.length, requestsBefore, 'LM Studio is not asked anything');
      assert.deepEqual(pendingOf(FAREWELL), []);
    });

    it('refuses to resume a run another process goes on with, and resumes it once that process is gone', async () => {
      const run = offered.find((candidate) => candidate.run.change === GOODBYE);
      assert.ok(run);
      // Another process takes the run's locks, as another window or `openspec-loop loop --journal-dir` does.
      const module = join(REPO_ROOT, 'out', 'src', 'node', 'runJournals.js');
      const args = [api.loop.journalsDir, root, GOODBYE, run.journalPath].map((arg) => JSON.stringify(arg));
      const script = [
        `const { RunJournals } = require(${JSON.stringify(module)});`,
        `new RunJournals(${args[0]}).lockRun(${args.slice(1).join(', ')}).then(() => console.log('locked'));`,
        'setInterval(() => undefined, 1000);',
      ].join('\n');
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      holder = child;
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await waitFor(() => out.includes('locked'), 'the other process to hold the locks', 10_000);

      const refused = await api.loop.resume(run);
      assert.ok(!refused.ok && refused.reason === 'alreadyRunning', JSON.stringify(refused));
      assert.match(
        refused.message,
        new RegExp(
          `^Another window or an openspec-loop command \\(process ${child.pid}, since [^)]+\\) runs the improvement loop on add-goodbye in basic: it is not run twice\\. Wait for it to end\\.$`,
        ),
      );
      assert.deepEqual(pendingOf(GOODBYE), []);

      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
      holder = undefined;
      const resumed = api.loop.resume(run);
      const proposal = await proposalOf(GOODBYE);
      assert.equal(await vscode.commands.executeCommand('openspecLoop.acceptProposal', proposal.id), 'accepted');
      const done = report(await resumed);
      assert.equal(done.runId, run.run.runId, 'the same run went on');
      assert.equal(done.outcome, 'converged', done.message);
      assert.match(readFileSync(join(workspacePath, delta(GOODBYE)), 'utf8'), /display name/);
      assert.deepEqual(await api.loop.interrupted(), []);
    });
  });
});
