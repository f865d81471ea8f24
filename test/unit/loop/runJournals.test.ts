import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderKey, journalRuns, latestRunOf } from '../../../src/core/loop/journalRuns';
import { LoopJournal, MemoryJournalStore, type JournalStore } from '../../../src/core/loop/loopJournal';
import { FileJournalStore } from '../../../src/node/journalFile';
import { RunJournals, type RunLocks, type RunLocksRefused } from '../../../src/node/runJournals';

/** A run's journal lines as the orchestrator writes them: started, reviewed, and `finished` when it ended. */
async function journalRun(
  store: JournalStore,
  runId: string,
  change: string,
  at: number,
  ending?: 'converged' | 'cancelled',
): Promise<void> {
  let clock = at;
  const journal = new LoopJournal(store, runId, change, () => clock++);
  await journal.record(1, 'reviewing', { event: 'started', maxIterations: 5, autoAccept: false });
  await journal.record(1, 'reviewing', { event: 'validated', validation: { valid: false, errors: 1, warnings: 0 } });
  await journal.record(2, 'reviewing', { event: 'validated', validation: { valid: false, errors: 1, warnings: 0 } });
  if (ending)
    await journal.record(2, ending === 'converged' ? 'done' : 'stopped', {
      event: 'finished',
      outcome: ending === 'converged' ? 'converged' : 'stopped',
      reason: ending,
      message: ending === 'converged' ? 'Converged after 2 iterations.' : 'Stopped by the user.',
    });
}

function isLocks(result: RunLocks | RunLocksRefused): result is RunLocks {
  return !('heldBy' in result);
}

describe('loop journals: one file per run, by folder and change', () => {
  let dir: string;
  let journals: RunJournals;
  const ROOT = '/home/ana/notes';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loop-journals-'));
    journals = new RunJournals(join(dir, 'loop-journals'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells the runs of a journal apart: change, start, last iteration and how each ended', async () => {
    const store = new MemoryJournalStore();
    await journalRun(store, 'r1', 'add-x', 1000, 'converged');
    await journalRun(store, 'r2', 'add-y', 2000);
    await journalRun(store, 'r3', 'add-x', 3000, 'cancelled');
    const runs = journalRuns(store.lines);
    assert.deepEqual(
      runs.map((run) => [run.runId, run.change, run.startedAt, run.iteration, run.ended?.reason]),
      [
        ['r1', 'add-x', new Date(1000).toISOString(), 2, 'converged'],
        ['r2', 'add-y', new Date(2000).toISOString(), 2, undefined],
        ['r3', 'add-x', new Date(3000).toISOString(), 2, 'cancelled'],
      ],
    );
    assert.equal(latestRunOf(runs, 'add-x')?.runId, 'r3');
    assert.equal(latestRunOf(runs, 'add-y')?.runId, 'r2');
    assert.equal(latestRunOf(runs, 'add-z'), undefined);
  });

  it('gives every run its own file, and the same change id in two folders of the same name two folders', async () => {
    const other = '/home/ben/notes';
    assert.notEqual(folderKey(ROOT), folderKey(other));
    assert.match(folderKey(ROOT), /^notes-[0-9a-f]{12}$/);
    const paths = [
      journals.pathFor(ROOT, 'add-x', 'r1'),
      journals.pathFor(ROOT, 'add-x', 'r2'),
      journals.pathFor(ROOT, 'add-y', 'r3'),
      journals.pathFor(other, 'add-x', 'r4'),
    ];
    assert.equal(new Set(paths).size, 4);
    await Promise.all([
      journalRun(new FileJournalStore(paths[0]!), 'r1', 'add-x', 1000, 'converged'),
      journalRun(new FileJournalStore(paths[1]!), 'r2', 'add-x', 2000),
      journalRun(new FileJournalStore(paths[2]!), 'r3', 'add-y', 1500),
      journalRun(new FileJournalStore(paths[3]!), 'r4', 'add-x', 500),
    ]);
    for (const path of paths)
      assert.equal(new Set(journalRuns(readFileSync(path, 'utf8').split('\n')).map((run) => run.runId)).size, 1);
    assert.deepEqual((await journals.list(ROOT)).map((journal) => journal.run.runId).sort(), ['r1', 'r2', 'r3']);
    assert.deepEqual(
      (await journals.latestRuns(ROOT)).map((journal) => `${journal.run.change} ${journal.run.runId}`).sort(),
      ['add-x r2', 'add-y r3'],
    );
    assert.deepEqual(
      (await journals.list(other)).map((journal) => journal.run.runId),
      ['r4'],
    );
    assert.deepEqual(await journals.list('/nowhere/else'), []);
  });

  it('lets one run of a change in a folder hold its locks; other changes and other folders run beside it', async () => {
    const first = await journals.lockRun(ROOT, 'add-x', journals.pathFor(ROOT, 'add-x', 'r1'));
    assert.ok(isLocks(first));
    const second = await journals.lockRun(ROOT, 'add-x', journals.pathFor(ROOT, 'add-x', 'r2'));
    assert.ok(!isLocks(second));
    assert.equal(second.what, 'change');
    assert.equal(second.heldBy.pid, process.pid);
    assert.equal((await journals.changeHolder(ROOT, 'add-x'))?.pid, process.pid);

    const otherChange = await journals.lockRun(ROOT, 'add-y', journals.pathFor(ROOT, 'add-y', 'r3'));
    const otherFolder = await journals.lockRun(
      '/home/ben/notes',
      'add-x',
      journals.pathFor('/home/ben/notes', 'add-x', 'r4'),
    );
    assert.ok(isLocks(otherChange) && isLocks(otherFolder));

    await first.release();
    assert.equal(await journals.changeHolder(ROOT, 'add-x'), undefined);
    const again = await journals.lockRun(ROOT, 'add-x', journals.pathFor(ROOT, 'add-x', 'r2'));
    assert.ok(isLocks(again), 'the change is free once the first run ended');
    await Promise.all([again.release(), otherChange.release(), otherFolder.release()]);
  });

  it('takes over the lock of a run whose process died, so its change can be run again', async () => {
    const path = journals.pathFor(ROOT, 'add-x', 'r1');
    const first = await journals.lockRun(ROOT, 'add-x', path);
    assert.ok(isLocks(first));
    await first.release();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const lockDir = join(journals.dir, folderKey(ROOT));
    const stale = JSON.stringify({ pid: dead, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z' });
    writeFileSync(join(lockDir, 'add-x.lock'), stale);
    writeFileSync(`${path}.lock`, stale);
    assert.equal(await journals.changeHolder(ROOT, 'add-x'), undefined);
    const taken = await journals.lockRun(ROOT, 'add-x', path);
    assert.ok(isLocks(taken));
    await taken.release();
    assert.deepEqual(readdirSync(lockDir), [], 'no lock is left behind');
  });

  it('discards a run by removing its journal, but not while another process goes on with it', async () => {
    const path = journals.pathFor(ROOT, 'add-x', 'r1');
    await journalRun(new FileJournalStore(path), 'r1', 'add-x', 1000);
    const held = await journals.lockRun(ROOT, 'add-x', path);
    assert.ok(isLocks(held));
    assert.equal((await journals.discard(ROOT, 'add-x', path))?.what, 'change');
    assert.ok(existsSync(path));
    await held.release();
    assert.equal(await journals.discard(ROOT, 'add-x', path), undefined);
    assert.ok(!existsSync(path));
  });

  describe('the single journal every run shared before', () => {
    let legacy: string;

    beforeEach(async () => {
      legacy = join(dir, 'loop-journal.jsonl');
      const store = new FileJournalStore(legacy);
      await journalRun(store, 'r1', 'add-y', 1000);
      await journalRun(store, 'r2', 'add-x', 2000);
    });

    it('moves its interrupted last run into a journal of its own, once', async () => {
      await journals.adoptLegacyJournal(
        legacy,
        () => ROOT,
        () => false,
      );
      assert.ok(!existsSync(legacy));
      const moved = await journals.list(ROOT);
      assert.deepEqual(
        moved.map((journal) => [journal.path, journal.run.runId, journal.run.ended]),
        [[journals.pathFor(ROOT, 'add-x', 'r2'), 'r2', undefined]],
      );
      assert.equal(moved[0]?.lines.length, 3);
      // A second activation finds nothing more to move.
      await journals.adoptLegacyJournal(
        legacy,
        () => ROOT,
        () => false,
      );
      assert.equal((await journals.list(ROOT)).length, 1);
    });

    it('moves nothing when that run was discarded, and waits while no open folder has its change', async () => {
      await journals.adoptLegacyJournal(
        legacy,
        () => undefined,
        () => false,
      );
      assert.ok(existsSync(legacy), 'kept for when the folder of its change is open');
      await journals.adoptLegacyJournal(
        legacy,
        () => ROOT,
        (runId) => runId === 'r2',
      );
      assert.ok(!existsSync(legacy));
      assert.deepEqual(await journals.list(ROOT), []);
    });
  });
});
