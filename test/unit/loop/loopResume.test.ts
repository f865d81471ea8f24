import * as assert from 'node:assert/strict';
import type { ChatModel } from '../../../src/core/ai/chatModel';
import { sha256 } from '../../../src/core/hash';
import type { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { parseJournal } from '../../../src/core/loop/journalEntries';
import { LoopOrchestrator } from '../../../src/core/loop/loopOrchestrator';
import { MemoryJournalStore } from '../../../src/core/loop/loopJournal';
import type { LoopHost } from '../../../src/core/loop/loopTypes';
import { journalledFiles, resumeState } from '../../../src/core/loop/resumeState';
import type { LmStudioStandIn } from '../../lmstudio/standIn';
import { SAMPLE_ROOT, sampleProjectFs } from '../ai/prompt/sampleWorkspace';
import {
  abs,
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

describe('LoopOrchestrator resuming from its journal after a crash', () => {
  let server: LmStudioStandIn;
  let model: ChatModel;
  let fs: MemoryFileSystem;
  let original: Record<string, string>;
  let store: MemoryJournalStore;

  beforeEach(async () => {
    ({ server, model } = await startLoopModel());
    fs = sampleProjectFs();
    original = await snapshot(fs);
    store = new MemoryJournalStore();
    scriptLoop(server, {
      reviews: [[PROPOSAL_WARNING, DELTA_ERROR], []],
      improve: (file) => (file === DELTA ? FIXED_DELTA : original[PROPOSAL] + BETTER_PROPOSAL_SUFFIX),
    });
  });
  afterEach(async () => server.close());

  const orchestrator = (host: LoopHost) =>
    new LoopOrchestrator({ model, fs, root: SAMPLE_ROOT, host, journalStore: store, newRunId: () => 'run-1' });

  async function stateNow(lines: readonly string[] = store.lines, runId?: string) {
    const texts = Object.fromEntries(
      await Promise.all(
        journalledFiles(lines, runId).map(async (file) => [file, await fs.readFile(abs(file))] as const),
      ),
    );
    return resumeState(lines, texts, runId);
  }

  it('never writes again a proposal the crashed run already wrote (its file hashes to the applied text)', async () => {
    const crashed = await orchestrator(new RecordingHost(fs, undefined, 'afterWrite')).run(CHANGE);
    assert.equal(crashed.outcome, 'failed');
    assert.match(crashed.message, /while applying: crash after the write/);
    assert.equal(await fs.readFile(abs(DELTA)), FIXED_DELTA);
    // The write happened but its journal line did not.
    assert.ok(!parseJournal(store.lines).some((entry) => entry.event === 'applied'));

    const state = await stateNow();
    assert.equal(state.resumable, true);
    assert.equal(state.iteration, 1);
    assert.equal(state.reviewComplete, true);
    assert.deepEqual(
      state.applied.map((proposal) => proposal.file),
      [DELTA],
    );
    assert.deepEqual(state.pending, []);
    assert.deepEqual(state.stale, []);

    const host = new RecordingHost(fs);
    const report = await orchestrator(host).resume(state);
    assert.equal(report.outcome, 'converged');
    assert.equal(report.runId, 'run-1');
    assert.deepEqual(host.applied, []);
    assert.deepEqual(host.decisions, []);
    assert.deepEqual(
      report.iterations.map((record) => record.iteration),
      [1, 2],
    );
    assert.equal(report.iterations[0]?.proposals[0]?.result, 'applied');
    assert.deepEqual(report.iterations[0]?.validationAfter, { valid: true, errors: 0, warnings: 0 });
    assert.equal(await fs.readFile(abs(DELTA)), FIXED_DELTA);
    assert.equal(await fs.readFile(abs(PROPOSAL)), original[PROPOSAL]);
  });

  it('writes an accepted but unwritten proposal once, without asking again, when its file is unchanged', async () => {
    await orchestrator(new RecordingHost(fs, undefined, 'beforeWrite')).run(CHANGE);
    assert.deepEqual(await snapshot(fs), original);
    const state = await stateNow();
    assert.equal(state.pending.length, 1);
    assert.equal(state.pending[0]?.decision?.decision, 'accepted');

    const host = new RecordingHost(fs);
    const report = await orchestrator(host).resume(state);
    assert.equal(report.outcome, 'converged');
    assert.deepEqual(host.decisions, []);
    assert.deepEqual(
      host.applied.map((write) => [write.file, write.result]),
      [[DELTA, 'applied']],
    );
    assert.equal(await fs.readFile(abs(DELTA)), FIXED_DELTA);
    const applied = parseJournal(store.lines).filter((entry) => entry.event === 'applied');
    assert.equal(applied.length, 1);
  });

  it('drops a pending proposal whose file changed since it was proposed, and proposes afresh', async () => {
    await orchestrator(new RecordingHost(fs, undefined, 'onDecide')).run(CHANGE);
    // The process died while the diff was shown: the journal ends at the proposal.
    const lines = store.lines.slice(0, store.lines.findIndex((line) => line.includes('"event":"proposed"')) + 1);
    store.lines.splice(0, store.lines.length, ...lines);
    const edited = `${original[DELTA]}\n<!-- the author's own edit -->\n`;
    fs.writeFile(abs(DELTA), edited);

    const state = await stateNow();
    assert.equal(state.step, 'proposing');
    assert.deepEqual(state.pending, []);
    assert.deepEqual(
      state.stale.map((proposal) => proposal.file),
      [DELTA],
    );
    assert.equal(state.iterations[0]?.proposals[0]?.result, 'stale');

    const requestsBefore = server.requests.length;
    const host = new RecordingHost(fs, () => ({ decision: 'rejected' }));
    const report = await orchestrator(host).resume(state);
    assert.deepEqual(host.applied, []);
    assert.equal(await fs.readFile(abs(DELTA)), edited);
    // The next iteration reviews the edited text and proposes for it again.
    assert.deepEqual(server.requests.slice(requestsBefore).map(requestKind).slice(0, 2), ['review', 'improve']);
    assert.ok(host.decisions.some((decision) => decision.file === DELTA));
    assert.equal(report.iterations[0]?.proposals[0]?.result, 'stale');
  });

  it('journals a proposal found stale on resume, so it is never written later, even once its file is back to its old text', async () => {
    await orchestrator(new RecordingHost(fs, undefined, 'beforeWrite')).run(CHANGE);
    const edited = `${original[DELTA]}\n<!-- the author's own edit -->\n`;
    fs.writeFile(abs(DELTA), edited);
    const first = await stateNow();
    assert.deepEqual(
      first.stale.map((proposal) => proposal.file),
      [DELTA],
    );

    // The resumed run is stopped at once: it still ends resumable.
    const stop = new AbortController();
    stop.abort(new Error('Cancelled'));
    const stopped = await orchestrator(new RecordingHost(fs)).resume(first, { signal: stop.signal });
    assert.equal(stopped.reason, 'cancelled');
    assert.ok(
      parseJournal(store.lines).some(
        (entry) => entry.event === 'applied' && entry.file === DELTA && entry.result === 'stale',
      ),
    );

    // The author undoes their edit: the file hashes to the proposal's base again, but the proposal stays dropped.
    fs.writeFile(abs(DELTA), original[DELTA]!);
    const second = await stateNow();
    assert.equal(second.resumable, true);
    assert.deepEqual(second.pending, []);
    const host = new RecordingHost(fs, () => ({ decision: 'rejected' }));
    await orchestrator(host).resume(second);
    assert.deepEqual(host.applied, []);
    assert.equal(await fs.readFile(abs(DELTA)), original[DELTA]);
  });

  it('offers a pending proposal again when its file is unchanged, and a finished run is not resumable', async () => {
    await orchestrator(new RecordingHost(fs, undefined, 'onDecide')).run(CHANGE);
    const state = await stateNow();
    assert.equal(state.pending.length, 1);
    assert.equal(state.pending[0]?.decision, undefined);
    assert.equal(state.pending[0]?.proposal.baseHash, sha256(original[DELTA]!));

    const host = new RecordingHost(fs);
    const report = await orchestrator(host).resume(state);
    assert.equal(report.outcome, 'converged');
    assert.deepEqual(
      host.decisions.map((decision) => decision.file),
      [DELTA],
    );
    assert.equal(await fs.readFile(abs(DELTA)), FIXED_DELTA);

    const after = await stateNow();
    assert.equal(after.resumable, false);
    await assert.rejects(orchestrator(host).resume(after), /cannot be resumed/);
  });
  it('resumes the run it is asked for in a journal that holds runs of two changes, not only the last one', async () => {
    await orchestrator(new RecordingHost(fs, undefined, 'beforeWrite')).run(CHANGE);
    // A run of another change went into the same journal afterwards, and was stopped at once.
    const stop = new AbortController();
    stop.abort(new Error('Stopped by the user'));
    await new LoopOrchestrator({
      model,
      fs,
      root: SAMPLE_ROOT,
      host: new RecordingHost(fs),
      journalStore: store,
      newRunId: () => 'run-2',
    }).run('add-note-tags', { signal: stop.signal });
    assert.equal(parseJournal(store.lines).at(-1)?.run, 'run-2');

    const state = await stateNow(store.lines, 'run-1');
    assert.equal(state.runId, 'run-1');
    assert.equal(state.change, CHANGE);
    assert.equal(state.resumable, true);
    assert.deepEqual(
      state.pending.map((pending) => [pending.proposal.file, pending.decision?.decision]),
      [[DELTA, 'accepted']],
    );
    const host = new RecordingHost(fs);
    const report = await orchestrator(host).resume(state);
    assert.equal(report.outcome, 'converged', report.message);
    assert.deepEqual(
      host.applied.map((write) => [write.file, write.result]),
      [[DELTA, 'applied']],
    );
    assert.equal((await stateNow(store.lines, 'run-1')).resumable, false, 'the resumed run finished for good');
    assert.equal((await stateNow(store.lines)).change, CHANGE, 'its lines are now the last');
  });

  it('stops at the step after the time budget is spent, never between a decision and its write, and a resume gets a fresh budget', async () => {
    let clock = 0;
    // The user takes ten minutes over the first proposal: its write still happens, the next proposal is not made.
    const slowHost = new RecordingHost(fs, () => {
      clock += 10 * 60_000;
      return { decision: 'accepted' };
    });
    const timed = (host: LoopHost) =>
      new LoopOrchestrator({
        model,
        fs,
        root: SAMPLE_ROOT,
        host,
        journalStore: store,
        now: () => clock,
        newRunId: () => 'run-1',
      });
    const stopped = await timed(slowHost).run(CHANGE, { timeBudgetMs: 5 * 60_000 });
    assert.equal(stopped.outcome, 'stopped');
    assert.equal(stopped.reason, 'timeBudget');
    assert.equal(
      stopped.message,
      'Stopped: the time budget of 5 min was spent in iteration 1; the last review left 2 error or warning findings. Resume to go on with a fresh budget.',
    );
    assert.deepEqual(
      slowHost.applied.map((write) => [write.file, write.result]),
      [[DELTA, 'applied']],
    );
    assert.equal(await fs.readFile(abs(DELTA)), FIXED_DELTA);
    assert.equal(
      await fs.readFile(abs(PROPOSAL)),
      original[PROPOSAL],
      'no proposal was made once the budget was spent',
    );
    assert.deepEqual(server.requests.map(requestKind), ['review', 'improve']);
    const last = parseJournal(store.lines).at(-1);
    assert.ok(
      last?.event === 'finished' && last.reason === 'timeBudget' && last.step === 'stopped',
      JSON.stringify(last),
    );

    const state = await stateNow();
    assert.equal(state.resumable, true, 'a run stopped by its budget can be resumed');
    const host = new RecordingHost(fs);
    const resumed = await timed(host).resume(state, { timeBudgetMs: 5 * 60_000 });
    assert.equal(resumed.outcome, 'converged', resumed.message);
    assert.deepEqual(host.applied, [], 'the delta written before the stop is not written again');
    assert.deepEqual(server.requests.map(requestKind), ['review', 'improve', 'review']);
  });
});
