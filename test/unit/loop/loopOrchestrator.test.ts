import * as assert from 'node:assert/strict';
import type { ChatModel } from '../../../src/core/ai/chatModel';
import { sha256 } from '../../../src/core/hash';
import type { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { parseJournal } from '../../../src/core/loop/journalEntries';
import { LoopOrchestrator } from '../../../src/core/loop/loopOrchestrator';
import { MemoryJournalStore } from '../../../src/core/loop/loopJournal';
import type { LoopHost } from '../../../src/core/loop/loopTypes';
import type { LmStudioStandIn } from '../../lmstudio/standIn';
import { SAMPLE_ROOT, sampleProjectFs } from '../ai/prompt/sampleWorkspace';
import {
  abs,
  BROKEN_DELTA,
  CHANGE,
  DELTA,
  DELTA_ERROR,
  FIXED_DELTA,
  PROPOSAL,
  PROPOSAL_WARNING,
  RecordingHost,
  requestKind,
  scriptLoop,
  snapshot,
  startLoopModel,
} from './loopTestKit';

const BETTER_PROPOSAL_SUFFIX = '\nLinks without a chosen period expire after 30 days.\n';

describe('LoopOrchestrator over the LM Studio stand-in', () => {
  let server: LmStudioStandIn;
  let model: ChatModel;
  let fs: MemoryFileSystem;
  let original: Record<string, string>;

  beforeEach(async () => {
    ({ server, model } = await startLoopModel());
    fs = sampleProjectFs();
    original = await snapshot(fs);
  });
  afterEach(async () => server.close());

  const orchestrator = (host: LoopHost, journalStore = new MemoryJournalStore()) =>
    new LoopOrchestrator({
      model,
      fs,
      root: SAMPLE_ROOT,
      host,
      journalStore,
      now: () => Date.UTC(2026, 0, 2, 3, 4, 5),
      newRunId: () => 'run-1',
    });

  const improveBoth = (file: string) => (file === DELTA ? FIXED_DELTA : original[PROPOSAL] + BETTER_PROPOSAL_SUFFIX);

  it('converges when the findings shrink to none, writing the accepted proposals, most severe document first', async () => {
    scriptLoop(server, { reviews: [[PROPOSAL_WARNING, DELTA_ERROR], []], improve: improveBoth });
    const host = new RecordingHost(fs);
    const store = new MemoryJournalStore();
    const report = await orchestrator(host, store).run(CHANGE);

    assert.equal(report.outcome, 'converged');
    assert.equal(report.reason, 'converged');
    assert.match(report.message, /^Converged after 2 iterations/);
    assert.equal(report.iterations.length, 2);
    assert.deepEqual(report.iterations[0]?.findings, { error: 1, warning: 1, info: 0 });
    assert.deepEqual(report.iterations[0]?.validation, { valid: false, errors: 1, warnings: 1 });
    assert.deepEqual(report.iterations[0]?.validationAfter, { valid: true, errors: 0, warnings: 0 });
    assert.deepEqual(report.iterations[1]?.findings, { error: 0, warning: 0, info: 0 });
    assert.deepEqual(
      report.iterations[0]?.proposals.map((proposal) => [
        proposal.file,
        proposal.decision,
        proposal.auto,
        proposal.result,
      ]),
      [
        [DELTA, 'accepted', false, 'applied'],
        [PROPOSAL, 'accepted', false, 'applied'],
      ],
    );
    assert.equal(await fs.readFile(abs(DELTA)), FIXED_DELTA);
    assert.equal(await fs.readFile(abs(PROPOSAL)), original[PROPOSAL] + BETTER_PROPOSAL_SUFFIX);
    assert.deepEqual(server.requests.map(requestKind), ['review', 'improve', 'improve', 'review']);
    assert.ok(
      host.events.some((event) => event.step === 'awaitingDecision' && event.iteration === 1 && event.file === DELTA),
    );

    const entries = parseJournal(store.lines);
    assert.ok(
      entries.every(
        (entry) => entry.run === 'run-1' && entry.change === CHANGE && entry.at === '2026-01-02T03:04:05.000Z',
      ),
    );
    assert.deepEqual(
      entries.map((entry) => `${entry.iteration}:${entry.step}:${entry.event}`),
      [
        '1:reviewing:started',
        '1:reviewing:reviewed',
        '1:reviewing:validated',
        '1:proposing:proposed',
        '1:awaitingDecision:decided',
        '1:applying:applied',
        '1:proposing:proposed',
        '1:awaitingDecision:decided',
        '1:applying:applied',
        '1:validating:validated',
        '2:reviewing:reviewed',
        '2:reviewing:validated',
        '2:done:finished',
      ],
    );
    const reviewed = entries[1];
    assert.equal(reviewed?.event === 'reviewed' && reviewed.read[DELTA], sha256(original[DELTA]!));
    const proposed = entries[3];
    assert.ok(proposed?.event === 'proposed');
    assert.equal(proposed.proposal.baseHash, sha256(original[DELTA]!));
    assert.equal(proposed.proposal.proposedHash, sha256(FIXED_DELTA));
    const applied = entries[5];
    assert.ok(applied?.event === 'applied');
    assert.equal(applied.appliedHash, sha256(FIXED_DELTA));
  });

  it('auto-accepts proposals that add no validation errors without asking', async () => {
    scriptLoop(server, { reviews: [[PROPOSAL_WARNING, DELTA_ERROR], []], improve: improveBoth });
    const host = new RecordingHost(fs, () => assert.fail('must not be asked'));
    const report = await orchestrator(host).run(CHANGE, { autoAccept: true });
    assert.equal(report.outcome, 'converged');
    assert.equal(host.decisions.length, 0);
    assert.deepEqual(
      report.iterations[0]?.proposals.map((proposal) => proposal.auto),
      [true, true],
    );
  });

  it('asks about a proposal that would add validation errors even with auto-accept, and a rejection writes nothing', async () => {
    scriptLoop(server, { reviews: [[DELTA_ERROR]], improve: () => BROKEN_DELTA });
    const host = new RecordingHost(fs, (_proposal, context) => ({
      decision: context.autoAcceptBlocked ? 'rejected' : 'accepted',
    }));
    const report = await orchestrator(host).run(CHANGE, { autoAccept: true, maxIterations: 1 });
    assert.equal(host.decisions.length, 1);
    assert.equal(host.decisions[0]?.context.autoAcceptBlocked, 'newErrors');
    assert.deepEqual(
      report.iterations[0]?.proposals.map((proposal) => [proposal.decision, proposal.newErrors]),
      [['rejected', 1]],
    );
    assert.equal(host.applied.length, 0);
    assert.deepEqual(await snapshot(fs), original);
    assert.equal(report.outcome, 'stopped');
    assert.equal(report.reason, 'maxIterations');
    assert.match(report.message, /maximum of 1 iteration;/);
  });

  it('never auto-accepts a proposal that removes what its finding did not ask to remove, asks the host instead and journals why', async () => {
    const withoutImpact = original[PROPOSAL]!.slice(0, original[PROPOSAL]!.indexOf('## Impact')).trimEnd() + '\n';
    scriptLoop(server, {
      reviews: [[PROPOSAL_WARNING]],
      improve: (file) => (file === PROPOSAL ? withoutImpact : original[file]!),
    });
    const host = new RecordingHost(fs, (_proposal, context) => ({
      decision: context.autoAcceptBlocked ? 'rejected' : 'accepted',
    }));
    const store = new MemoryJournalStore();
    const report = await orchestrator(host, store).run(CHANGE, { autoAccept: true, maxIterations: 1 });
    const asked = host.decisions.find((decision) => decision.file === PROPOSAL);
    assert.equal(asked?.context.autoAcceptBlocked, 'destructive');
    const record = report.iterations[0]?.proposals.find((proposal) => proposal.file === PROPOSAL);
    assert.deepEqual([record?.decision, record?.blocked, record?.auto], ['rejected', 'destructive', false]);
    assert.match(record?.impact ?? '', /removes ## Impact/);
    assert.deepEqual(await snapshot(fs), original);
    const decided = parseJournal(store.lines).find(
      (entry) => entry.event === 'decided' && entry.proposalId === record?.id,
    );
    assert.ok(
      decided?.event === 'decided' &&
        decided.blocked === 'destructive' &&
        /removes ## Impact/.test(decided.impact ?? ''),
      JSON.stringify(decided),
    );
  });

  it('stops with noImprovement, saying so, when the findings never shrink; rejected proposals leave files byte-identical', async () => {
    scriptLoop(server, { reviews: [[PROPOSAL_WARNING, DELTA_ERROR]], improve: improveBoth });
    const host = new RecordingHost(fs, () => ({ decision: 'rejected' }));
    const report = await orchestrator(host).run(CHANGE, { maxIterations: 5 });
    assert.equal(report.outcome, 'stopped');
    assert.equal(report.reason, 'noImprovement');
    assert.match(
      report.message,
      /iteration 2 brought no improvement \(2 error or warning findings, was 2; 1 validation error, was 1\)/,
    );
    assert.equal(report.iterations.length, 2);
    assert.deepEqual(
      report.iterations[0]?.proposals.map((proposal) => proposal.decision),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(report.iterations[1]?.proposals, []);
    assert.equal(host.applied.length, 0);
    assert.deepEqual(await snapshot(fs), original);
  });

  it('counts a proposal the model left unchanged as such and does not ask about it', async () => {
    scriptLoop(server, { reviews: [[PROPOSAL_WARNING]], improve: (file) => original[file]! });
    const host = new RecordingHost(fs);
    const report = await orchestrator(host).run(CHANGE);
    assert.equal(report.reason, 'noImprovement');
    assert.deepEqual(
      report.iterations[0]?.proposals.map((proposal) => [proposal.file, proposal.decision]),
      [
        [DELTA, 'unchanged'],
        [PROPOSAL, 'unchanged'],
      ],
    );
    assert.equal(host.decisions.length, 0);
  });

  it('stops at maxIterations while the findings still shrink', async () => {
    const extra = { ...PROPOSAL_WARNING, message: 'The Impact section does not name the migration.' };
    scriptLoop(server, {
      reviews: [[PROPOSAL_WARNING, extra, DELTA_ERROR], [PROPOSAL_WARNING, extra], [PROPOSAL_WARNING]],
      improve: improveBoth,
    });
    const host = new RecordingHost(fs);
    const report = await orchestrator(host).run(CHANGE, { maxIterations: 2 });
    assert.equal(report.outcome, 'stopped');
    assert.equal(report.reason, 'maxIterations');
    assert.deepEqual(
      report.iterations.map((record) => record.findings.warning + record.findings.error),
      [3, 2],
    );
    assert.match(report.message, /maximum of 2 iterations; the last review left 2 error or warning findings/);
  });

  it('a cancel while the model stalls leaves every file unchanged and ends stopped/cancelled', async () => {
    const controller = new AbortController();
    scriptLoop(server, {
      reviews: [[PROPOSAL_WARNING, DELTA_ERROR]],
      improve: improveBoth,
      // The first improve request after the review hangs until the client gives up.
      onReview: () => server.injectFault({ kind: 'stall' }),
    });
    const host = new RecordingHost(fs);
    const store = new MemoryJournalStore();
    const running = orchestrator(host, store).run(CHANGE, { signal: controller.signal });
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const report = await running;
    assert.equal(report.outcome, 'stopped');
    assert.equal(report.reason, 'cancelled');
    assert.match(report.message, /Stopped by the user in iteration 1/);
    assert.equal(host.applied.length, 0);
    assert.deepEqual(await snapshot(fs), original);
    const last = parseJournal(store.lines).at(-1);
    assert.ok(last?.event === 'finished' && last.reason === 'cancelled' && last.step === 'stopped');
  });

  it('fails with the model error when the server is gone', async () => {
    const host = new RecordingHost(fs);
    await server.close();
    const report = await orchestrator(host).run(CHANGE);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.reason, 'error');
    assert.match(report.message, /^The loop failed in iteration 1 while reviewing: /);
    assert.deepEqual(await snapshot(fs), original);
  });
});
